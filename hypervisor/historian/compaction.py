"""Compaction: the raw telemetry of closed hours moved into one compressed block per asset and day.

Each batch of assets of an hour is one transaction: their raw rows are deleted (by rowid, so rows that
arrive meanwhile stay raw) and their day blocks written merged with them. A process killed mid-way
leaves every batch either wholly raw or wholly compacted: nothing lost, nothing doubled.

A QoS 1 message delivered twice stores the same reading twice (same asset, same ``ts_ms``). A block
holds one reading per (asset, instant): on a duplicate the row written last wins. Raw rows read back
are deduplicated the same way (see :func:`unique_rows`).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import groupby
from typing import Any

import orjson
from sqlite_utils import Database

from hypervisor.historian.codec import block_rows, decode_block, encode_rows
from hypervisor.historian.schema import DAY_MS, TELEMETRY_HOUR, TELEMETRY_HOUR_MS, write_transaction

ASSETS_PER_TRANSACTION = 200
"""Assets compacted per transaction: short enough that the writer never waits long for the lock, nor
the engine for the GIL."""

UPSERT_BLOCK = (
    "INSERT INTO telemetry_blocks (asset_id, day, first_ms, last_ms, readings, data) VALUES (?, ?, ?, ?, ?, ?)"
    " ON CONFLICT(asset_id, day) DO UPDATE SET first_ms = excluded.first_ms, last_ms = excluded.last_ms,"
    " readings = excluded.readings, data = excluded.data"
)
UPSERT_ROLLUP = (
    "INSERT INTO rollups (asset_id, day, resolution, data) VALUES (?, ?, ?, ?)"
    " ON CONFLICT(asset_id, day, resolution) DO UPDATE SET data = excluded.data"
)

Reading = tuple[int, dict[str, Any]]


@dataclass(slots=True)
class CompactionResult:
    hours: int = 0
    readings: int = 0
    duplicates: int = 0
    blocks: int = 0


def unique_rows(rows: Iterable[Reading]) -> list[Reading]:
    """Readings in time order, one per instant: of several at the same ``ts_ms``, the last one given."""
    by_ts: dict[int, dict[str, Any]] = {}
    for ts, metrics in rows:
        by_ts[ts] = metrics
    return sorted(by_ts.items(), key=lambda item: item[0])


def block_readings(blob: bytes) -> list[Reading]:
    """The readings of one stored block."""
    return block_rows(*decode_block(blob))


def closed_hours(db: Database, before_ms: int) -> list[int]:
    """Hours holding raw telemetry that end at or before ``before_ms``, oldest first."""
    last = before_ms // TELEMETRY_HOUR_MS
    hours = []
    hour = db.execute(f"SELECT min({TELEMETRY_HOUR}) FROM telemetry").fetchone()[0]
    while hour is not None and hour < last:
        hours.append(hour)
        hour = db.execute(f"SELECT {TELEMETRY_HOUR} FROM telemetry WHERE ts_ms >= ? ORDER BY ts_ms LIMIT 1",
                          [(hour + 1) * TELEMETRY_HOUR_MS]).fetchone()
        hour = None if hour is None else hour[0]
    return hours


def _hour_rows(db: Database, hour: int) -> Iterator[tuple[str, list[tuple[int, int, str]]]]:
    rows = db.execute(f"SELECT asset_id, ts_ms, rowid, metrics FROM telemetry WHERE {TELEMETRY_HOUR} = ?"
                      " ORDER BY asset_id, ts_ms, rowid", [hour]).fetchall()
    for asset_id, group in groupby(rows, key=lambda row: row[0]):
        yield asset_id, [(ts, rowid, metrics) for _, ts, rowid, metrics in group]


def _batches(items: Iterator[Any], size: int) -> Iterator[list[Any]]:
    batch: list[Any] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def compact_hour(db: Database, hour: int, result: CompactionResult, pause_s: float = 0.0) -> None:
    """Move one hour's raw telemetry into the day blocks, ``ASSETS_PER_TRANSACTION`` assets a transaction.

    With ``pause_s``, it sleeps after each transaction at least that long and as long as the
    transaction took: compaction takes at most half of a core, and leaves the rest to ingest.
    """
    day = hour * TELEMETRY_HOUR_MS // DAY_MS
    for batch in _batches(_hour_rows(db, hour), ASSETS_PER_TRANSACTION):
        began = time.monotonic()
        # Read and encode outside the transaction: only this compactor writes blocks, and raw rows are
        # deleted by rowid, so nothing read here can change before the write.
        rowids: list[int] = []
        blocks: list[tuple[Any, ...]] = []
        for asset_id, raw in batch:
            rowids.extend(rowid for _, rowid, _ in raw)
            stored = db.execute("SELECT data FROM telemetry_blocks WHERE asset_id = ? AND day = ?",
                                [asset_id, day]).fetchone()
            old = block_readings(stored[0]) if stored else []
            new = [(ts, orjson.loads(metrics)) for ts, _, metrics in raw]
            merged = unique_rows([*old, *new])
            result.duplicates += len(old) + len(new) - len(merged)
            result.readings += len(new)
            blocks.append(day_block_row(asset_id, day, merged))
        with write_transaction(db):
            db.conn.executemany(UPSERT_BLOCK, blocks)
            db.execute("DELETE FROM telemetry WHERE rowid IN (SELECT value FROM json_each(?))",
                       [orjson.dumps(rowids).decode()])
        result.blocks += len(blocks)
        if pause_s:
            time.sleep(max(pause_s, time.monotonic() - began))
    result.hours += 1


def day_block_row(asset_id: str, day: int, readings: Sequence[Reading]) -> tuple[Any, ...]:
    """The ``UPSERT_BLOCK`` row of an asset's readings of one day (time order, one per instant)."""
    ts = [r[0] for r in readings]
    return (asset_id, day, ts[0], ts[-1], len(ts), encode_rows(ts, [r[1] for r in readings]))


def compact(db: Database, before_ms: int, pause_s: float = 0.0,
            stop: threading.Event | None = None) -> CompactionResult:
    """Compact every hour of raw telemetry that ended by ``before_ms`` (until ``stop`` is set)."""
    result = CompactionResult()
    for hour in closed_hours(db, before_ms):
        if stop is not None and stop.is_set():
            break
        compact_hour(db, hour, result, pause_s)
    return result
