"""The city's state held as columns, and the segments of readings that move it forward.

A :class:`Segment` is a slice of readings of many assets, one per asset and instant, sorted by asset
key then time (neighbouring keys and times encode in few bytes), stored column by column. A
:class:`CityFrame` is every asset's last reading time, last value of each metric and last online
status, as typed arrays indexed by asset key; applying a segment to it is a few numpy operations per
metric, which is what makes :func:`hypervisor.historian.timeline.state_at` fast.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from hypervisor.historian.codec import _typed, decode_block, encode_block


def _column(values: list[Any]) -> Any:
    typed = _typed(values)
    return typed if typed is not None else values


def _take(values: Any, index: np.ndarray) -> Any:
    if isinstance(values, list):
        return [values[i] for i in index.tolist()]
    return values[index]


@dataclass(slots=True)
class Segment:
    """Readings of many assets: the asset of key ``keys[i]`` reported ``ts_ms[i]``; sorted by key, then time.

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
        """From ``(asset key, ts_ms, metrics)``, one per asset and instant, in any order."""
        readings = sorted(readings, key=lambda r: (r[0], r[1]))
        keys = np.fromiter((k for k, _, _ in readings), np.int64, len(readings))
        ts = np.fromiter((t for _, t, _ in readings), np.int64, len(readings))
        names: dict[str, None] = {}
        for _, _, metrics in readings:
            names.update(dict.fromkeys(metrics))
        columns: dict[str, tuple[np.ndarray, Any]] = {}
        for name in names:
            present = np.fromiter((name in m for _, _, m in readings), bool, len(readings))
            columns[name] = (present, _column([m[name] for _, _, m in readings if name in m]))
        return cls(keys, ts, columns)

    @classmethod
    def from_arrays(cls, keys: np.ndarray, ts_ms: np.ndarray, columns: dict[str, tuple[np.ndarray, Any]]) -> Segment:
        """From readings in any order; ``columns`` as in the class, in the same order as ``keys``."""
        order = np.lexsort((ts_ms, keys))
        sorted_columns = {}
        for name, (present, values) in columns.items():
            rank = np.cumsum(present) - 1
            picked = present[order]
            sorted_columns[name] = (picked, _take(values, rank[order][picked]))
        return cls(keys[order], ts_ms[order], sorted_columns)

    def select(self, keep: np.ndarray) -> Segment:
        """The readings where ``keep`` is true."""
        if keep.all():
            return self
        columns = {}
        for name, (present, values) in self.columns.items():
            columns[name] = (present[keep], _take(values, np.flatnonzero(keep[present])))
        return Segment(self.keys[keep], self.ts_ms[keep], columns)

    def until(self, ts_ms: int) -> Segment:
        """The readings at or before ``ts_ms``."""
        if not len(self) or int(self.ts_ms.max()) <= ts_ms:
            return self
        return self.select(self.ts_ms <= ts_ms)

    def encode(self, last_ms: np.ndarray) -> bytes:
        """The segment as a block, each time stored as the gap since the asset's previous reading.

        ``last_ms`` is the frame's ``last_ms`` before this segment (-1 where unknown). Devices report
        at a fixed period, so the gaps repeat and compress to almost nothing; the instants themselves
        took 60 % of a segment.
        """
        gaps = self.ts_ms - _previous(self.keys, self.ts_ms, last_ms, base=0)
        columns = {"\x00key": (None, self.keys), **{n: (p, v) for n, (p, v) in self.columns.items()}}
        return encode_block(gaps, columns)

    @classmethod
    def decode(cls, raw: bytes, last_ms: np.ndarray) -> Segment:
        """A segment written by :meth:`encode` with the same ``last_ms``."""
        gaps, decoded = decode_block(raw)
        keys = np.asarray(decoded[0].values, dtype=np.int64)
        firsts = _run_starts(keys)
        known = np.zeros(len(keys), np.int64)
        start_keys = keys[firsts]
        inside = start_keys < len(last_ms)
        bases = np.zeros(len(firsts), np.int64)
        bases[inside] = np.maximum(last_ms[start_keys[inside]], 0)
        known[firsts] = bases
        steps = gaps + known
        totals = np.cumsum(steps)
        lengths = np.diff(np.append(firsts, len(keys)))
        ts = totals - np.repeat(totals[firsts] - steps[firsts], lengths)
        return cls(keys, ts, {c.name: (c.present, c.values) for c in decoded[1:]})

    def readings(self) -> list[tuple[int, int, dict[str, Any]]]:
        """``(asset key, ts_ms, metrics)`` with the values' original Python types, by time then key."""
        out: list[tuple[int, int, dict[str, Any]]] = [
            (k, t, {}) for k, t in zip(self.keys.tolist(), self.ts_ms.tolist(), strict=True)]
        for name, (present, values) in self.columns.items():
            listed = values if isinstance(values, list) else values.tolist()
            for position, value in zip(np.flatnonzero(present).tolist(), listed, strict=True):
                out[position][2][name] = value
        out.sort(key=lambda r: (r[1], r[0]))
        return out


def _run_starts(keys: np.ndarray) -> np.ndarray:
    """Index of the first element of each run of equal keys (keys sorted)."""
    if keys.size == 0:
        return keys
    return np.concatenate([[0], np.flatnonzero(keys[1:] != keys[:-1]) + 1])


def _previous(keys: np.ndarray, ts_ms: np.ndarray, last_ms: np.ndarray, base: int) -> np.ndarray:
    """For each reading (sorted by key, then time), the asset's previous reading time: the row before
    within the same asset, else ``last_ms[key]``; ``base`` where that is unknown."""
    if keys.size == 0:
        return ts_ms.copy()
    previous = np.empty(len(ts_ms), np.int64)
    previous[1:] = ts_ms[:-1]
    firsts = _run_starts(keys)
    start_keys = keys[firsts]
    known = np.full(len(firsts), -1, np.int64)
    inside = start_keys < len(last_ms)
    known[inside] = last_ms[start_keys[inside]]
    previous[firsts] = np.where(known >= 0, known, base)
    return previous


