"""Faults the simulator can inject, their validation, and where and when each one is in effect."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from feeds.inventory import Asset, Inventory

FAULT_KINDS = ("cabinet_power_loss", "lamp_fault", "boiler_failure", "container_fire", "main_burst",
               "pressure_drop", "sensor_silence")

TARGET_KINDS: dict[str, frozenset[str] | None] = {
    "cabinet_power_loss": frozenset({"cabinet"}),
    "lamp_fault": frozenset({"luminaire"}),
    "boiler_failure": frozenset({"boiler", "substation"}),
    "container_fire": frozenset({"container"}),
    "main_burst": frozenset({"flow_meter"}),
    "pressure_drop": frozenset({"pressure_sensor"}),
    "sensor_silence": None,
}
"""Which asset kinds each fault applies to; ``None``: any asset."""

DEFAULT_DROP_BAR = 1.2
_JSON_KEYS = {"kind", "asset_id", "asset", "start_ms", "duration_ms", "duration_s", "value", "id"}
_NEVER = np.iinfo(np.int64).max


@dataclass(frozen=True, slots=True)
class Fault:
    """One injected fault on one asset, from ``start_ms`` for ``duration_ms`` (or until cleared)."""

    kind: str
    asset_id: str
    start_ms: int | None = None
    duration_ms: int | None = None
    value: float | None = None
    """Level the fault drives its metric to, where that applies (``pressure_drop``: bar)."""
    fault_id: str = ""

    @property
    def end_ms(self) -> int | None:
        """When the fault ends by itself; None while it lasts until cleared."""
        if self.start_ms is None or self.duration_ms is None:
            return None
        return self.start_ms + self.duration_ms

    @classmethod
    def from_json(cls, data: dict[str, Any], inventory: Inventory) -> Fault:
        """Build a fault from a scenario or command payload; ValueError says what is wrong."""
        if not isinstance(data, dict):
            raise ValueError("fault must be a JSON object")
        unknown = sorted(set(data) - _JSON_KEYS)
        if unknown:
            raise ValueError(f"fault has unknown field(s) {unknown}; allowed: {sorted(_JSON_KEYS)}")
        kind = data.get("kind")
        name = data.get("asset_id", data.get("asset"))
        if not isinstance(name, str) or not name:
            raise ValueError("fault needs 'asset_id' (an asset id or alias)")
        start = _optional_int(data, "start_ms")
        duration = _optional_int(data, "duration_ms")
        if duration is None and data.get("duration_s") is not None:
            seconds = data["duration_s"]
            if not isinstance(seconds, int | float) or isinstance(seconds, bool):
                raise ValueError("fault 'duration_s' must be a number")
            duration = int(seconds * 1000)
        value = data.get("value")
        if value is not None and (not isinstance(value, int | float) or isinstance(value, bool)):
            raise ValueError("fault 'value' must be a number")
        fault_id = data.get("id", "")
        if not isinstance(fault_id, str):
            raise ValueError("fault 'id' must be a string")
        fault = cls(str(kind), name, start, duration, None if value is None else float(value), fault_id)
        return check_fault(fault, inventory)

    def to_json(self) -> dict[str, Any]:
        """The payload :meth:`from_json` reads back."""
        data: dict[str, Any] = {"id": self.fault_id, "kind": self.kind, "asset_id": self.asset_id}
        data.update({k: v for k, v in (("start_ms", self.start_ms), ("duration_ms", self.duration_ms),
                                       ("value", self.value)) if v is not None})
        return data


def check_fault(fault: Fault, inventory: Inventory) -> Fault:
    """The fault with its asset named by our id; ValueError if the kind does not fit the asset."""
    if fault.kind not in FAULT_KINDS:
        raise ValueError(f"fault 'kind' is {fault.kind!r}, expected one of {list(FAULT_KINDS)}")
    asset = inventory.resolve(fault.asset_id)
    if asset is None:
        raise ValueError(f"fault 'asset_id' {fault.asset_id!r} is not in the inventory")
    asset = _heat_source(asset, inventory) if fault.kind == "boiler_failure" else asset
    allowed = TARGET_KINDS[fault.kind]
    if allowed is not None and asset.kind not in allowed:
        raise ValueError(f"fault {fault.kind!r} applies to {sorted(allowed)}, but {asset.id} is a {asset.kind}")
    if fault.duration_ms is not None and fault.duration_ms <= 0:
        raise ValueError("fault duration must be positive")
    return replace(fault, asset_id=asset.id)


def _optional_int(data: dict[str, Any], key: str) -> int | None:
    value = data.get(key)
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool):
        raise ValueError(f"fault {key!r} must be an integer (epoch milliseconds or milliseconds)")
    return value


def _heat_source(asset: Asset, inventory: Inventory) -> Asset:
    """A boiler failure named by its building means the building's boiler or substation."""
    if asset.kind != "building":
        return asset
    for child in inventory.children(asset.id):
        if inventory[child].kind in ("boiler", "substation"):
            return inventory[child]
    raise ValueError(f"building {asset.id} has no boiler or substation")


