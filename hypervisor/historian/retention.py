"""Retention: readings older than the raw retention leave, their minute rollups stay; old rollups leave.

Each batch of blocks is one transaction that writes their minute rollups and deletes them, so a process
killed mid-way loses no minute of history. Alarm events, actions, status changes, sessions and the
quarantine are not purged: they are small beside telemetry and are the record of what operators did.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlite_utils import Database

from hypervisor.historian.codec import decode_block
from hypervisor.historian.compaction import UPSERT_ROLLUP
from hypervisor.historian.rollups import minute_rollups
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
    result = RetentionResult()
    raw_cut_ms = newest_ms - int(raw_days * DAY_MS)
    raw_cut_day = raw_cut_ms // DAY_MS
    while True:
        rows = db.execute("SELECT rowid, asset_id, day, readings, data FROM telemetry_blocks WHERE day < ?"
                          " LIMIT ?", [raw_cut_day, BLOCKS_PER_TRANSACTION]).fetchall()
        if not rows:
            break
        with db.atomic():
            for rowid, asset_id, day, readings, blob in rows:
                ts, columns = decode_block(blob)
                rollup = minute_rollups(ts, columns)
                if rollup is not None:
                    db.execute(UPSERT_ROLLUP, [asset_id, day, "minute", rollup])
                db.execute("DELETE FROM telemetry_blocks WHERE rowid = ?", [rowid])
                result.blocks_dropped += 1
                result.readings_dropped += readings
    with db.atomic():
        result.readings_dropped += db.execute("DELETE FROM telemetry WHERE ts_ms < ?",
                                              [raw_cut_day * DAY_MS]).rowcount
        # Keep the chain whole: the oldest keyframe left must hold a full frame.
        first_full = db.execute("SELECT min(ts_ms) FROM keyframes WHERE full = 1 AND ts_ms >= ?",
                                [raw_cut_day * DAY_MS]).fetchone()[0]
        if first_full is not None:
            result.keyframes_dropped = db.execute("DELETE FROM keyframes WHERE ts_ms < ?", [first_full]).rowcount
        rollup_cut_day = (newest_ms - int(rollup_days * DAY_MS)) // DAY_MS
        result.rollups_dropped = db.execute("DELETE FROM rollups WHERE day < ?", [rollup_cut_day]).rowcount
    return result
