"""Retention: readings older than the raw retention leave, their rollups stay; old rollups leave.

Each batch of blocks is one transaction that writes their minute rollups and deletes them, so a process
killed mid-way loses no minute of history. Alarm events, actions, status changes, sessions and the
quarantine are not purged: they are small beside telemetry and are the record of what operators did.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlite_utils import Database

from hypervisor.historian.codec import decode_block
from hypervisor.historian.compaction import UPSERT_ROLLUP
from hypervisor.historian.rollups import hour_rollups, minute_rollups
from hypervisor.historian.schema import DAY_MS

BLOCKS_PER_TRANSACTION = 500


@dataclass(slots=True)
class RetentionResult:
    blocks_dropped: int = 0
    readings_dropped: int = 0
    keyframes_dropped: int = 0
    rollups_dropped: int = 0


def apply_retention(db: Database, newest_ms: int, raw_days: float, rollup_days: float) -> RetentionResult:
    """Drop what is older than the retention periods, counted back from ``newest_ms`` (data time).

    Whole UTC days leave at once: a day goes once all of it is older than the period.
    """
    result = drop_readings_before(db, (newest_ms - int(raw_days * DAY_MS)) // DAY_MS)
    with db.atomic():
        rollup_cut_day = (newest_ms - int(rollup_days * DAY_MS)) // DAY_MS
        result.rollups_dropped = db.execute("DELETE FROM rollups WHERE day < ?", [rollup_cut_day]).rowcount
    return result


def used_bytes(db: Database) -> int:
    """Bytes of the file in use (free pages, which new rows reuse, left out)."""
    pages = db.execute("PRAGMA page_count").fetchone()[0] - db.execute("PRAGMA freelist_count").fetchone()[0]
    return pages * db.execute("PRAGMA page_size").fetchone()[0]


def keep_under(db: Database, cap_bytes: int) -> RetentionResult:
    """Drop the oldest days of readings (keeping their rollups) while the file uses more than ``cap_bytes``."""
    result = RetentionResult()
    while used_bytes(db) > cap_bytes:
        oldest = [t for t in (db.execute("SELECT min(day) FROM telemetry_blocks").fetchone()[0],
                              db.execute("SELECT min(ts_ms) / ? FROM telemetry", [DAY_MS]).fetchone()[0])
                  if t is not None]
        newest_day = db.execute("SELECT max(ts_ms) / ? FROM telemetry", [DAY_MS]).fetchone()[0]
        if not oldest or (newest_day is not None and min(oldest) >= newest_day):
            break  # only today's readings are left: never drop the day in progress
        dropped = drop_readings_before(db, min(oldest) + 1)
        result.blocks_dropped += dropped.blocks_dropped
        result.readings_dropped += dropped.readings_dropped
        result.keyframes_dropped += dropped.keyframes_dropped
    return result


def drop_readings_before(db: Database, cut_day: int) -> RetentionResult:
    """Drop readings and keyframes of the days before ``cut_day``, writing their rollups first."""
    result = RetentionResult()
    while True:
        rows = db.execute("SELECT rowid, asset_id, day, readings, data FROM telemetry_blocks WHERE day < ?"
                          " LIMIT ?", [cut_day, BLOCKS_PER_TRANSACTION]).fetchall()
        if not rows:
            break
        with db.atomic():
            for rowid, asset_id, day, readings, blob in rows:
                ts, columns = decode_block(blob)
                for resolution, make in (("minute", minute_rollups), ("hour", hour_rollups)):
                    if (rollup := make(ts, columns)) is not None:
                        db.execute(UPSERT_ROLLUP, [asset_id, day, resolution, rollup])
                db.execute("DELETE FROM telemetry_blocks WHERE rowid = ?", [rowid])
                result.blocks_dropped += 1
                result.readings_dropped += readings
    with db.atomic():
        result.readings_dropped += db.execute("DELETE FROM telemetry WHERE ts_ms < ?", [cut_day * DAY_MS]).rowcount
        # Keep the chain whole: the oldest keyframe left must hold a full frame.
        first_full = db.execute("SELECT min(ts_ms) FROM keyframes WHERE full = 1 AND ts_ms >= ?",
                                [cut_day * DAY_MS]).fetchone()[0]
        if first_full is not None:
            result.keyframes_dropped = db.execute("DELETE FROM keyframes WHERE ts_ms < ?", [first_full]).rowcount
    return result
