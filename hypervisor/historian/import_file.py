"""Importing past telemetry from CSV or Parquet, for a city moving from another system.

One row per reading, wide: an ``asset_id`` column, a time column (``ts_ms`` in epoch milliseconds, or
``time``/``timestamp`` as ISO 8601 text, UTC unless it says otherwise) and one column per metric. An
empty cell is a metric the reading does not carry. Readings go in through the historian's writer as raw
telemetry; upkeep (or ``hypervisor historian compact``) then writes keyframes and compacts them.
Keyframes are only written forward in time: readings older than the file's last keyframe are kept and
read back, but ``state_at`` does not see them.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from pathlib import Path

import pandas as pd

from feeds.model import Measurement
from hypervisor.historian.writer import Historian

CHUNK_ROWS = 50_000
TIME_COLUMNS = ("ts_ms", "time", "timestamp")


class ImportFileError(ValueError):
    """The file cannot be imported; the message says why and what to do."""


def _chunks(path: Path) -> Iterator[pd.DataFrame]:
    suffix = path.suffix.lower()
    if suffix == ".csv":
        yield from pd.read_csv(path, chunksize=CHUNK_ROWS)
    elif suffix in (".parquet", ".pq"):
        try:
            frame = pd.read_parquet(path)
        except ImportError as exc:
            raise ImportFileError("reading Parquet needs pyarrow: pip install 'hypervisor[parquet]'") from exc
        for start in range(0, len(frame), CHUNK_ROWS):
            yield frame.iloc[start:start + CHUNK_ROWS]
    else:
        raise ImportFileError(f"{path.name}: expected a .csv or .parquet file")


def _times(frame: pd.DataFrame, path: Path) -> pd.Series:
    if "ts_ms" in frame:
        return pd.to_numeric(frame["ts_ms"], errors="raise").astype("int64")
    for name in TIME_COLUMNS[1:]:
        if name in frame:
            stamps = pd.to_datetime(frame[name], utc=True, format="ISO8601")
            return stamps.astype("datetime64[ms, UTC]").astype("int64")
    raise ImportFileError(f"{path.name}: no time column; name one of {', '.join(TIME_COLUMNS)}")


def _readings(frame: pd.DataFrame, path: Path, domain: str) -> list[Measurement]:
    if "asset_id" not in frame:
        raise ImportFileError(f"{path.name}: no asset_id column")
    try:
        times = _times(frame, path).tolist()
    except (ValueError, TypeError) as exc:
        raise ImportFileError(f"{path.name}: unreadable time: {exc}") from exc
    metrics = [c for c in frame.columns if c not in ("asset_id", "domain", *TIME_COLUMNS)]
    columns = [frame[name].tolist() for name in metrics]
    domains = frame["domain"].tolist() if "domain" in frame else [domain] * len(frame)
    out = []
    for row, (asset_id, ts) in enumerate(zip(frame["asset_id"].astype(str).tolist(), times, strict=True)):
        values = {}
        for name, column in zip(metrics, columns, strict=True):
            value = column[row]
            if value is None or (isinstance(value, float) and math.isnan(value)):
                continue
            values[name] = value
        out.append(Measurement(asset_id, str(domains[row]), int(ts), values))
    return out


def import_file(historian_path: Path, path: Path, domain: str = "",
                progress: Callable[[int], object] | None = None) -> int:
    """Import every reading of ``path`` into the historian; returns how many."""
    if not path.is_file():
        raise ImportFileError(f"no file at {path}")
    historian = Historian(historian_path, history=None)
    historian.start()
    count = 0
    try:
        for frame in _chunks(path):
            readings = _readings(frame, path, domain)
            historian.add_measurements(readings)
            historian.flush(300)
            count += len(readings)
            if progress is not None:
                progress(len(readings))
    finally:
        historian.close()
    return count
