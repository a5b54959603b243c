"""Cutting a stored day block to an export's period with array operations, never a Python object per reading."""

from __future__ import annotations

from typing import Any

import numpy as np

from hypervisor.historian.codec import Column, decode_block, encode_block


def _kept(column: Column, keep: np.ndarray) -> Column:
    chosen = keep[column.present]
    values: Any = ([v for v, k in zip(column.values, chosen.tolist(), strict=True) if k]
                   if isinstance(column.values, list) else column.values[chosen])
    return Column(column.name, column.kind, column.present[keep], values)


def cut_block(blob: bytes, since_ms: int, until_ms: int) -> tuple[int, int, int, bytes] | None:
    """The block's readings with ``since_ms <= ts_ms < until_ms`` as ``(first_ms, last_ms, readings, block)``,
    or None when it has none. A block wholly inside is returned as stored."""
    ts, columns = decode_block(blob)
    keep = (ts >= since_ms) & (ts < until_ms)
    if not keep.any():
        return None
    if keep.all():
        return int(ts[0]), int(ts[-1]), len(ts), blob
    kept_ts = ts[keep]
    kept = [_kept(c, keep) for c in columns]
    data = encode_block(kept_ts, {c.name: (None if c.present.all() else c.present, c.values) for c in kept})
    return int(kept_ts[0]), int(kept_ts[-1]), len(kept_ts), data