def affected_assets(fault: Fault, inventory: Inventory) -> list[str]:
    """Every asset whose readings a fault changes (a cabinet's lamps, a burst's district sensors...)."""
    asset = inventory[fault.asset_id]
    if fault.kind == "cabinet_power_loss":
        return [asset.id, *inventory.children(asset.id)]
    if fault.kind == "boiler_failure" and asset.parent is not None:
        return [asset.id, asset.parent]
    if fault.kind == "main_burst":
        return [asset.id] + [a.id for a in inventory.of_kind("pressure_sensor") if a.district == asset.district]
    return [asset.id]


class FaultBook:
    """The faults known to the simulator and, per kind, when each asset is under one."""

    def __init__(self, inventory: Inventory) -> None:
        self._inventory = inventory
        self._faults: dict[str, Fault] = {}
        self._affected: dict[str, np.ndarray] = {}
        self._windows: dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]] | None = None

    def add(self, fault: Fault) -> None:
        """Record a fault (with its start set) and the assets it affects."""
        self._faults[fault.fault_id] = fault
        ids = affected_assets(fault, self._inventory)
        self._affected[fault.fault_id] = np.array([self._inventory.index[i] for i in ids], dtype=np.intp)
        self._windows = None

    def end(self, fault_id: str, at_ms: int) -> bool:
        """End a fault at ``at_ms``; one that has not started yet is dropped. False if unknown."""
        fault = self._faults.get(fault_id)
        if fault is None or fault.start_ms is None:
            return False
        if fault.start_ms >= at_ms:
            del self._faults[fault_id]
            del self._affected[fault_id]
        else:
            self._faults[fault_id] = replace(fault, duration_ms=at_ms - fault.start_ms)
        self._windows = None
        return True

    def faults(self) -> list[Fault]:
        """Every fault not yet pruned: scheduled, running, or ended within the current step."""
        return list(self._faults.values())

    def affected(self, fault_id: str) -> np.ndarray:
        """Inventory indices of the assets a fault changes."""
        return self._affected[fault_id]

    def prune(self, until_ms: int) -> None:
        """Forget faults that ended at or before ``until_ms``."""
        for fault in list(self._faults.values()):
            if fault.end_ms is not None and fault.end_ms <= until_ms:
                del self._faults[fault.fault_id]
                del self._affected[fault.fault_id]
                self._windows = None

    def transitions(self, after_ms: int, until_ms: int) -> list[tuple[np.ndarray, int]]:
        """Assets to report at once because a fault started or ended in ``(after_ms, until_ms]``."""
        found = []
        for fault in self._faults.values():
            for instant in (fault.start_ms, fault.end_ms):
                if instant is not None and after_ms < instant <= until_ms:
                    found.append((self._affected[fault.fault_id], instant))
        return found

    def under_fault(self, after_ms: int, until_ms: int) -> np.ndarray:
        """Assets under a fault that changes their values at some time in ``(after_ms, until_ms]``."""
        found = [self._affected[f.fault_id] for f in self._faults.values()
                 if f.kind != "sensor_silence" and f.start_ms is not None and f.start_ms <= until_ms
                 and (f.end_ms is None or f.end_ms > after_ms)]
        return np.unique(np.concatenate(found)) if found else np.empty(0, np.intp)

    def window(self, kind: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Per inventory index: start, end (ms) and value of the ``kind`` fault affecting it."""
        if self._windows is None:
            self._windows = {k: self._build(k) for k in FAULT_KINDS}
        return self._windows[kind]

    def _build(self, kind: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        n = len(self._inventory)
        start = np.full(n, _NEVER, dtype=np.int64)
        end = np.full(n, -1, dtype=np.int64)
        value = np.full(n, np.nan)
        for fault in self._faults.values():
            if fault.kind != kind or fault.start_ms is None:
                continue
            idx = self._affected[fault.fault_id]
            start[idx] = np.minimum(start[idx], fault.start_ms)
            end[idx] = np.maximum(end[idx], _NEVER if fault.end_ms is None else fault.end_ms)
            if fault.value is not None:
                value[idx] = fault.value
        return start, end, value

    def affects(self, kind: str, idx: np.ndarray, t_ms: np.ndarray) -> np.ndarray:
        """Whether asset ``idx[k]`` is under a ``kind`` fault at ``t_ms[k]``."""
        start, end, _ = self.window(kind)
        return (start[idx] <= t_ms) & (t_ms < end[idx])