def _run_ends(keys: np.ndarray) -> np.ndarray:
    """Index of the last element of each run of equal keys (keys sorted)."""
    if keys.size == 0:
        return keys
    ends = np.empty(0, np.int64) if keys.size == 1 else np.flatnonzero(keys[1:] != keys[:-1])
    return np.append(ends, keys.size - 1)


@dataclass(slots=True)
class FrameColumn:
    """One metric across the city: ``values[key]`` is meaningful where ``present[key]``."""

    present: np.ndarray
    values: np.ndarray

    def assign(self, rows: np.ndarray, values: Any) -> None:
        if isinstance(values, list) or values.dtype != self.values.dtype:
            if self.values.dtype != object:
                self.values = self.values.astype(object)
            if not isinstance(values, list):
                values = values.astype(object)
        self.present[rows] = True
        if isinstance(values, list):
            target = np.empty(len(values), object)
            target[:] = values
            values = target
        self.values[rows] = values

    def grow(self, size: int) -> None:
        extra = size - len(self.present)
        self.present = np.concatenate([self.present, np.zeros(extra, bool)])
        self.values = np.concatenate([self.values, np.zeros(extra, self.values.dtype)])


@dataclass(slots=True)
class CityFrame:
    """Every asset's last reading time, last value per metric and last status, as columns by asset key.

    ``last_ms`` and ``status_ms`` are -1 and ``online`` -1 where nothing is known yet.
    """

    last_ms: np.ndarray = field(default_factory=lambda: np.empty(0, np.int64))
    online: np.ndarray = field(default_factory=lambda: np.empty(0, np.int8))
    status_ms: np.ndarray = field(default_factory=lambda: np.empty(0, np.int64))
    metrics: dict[str, FrameColumn] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.last_ms)

    def copy(self) -> CityFrame:
        return CityFrame(self.last_ms.copy(), self.online.copy(), self.status_ms.copy(),
                         {k: FrameColumn(c.present.copy(), c.values.copy()) for k, c in self.metrics.items()})

    def reserve(self, size: int) -> None:
        """Make room for asset keys below ``size``."""
        grow = size - len(self.last_ms)
        if grow <= 0:
            return
        self.last_ms = np.concatenate([self.last_ms, np.full(grow, -1, np.int64)])
        self.online = np.concatenate([self.online, np.full(grow, -1, np.int8)])
        self.status_ms = np.concatenate([self.status_ms, np.full(grow, -1, np.int64)])
        for column in self.metrics.values():
            column.grow(size)

    def apply(self, segment: Segment) -> None:
        """Move the frame forward by a segment's readings (the last one of each asset wins)."""
        if not len(segment):
            return
        keys = segment.keys
        self.reserve(int(keys[-1]) + 1)
        ends = _run_ends(keys)
        self.last_ms[keys[ends]] = np.maximum(self.last_ms[keys[ends]], segment.ts_ms[ends])
        for name, (present, values) in segment.columns.items():
            carried = keys[present]
            if carried.size == 0:
                continue
            last = _run_ends(carried)
            column = self.metrics.get(name)
            if column is None:
                dtype = object if isinstance(values, list) else values.dtype
                column = self.metrics[name] = FrameColumn(np.zeros(len(self), bool), np.zeros(len(self), dtype))
            column.assign(carried[last], _take(values, last))

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
        for name, column in self.metrics.items():
            kept = column.values[column.present]
            columns[name] = (column.present, _column(kept.tolist()) if kept.dtype == object else kept)
        return encode_block(self.last_ms, columns)

    @classmethod
    def decode(cls, raw: bytes) -> CityFrame:
        last_ms, columns = decode_block(raw)
        frame = cls(last_ms, np.asarray(columns[0].values, np.int8), np.asarray(columns[1].values, np.int64))
        for column in columns[2:]:
            if isinstance(column.values, list):
                values = np.empty(len(last_ms), object)
                kept = np.empty(len(column.values), object)
                kept[:] = column.values
            else:
                values = np.zeros(len(last_ms), column.values.dtype)
                kept = column.values
            values[column.present] = kept
            frame.metrics[column.name] = FrameColumn(column.present.copy(), values)
        return frame

    def numeric(self, metric: str) -> np.ndarray:
        """One metric's last values as floats by asset key, NaN where unknown (bools as 0/1, text as NaN)."""
        out = np.full(len(self), np.nan)
        column = self.metrics.get(metric)
        if column is None:
            return out
        n = min(len(self), len(column.present))
        present = column.present[:n]
        values = column.values[:n][present]
        if values.dtype == object:
            values = np.array([float(v) if isinstance(v, int | float) else np.nan for v in values.tolist()])
        out[:n][present] = values.astype(float)
        return out

    def value(self, name: str, key: int) -> Any:
        """One asset's last value of one metric as its Python type; KeyError if it never reported it."""
        column = self.metrics.get(name)
        if column is None or key >= len(column.present) or not column.present[key]:
            raise KeyError(name)
        value = column.values[key]
        return value.item() if isinstance(value, np.generic) else value

    def values_of(self, key: int) -> dict[str, Any]:
        """The last value of every metric the asset has reported."""
        out = {}
        for name, column in self.metrics.items():
            if key < len(column.present) and column.present[key]:
                value = column.values[key]
                out[name] = value.item() if isinstance(value, np.generic) else value
        return out
