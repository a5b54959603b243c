"""The city's state held as columns, and the segments of readings that move it forward.

A :class:`Segment` is a slice of readings of many assets in time order (one reading per asset and
instant), stored column by column. A :class:`CityFrame` is every asset's last reading time, last value
of each metric, and last online status; applying a segment to it is a few numpy operations per metric,
which is what makes :func:`hypervisor.historian.timeline.state_at` fast.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from hypervisor.historian.codec import _typed, decode_block, encode_block

MISSING = object()
"""A metric an asset has never reported."""



@dataclass(slots=True)
class Segment:
    """Readings of many assets in time order: the asset of key ``keys[i]`` reported ``ts_ms[i]``.

    Keys are the historian's numbers for asset ids (table ``asset_keys``), so a segment stores small
    integers rather than names.
    """

    keys: np.ndarray
    ts_ms: np.ndarray
    columns: dict[str, tuple[np.ndarray, Any]]
    """name -> (presence mask over the readings, values of the present ones: typed array or list)."""

    def __len__(self) -> int:
        return len(self.ts_ms)

    @classmethod
    def empty(cls) -> Segment:
        return cls(np.empty(0, np.int64), np.empty(0, np.int64), {})

    @classmethod
    def from_readings(cls, readings: Sequence[tuple[int, int, Mapping[str, Any]]]) -> Segment:
        """From ``(asset key, ts_ms, metrics)`` in time order."""
        keys = np.fromiter((k for k, _, _ in readings), np.int64, len(readings))
        ts = np.fromiter((t for _, t, _ in readings), np.int64, len(readings))
        names: dict[str, None] = {}
        for _, _, metrics in readings:
            names.update(dict.fromkeys(metrics))
        columns: dict[str, tuple[np.ndarray, Any]] = {}
        for name in names:
            present = np.fromiter((name in m for _, _, m in readings), bool, len(readings))
            values = [m[name] for _, _, m in readings if name in m]
            typed = _typed(values)
            columns[name] = (present, typed if typed is not None else values)
        return cls(keys, ts, columns)

    def until(self, ts_ms: int) -> Segment:
        """The readings at or before ``ts_ms``."""
        cut = int(np.searchsorted(self.ts_ms, ts_ms, side="right"))
        if cut == len(self.ts_ms):
            return self
        columns = {}
        for name, (present, values) in self.columns.items():
            taken = int(present[:cut].sum())
            columns[name] = (present[:cut], values[:taken])
        return Segment(self.keys[:cut], self.ts_ms[:cut], columns)

    def encode(self) -> bytes:
        columns = {"\x00key": (None, self.keys), **{n: (p, v) for n, (p, v) in self.columns.items()}}
        return encode_block(self.ts_ms, columns)

    @classmethod
    def decode(cls, raw: bytes) -> Segment:
        ts, decoded = decode_block(raw)
        keys = np.asarray(decoded[0].values, dtype=np.int64)
        return cls(keys, ts, {c.name: (c.present, c.values) for c in decoded[1:]})

    def readings(self) -> list[tuple[int, int, dict[str, Any]]]:
        """``(asset key, ts_ms, metrics)`` with the values' original Python types, in time order."""
        out: list[tuple[int, int, dict[str, Any]]] = [
            (k, t, {}) for k, t in zip(self.keys.tolist(), self.ts_ms.tolist(), strict=True)]
        for name, (present, values) in self.columns.items():
            listed = values if isinstance(values, list) else values.tolist()
            for position, value in zip(np.flatnonzero(present).tolist(), listed, strict=True):
                out[position][2][name] = value
        return out


def _last_positions(rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Distinct values of ``rows`` and the position of the last occurrence of each."""
    reverse = rows[::-1]
    unique, first = np.unique(reverse, return_index=True)
    return unique, len(rows) - 1 - first


@dataclass(slots=True)
class CityFrame:
    """Every asset's last reading time, last value per metric and last status, as columns by asset key.

    ``last_ms`` and ``status_ms`` are -1 and ``online`` -1 where nothing is known yet.
    """

    last_ms: np.ndarray = field(default_factory=lambda: np.empty(0, np.int64))
    online: np.ndarray = field(default_factory=lambda: np.empty(0, np.int8))
    status_ms: np.ndarray = field(default_factory=lambda: np.empty(0, np.int64))
    metrics: dict[str, np.ndarray] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.last_ms)

    def copy(self) -> CityFrame:
        return CityFrame(self.last_ms.copy(), self.online.copy(), self.status_ms.copy(),
                         {k: v.copy() for k, v in self.metrics.items()})

    def reserve(self, size: int) -> None:
        """Make room for asset keys below ``size``."""
        grow = size - len(self.last_ms)
        if grow <= 0:
            return
        self.last_ms = np.r_[self.last_ms, np.full(grow, -1, np.int64)]
        self.online = np.r_[self.online, np.full(grow, -1, np.int8)]
        self.status_ms = np.r_[self.status_ms, np.full(grow, -1, np.int64)]
        for name, values in self.metrics.items():
            extra = np.empty(grow, object)
            extra[:] = MISSING
            self.metrics[name] = np.r_[values, extra]

    def _metric(self, name: str) -> np.ndarray:
        column = self.metrics.get(name)
        if column is None:
            column = np.empty(len(self.last_ms), object)
            column[:] = MISSING
            self.metrics[name] = column
        return column

    def apply(self, segment: Segment) -> None:
        """Move the frame forward by a segment's readings (the last one of each asset wins)."""
        if not len(segment):
            return
        rows = segment.keys
        self.reserve(int(rows.max()) + 1)
        unique, last = _last_positions(rows)
        self.last_ms[unique] = np.maximum(self.last_ms[unique], segment.ts_ms[last])
        for name, (present, values) in segment.columns.items():
            positions = np.flatnonzero(present)
            if positions.size == 0:
                continue
            where, last = _last_positions(rows[positions])
            column = self._metric(name)
            if isinstance(values, list):
                column[where] = [values[i] for i in last.tolist()]
            else:
                column[where] = values[last]

    def apply_status(self, changes: Sequence[tuple[int, int, bool]]) -> None:
        """Apply ``(asset key, ts_ms, online)`` changes in time order."""
        if not changes:
            return
        self.reserve(max(k for k, _, _ in changes) + 1)
        for key, ts, online in changes:
            self.online[key] = 1 if online else 0
            self.status_ms[key] = ts

    def encode(self) -> bytes:
        columns: dict[str, tuple[np.ndarray | None, Any]] = {
            "\x00online": (None, self.online.astype(np.int64)),
            "\x00status_ms": (None, self.status_ms),
        }
        for name, values in self.metrics.items():
            present = np.fromiter((v is not MISSING for v in values), bool, len(values))
            kept = values[present].tolist()
            typed = _typed(kept)
            columns[name] = (present, typed if typed is not None else kept)
        return encode_block(self.last_ms, columns)

    @classmethod
    def decode(cls, raw: bytes) -> CityFrame:
        last_ms, columns = decode_block(raw)
        frame = cls(last_ms, np.asarray(columns[0].values, np.int8), np.asarray(columns[1].values, np.int64))
        for column in columns[2:]:
            values = np.empty(len(last_ms), object)
            values[:] = MISSING
            values[column.present] = column.values
            frame.metrics[column.name] = values
        return frame

    def values_of(self, key: int) -> dict[str, Any]:
        """The last value of every metric the asset has reported."""
        if key >= len(self.last_ms):
            return {}
        return {name: v for name, column in self.metrics.items() if (v := column[key]) is not MISSING}
