"""Rollups: per hour and per minute, each numeric metric's min, max, mean, last value and count.

Rollups are written when retention drops a day's readings, so that history older than the raw
retention keeps its shape at a minute's and an hour's resolution. While the readings are kept, rollups
are computed from the day blocks when read: a block holds an asset's whole day, so a week is seven
blocks, and storing hourly rollups beside them cost more bytes than the readings (4.75 per reading
over a day of the simulated city, against 3.0 for the blocks). Both are stored as blocks
(:mod:`hypervisor.historian.codec`) whose times are the start of each bucket and whose columns are
``metric:min``, ``metric:max``, ``metric:mean``, ``metric:last`` and ``metric:count``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from hypervisor.historian.codec import Column, decode_block, encode_block

HOUR_MS = 3_600_000
MINUTE_MS = 60_000
STATS = ("min", "max", "mean", "last", "count")
RESOLUTIONS = {"minute": MINUTE_MS, "hour": HOUR_MS}


@dataclass(frozen=True, slots=True)
class Rollup:
    """One metric's buckets: start times (int64 epoch ms) and one float64 array per statistic."""

    ts_ms: np.ndarray
    min: np.ndarray
    max: np.ndarray
    mean: np.ndarray
    last: np.ndarray
    count: np.ndarray


def rollup_block(ts_ms: np.ndarray, columns: Sequence[Column], bucket_ms: int) -> bytes | None:
    """A rollup block of a decoded day block, or None when it has no numeric metric."""
    buckets = ts_ms // bucket_ms * bucket_ms
    starts = np.unique(buckets)
    out: dict[str, tuple[np.ndarray | None, np.ndarray]] = {}
    for column in columns:
        mask, values = column.as_float()
        if values.size == 0:
            continue
        keys = buckets[mask]
        finite = ~np.isnan(values)
        keys, values = keys[finite], values[finite]
        if values.size == 0:
            continue
        first = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
        ends = np.r_[first[1:], len(keys)]
        counts = ends - first
        present = np.isin(starts, keys[first])
        out[f"{column.name}:min"] = (present, np.minimum.reduceat(values, first))
        out[f"{column.name}:max"] = (present, np.maximum.reduceat(values, first))
        out[f"{column.name}:mean"] = (present, np.add.reduceat(values, first) / counts)
        out[f"{column.name}:last"] = (present, values[ends - 1])
        out[f"{column.name}:count"] = (present, counts.astype(np.int64))
    if not out:
        return None
    return encode_block(starts, {name: (None if mask.all() else mask, v) for name, (mask, v) in out.items()})


def hour_rollups(ts_ms: np.ndarray, columns: Sequence[Column]) -> bytes | None:
    return rollup_block(ts_ms, columns, HOUR_MS)


def minute_rollups(ts_ms: np.ndarray, columns: Sequence[Column]) -> bytes | None:
    return rollup_block(ts_ms, columns, MINUTE_MS)


def read_rollup(blob: bytes, metric: str) -> Rollup | None:
    """One metric's buckets from a stored rollup block, or None when the block lacks it."""
    ts, columns = decode_block(blob)
    by_name = {c.name: c for c in columns}
    if f"{metric}:count" not in by_name:
        return None
    mask = by_name[f"{metric}:count"].present
    stats = {stat: np.asarray(by_name[f"{metric}:{stat}"].values, dtype=np.float64) for stat in STATS}
    return Rollup(ts[mask], **stats)


def concat(parts: Sequence[Rollup]) -> Rollup:
    """Rollups of consecutive days joined into one."""
    if not parts:
        empty = np.empty(0)
        return Rollup(np.empty(0, dtype=np.int64), empty, empty, empty, empty, empty)
    return Rollup(*(np.concatenate([getattr(p, name) for p in parts]) for name in ("ts_ms", *STATS)))
