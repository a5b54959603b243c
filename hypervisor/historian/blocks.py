"""Reading compacted telemetry back: one asset's readings, or a window of many assets as a frame."""

from __future__ import annotations

import sqlite3
from collections.abc import Collection

import numpy as np
import orjson
import pandas as pd

from hypervisor.historian.codec import block_rows, decode_block
from hypervisor.historian.rollups import RESOLUTIONS, Rollup, concat, read_rollup, rollup_block
from hypervisor.historian.schema import DAY_MS

Reading = tuple[int, dict]
FRAME_COLUMNS = ["ts_ms", "asset_id", "metric", "value"]


def asset_block_readings(conn: sqlite3.Connection, asset_id: str, since_ms: int, until_ms: int) -> list[Reading]:
    """Compacted readings of one asset with ``since_ms <= ts_ms < until_ms``, in time order."""
    rows = conn.execute("SELECT data FROM telemetry_blocks WHERE asset_id = ? AND day >= ? AND day <= ?"
                        " AND last_ms >= ? AND first_ms < ? ORDER BY day",
                        [asset_id, since_ms // DAY_MS, (until_ms - 1) // DAY_MS, since_ms, until_ms]).fetchall()
    out: list[Reading] = []
    for (blob,) in rows:
        out.extend(r for r in block_rows(*decode_block(blob)) if since_ms <= r[0] < until_ms)
    return out


def window_block_frame(conn: sqlite3.Connection, since_ms: int, until_ms: int,
                       asset_ids: Collection[str] | None, metrics: Collection[str] | None) -> pd.DataFrame:
    """Compacted numeric telemetry of a window in long format (``ts_ms, asset_id, metric, value``)."""
    sql = ("SELECT asset_id, data FROM telemetry_blocks WHERE day >= ? AND day <= ? AND last_ms >= ?"
           " AND first_ms < ?")
    params: list[object] = [since_ms // DAY_MS, (until_ms - 1) // DAY_MS, since_ms, until_ms]
    if asset_ids is not None:
        sql += " AND asset_id IN (SELECT value FROM json_each(?))"
        params.append(orjson.dumps(list(asset_ids)).decode())
    wanted = None if metrics is None else set(metrics)
    parts: list[pd.DataFrame] = []
    for asset_id, blob in conn.execute(sql, params).fetchall():
        ts, columns = decode_block(blob)
        for column in columns:
            if wanted is not None and column.name not in wanted:
                continue
            mask, values = column.as_float()
            times = ts[mask]
            keep = (times >= since_ms) & (times < until_ms)
            if keep.any():
                parts.append(pd.DataFrame({"ts_ms": times[keep], "asset_id": asset_id, "metric": column.name,
                                           "value": values[keep]}))
    if not parts:
        return pd.DataFrame({name: [] for name in FRAME_COLUMNS})
    return pd.concat(parts, ignore_index=True)


def rollup_series(conn: sqlite3.Connection | None, asset_id: str, metric: str, since_ms: int, until_ms: int,
                  resolution: str = "hour") -> Rollup:
    """Buckets of one metric whose start is in ``[since_ms, until_ms)``, oldest first: from the day
    blocks where the readings are kept, from the stored rollups where retention dropped them.

    The rollups of the raw hour are left out: it is not compacted yet."""
    if resolution not in RESOLUTIONS:
        raise ValueError(f"resolution must be one of {', '.join(RESOLUTIONS)}, not {resolution!r}")
    if conn is None:
        return concat([])
    days = [since_ms // DAY_MS, (until_ms - 1) // DAY_MS]
    stored = conn.execute("SELECT day, data FROM rollups WHERE asset_id = ? AND resolution = ? AND day >= ?"
                          " AND day <= ?", [asset_id, resolution, *days]).fetchall()
    raw = conn.execute("SELECT day, data FROM telemetry_blocks WHERE asset_id = ? AND day >= ? AND day <= ?",
                       [asset_id, *days]).fetchall()
    by_day = {day: read_rollup(blob, metric) for day, blob in stored}
    for day, blob in raw:
        rollup = rollup_block(*decode_block(blob), RESOLUTIONS[resolution])
        by_day[day] = None if rollup is None else read_rollup(rollup, metric)
    whole = concat([by_day[day] for day in sorted(by_day) if by_day[day] is not None])
    keep = (whole.ts_ms >= since_ms) & (whole.ts_ms < until_ms)
    return Rollup(*(getattr(whole, name)[keep] for name in Rollup.__slots__))


def as_numeric(readings: list[Reading], metric: str) -> tuple[np.ndarray, np.ndarray]:
    """Time and float64 value arrays of one metric: bools as 0/1, null as NaN, strings left out."""
    ts: list[int] = []
    values: list[float] = []
    for t, metrics in readings:
        if metric not in metrics:
            continue
        value = metrics[metric]
        if value is None:
            ts.append(t)
            values.append(np.nan)
        elif isinstance(value, bool | int | float):
            ts.append(t)
            values.append(float(value))
    return np.asarray(ts, dtype=np.int64), np.asarray(values, dtype=np.float64)
