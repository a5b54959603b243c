"""The simulated city: every asset of an inventory reporting as real devices would, plus faults."""

from __future__ import annotations

import zlib
from dataclasses import dataclass, replace

import numpy as np

from feeds.inventory import KINDS, Inventory
from feeds.model import Measurement, Reading, StatusUpdate
from feeds.simulator.context import DomainModel, SimContext
from feeds.simulator.faults import Fault, FaultBook, check_fault
from feeds.simulator.heating import Heating
from feeds.simulator.lighting import Lighting
from feeds.simulator.random_faults import RandomFaults
from feeds.simulator.timing import ReportSchedule, hash_uniform
from feeds.simulator.waste import Waste
from feeds.simulator.water import Water
from feeds.simulator.weather import Weather

FAULT_REPORT_PERIOD_MS = 60_000
"""While a fault changes its values, a device reports at least this often (event mode)."""
_STREAM_PHASE = 1


@dataclass(frozen=True, slots=True)
class KindColumns:
    """Readings of one asset kind as arrays: inventory indices, instants and one array per metric."""

    kind: str
    positions: np.ndarray
    idx: np.ndarray
    t_ms: np.ndarray
    metrics: dict[str, np.ndarray]


class CitySimulator:
    """Steps a whole city; each step returns the readings due since the previous one, in time order."""

    def __init__(self, inventory: Inventory, seed: int = 0, start_ms: int | None = None) -> None:
        self.inventory = inventory
        self.seed = seed
        self._start_ms = start_ms
        self._last_ms: int | None = None
        self._faults = FaultBook(inventory)
        self._random: RandomFaults | None = None
        self._ids = [a.id for a in inventory]
        self._domains = [a.domain for a in inventory]
        self._kind_of = np.array([a.kind for a in inventory], dtype=object)
        self._simulated = np.flatnonzero(np.isin(self._kind_of, list(KINDS)))
        # Kinds as small integers: grouping readings by kind then costs no string comparison.
        kind_names, kind_codes = np.unique(self._kind_of.astype(str), return_inverse=True)
        self._kind_names: list[str] = kind_names.tolist()
        self._kind_codes = kind_codes.astype(np.int16)
        self._periods = np.array([max(1, round(a.report_period_s * 1000)) for a in inventory], dtype=np.int64)
        keys = np.array([zlib.crc32(a.id.encode()) for a in inventory], dtype=np.int64)
        self._phases = (hash_uniform(seed, _STREAM_PHASE, keys) * self._periods).astype(np.int64)
        self._schedule = ReportSchedule(self._periods[self._simulated], self._phases[self._simulated])
        self._context = SimContext(inventory, seed, Weather(seed), self._faults, self._kind_of)
        self._models: dict[str, DomainModel] = {}
        self.weather = self._context.weather

    @property
    def now_ms(self) -> int | None:
        """Simulated time of the last step (None before the first)."""
        return self._last_ms

    def _start(self, now_ms: int) -> list[Reading]:
        start = self._start_ms if self._start_ms is not None else now_ms
        for model in (Lighting(self._context), Heating(self._context, start), Waste(self._context),
                      Water(self._context)):
            self._models.update(dict.fromkeys(model.kinds, model))
        for model in set(self._models.values()):
            model.advance(now_ms)
        self._last_ms = now_ms
        statuses: list[Reading] = [StatusUpdate(self._ids[i], self._domains[i], now_ms, True)
                                   for i in self._simulated.tolist()]
        # Values first: a console shows the city's figures from the first messages of the first report.
        return self._measure(self._simulated, np.full(len(self._simulated), now_ms, np.int64)) + statuses

    def step(self, now_ms: int) -> list[Reading]:
        """Readings due in ``(previous step, now_ms]``; the first call also brings every asset online."""
        if self._last_ms is None:
            return self._start(now_ms)
        if now_ms <= self._last_ms:
            return []
        readings = self._measure(*self._due(now_ms))
        self._faults.prune(now_ms)
        self._last_ms = now_ms
        return readings

    def _due(self, now_ms: int) -> tuple[np.ndarray, np.ndarray]:
        """(inventory index, instant) of every report due in ``(previous step, now_ms]``."""
        assert self._last_ms is not None
        after = self._last_ms
        if self._random is not None:
            for fault in self._random.draw(after, now_ms):
                self.inject(fault)
        for model in set(self._models.values()):
            model.advance(now_ms)
        due_idx, due_t = self._schedule.due(after, now_ms)
        parts_idx, parts_t = [self._simulated[due_idx]], [due_t]
        fast_idx, fast_t = self._fault_reports(after, now_ms)
        parts_idx.append(fast_idx)
        parts_t.append(fast_t)
        for model in set(self._models.values()):
            idx, t = model.changes(after, now_ms)
            parts_idx.append(idx)
            parts_t.append(t)
        for idx, instant in self._faults.transitions(after, now_ms):
            parts_idx.append(idx)
            parts_t.append(np.full(len(idx), instant, dtype=np.int64))
        return np.concatenate(parts_idx).astype(np.intp), np.concatenate(parts_t).astype(np.int64)

    def _fault_reports(self, after_ms: int, until_ms: int) -> tuple[np.ndarray, np.ndarray]:
        """Extra reports from assets whose values a fault is changing (devices report more on alarm)."""
        idx = self._faults.under_fault(after_ms, until_ms)
        idx = idx[self._periods[idx] > FAULT_REPORT_PERIOD_MS]
        if idx.size == 0:
            return idx, np.empty(0, np.int64)
        phases = self._phases[idx] % FAULT_REPORT_PERIOD_MS
        first = (after_ms - phases) // FAULT_REPORT_PERIOD_MS + 1
        counts = (until_ms - phases) // FAULT_REPORT_PERIOD_MS - first + 1
        within = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
        t = np.repeat(phases + first * FAULT_REPORT_PERIOD_MS, counts) + within * FAULT_REPORT_PERIOD_MS
        return np.repeat(idx, counts), t

    def _measure(self, idx: np.ndarray, t_ms: np.ndarray) -> list[Reading]:
        """Measurements for (asset, instant) pairs: silenced assets left out, duplicates merged, in time order."""
        order, parts = self._measure_columns(idx, t_ms)
        if order.size == 0:
            return []
        readings = np.empty(len(order), dtype=object)
        ids, domains = self._ids, self._domains
        for part in parts:
            names = list(part.metrics)
            columns = zip(*(part.metrics[name].tolist() for name in names), strict=True)
            readings[part.positions] = [
                Measurement(ids[i], domains[i], ts, dict(zip(names, values, strict=False)))
                for i, ts, values in zip(part.idx.tolist(), part.t_ms.tolist(), columns, strict=True)]
        return readings.tolist()

    def _measure_columns(self, idx: np.ndarray, t_ms: np.ndarray) -> tuple[np.ndarray, list[KindColumns]]:
        """The due (asset, instant) pairs in time order, and their metrics as arrays, one part per kind."""
        if idx.size == 0:
            return idx, []
        order = np.lexsort((idx, t_ms))
        idx, t_ms = idx[order], t_ms[order]
        keep = np.ones(len(idx), dtype=bool)
        keep[1:] = (idx[1:] != idx[:-1]) | (t_ms[1:] != t_ms[:-1])
        keep &= ~self._faults.affects("sensor_silence", idx, t_ms)
        idx, t_ms = idx[keep], t_ms[keep]
        codes = self._kind_codes[idx]
        parts = []
        for code in np.flatnonzero(np.bincount(codes, minlength=len(self._kind_names))).tolist():
            kind = self._kind_names[code]
            pos = np.flatnonzero(codes == code)
            metrics = self._models[kind].measure(kind, idx[pos], t_ms[pos])
            parts.append(KindColumns(kind, pos, idx[pos], t_ms[pos], metrics))
        return idx, parts

    def step_columns(self, now_ms: int) -> tuple[int, list[KindColumns]]:
        """Like :meth:`step` without making a Python object per reading: the readings due in
        ``(previous step, now_ms]`` as arrays per asset kind (``positions`` place them in time order
        among all kinds), and how many there are. The first call's readings are everyone's first."""
        if self._last_ms is None:
            self._start(now_ms)
            order, parts = self._measure_columns(self._simulated, np.full(len(self._simulated), now_ms, np.int64))
            return len(order), parts
        if now_ms <= self._last_ms:
            return 0, []
        idx, t = self._due(now_ms)
        order, parts = self._measure_columns(idx, t)
        self._faults.prune(now_ms)
        self._last_ms = now_ms
        return len(order), parts

    def inject(self, fault: Fault) -> Fault:
        """Add a fault; without ``start_ms`` it starts now. Returns it as stored, with its id."""
        fault = check_fault(fault, self.inventory)
        if fault.start_ms is None:
            now = self._last_ms if self._last_ms is not None else self._start_ms
            if now is None:
                raise ValueError("fault needs 'start_ms' before the simulation has started")
            fault = replace(fault, start_ms=now)
        if not fault.fault_id:
            fault = replace(fault, fault_id=f"{fault.kind}:{fault.asset_id}:{fault.start_ms}")
        known = {f.fault_id for f in self._faults.faults()}
        base, n = fault.fault_id, 1
        while fault.fault_id in known:
            n += 1
            fault = replace(fault, fault_id=f"{base}#{n}")
        self._faults.add(fault)
        return fault

    def clear(self, fault_id: str) -> bool:
        """End a fault now; its assets report their return to normal at the next step."""
        now = self._last_ms if self._last_ms is not None else self._start_ms
        return self._faults.end(fault_id, (now if now is not None else 0) + 1)

    def assets_under_fault(self, after_ms: int, until_ms: int) -> np.ndarray:
        """Inventory indices of assets whose values a fault changes at some time in ``(after_ms, until_ms]``."""
        return self._faults.under_fault(after_ms, until_ms)

    def active_faults(self) -> list[Fault]:
        """Faults in effect at the current simulated time."""
        now = self._last_ms if self._last_ms is not None else self._start_ms
        if now is None:
            return []
        return [f for f in self._faults.faults() if f.start_ms is not None and f.start_ms <= now
                and (f.end_ms is None or now < f.end_ms)]

    def pending_faults(self) -> list[Fault]:
        """Faults injected ahead of time that have not started yet."""
        now = self._last_ms if self._last_ms is not None else self._start_ms
        return [f for f in self._faults.faults() if f.start_ms is not None and (now is None or f.start_ms > now)]

    def enable_random_faults(self, per_hour: float) -> None:
        """Demo mode: about ``per_hour`` random faults per simulated hour, each clearing itself; 0 stops."""
        self._random = RandomFaults(self.inventory, self.seed, per_hour) if per_hour else None
