"""Rewriting a file's keyframes at another spacing of full ones (``hypervisor historian rekey``).

Segments are kept as stored: each is encoded against the frame at the keyframe before it, which does not
depend on which keyframes are full. Only the frames and alarm lists move: a keyframe becomes full (frame
and alarm list as they stood at it) or loses both. Keyframes are rewritten one at a time in time order,
each in its own short write transaction, so the file is whole at every step: a kill leaves a mix of the
two spacings, which readers take as it is, and running the command again finishes the job. The engine
may keep running; its upkeep only appends keyframes after the ones rewritten.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlite_utils import Database

from hypervisor.historian.keyframes import (
    AssetKeys,
    Keyframe,
    apply_alarm_events,
    event_bodies,
    status_changes,
)
from hypervisor.historian.schema import write_transaction

REKEY_BATCH = 48
"""Keyframes rewritten per write transaction: four hours of data time, a few seconds of work."""


@dataclass(slots=True)
class RekeyResult:
    keyframes: int = 0
    made_full: int = 0
    made_partial: int = 0


def keyframe_interval(db: Database) -> int | None:
    """The data time between the file's keyframes (None with fewer than two)."""
    first_two = [ts for (ts,) in db.execute("SELECT ts_ms FROM keyframes ORDER BY ts_ms LIMIT 2")]
    return first_two[1] - first_two[0] if len(first_two) == 2 else None


def needs_rekey(db: Database, full_every: int) -> bool:
    """Whether some keyframe's fullness, or an alarm list held outside a full keyframe, differs from the
    layout that ``full_every`` gives (the first keyframe is always full)."""
    interval_ms = keyframe_interval(db)
    if interval_ms is None:
        return False
    first = db.execute("SELECT min(ts_ms) FROM keyframes").fetchone()[0]
    wrong = db.execute("SELECT count(*) FROM keyframes WHERE ts_ms > ? AND full != ((ts_ms / ?) % ? = 0)",
                       [first, interval_ms, full_every]).fetchone()[0]
    if wrong:
        return True
    partial = db.execute("SELECT ts_ms, data FROM keyframes WHERE full = 0 ORDER BY ts_ms LIMIT 1").fetchone()
    return partial is not None and Keyframe.decode(*partial).has_alarms


def rekey(db: Database, full_every: int, progress: Callable[[int, int], None] | None = None) -> RekeyResult:
    """Make one keyframe in ``full_every`` full (those at multiples of ``full_every`` intervals, as the
    upkeep writes them, and the first), the others hold their segment and floods only.
    ``progress(done, total)`` after each batch."""
    if full_every <= 0:
        raise ValueError("full_every must be positive")
    interval_ms = keyframe_interval(db)
    keys = AssetKeys(db, persist=False)
    stamps = [ts for (ts,) in db.execute("SELECT ts_ms FROM keyframes ORDER BY ts_ms")]
    result = RekeyResult()
    if not stamps or interval_ms is None:
        return result
    first = _load(db, stamps[0])
    if first.frame is None:
        raise ValueError("the first keyframe holds no frame; `hypervisor historian check` tells more")
    frame, alarms, previous = first.frame, dict(first.alarms or {}), stamps[0]
    for start in range(1, len(stamps), REKEY_BATCH):
        batch = stamps[start:start + REKEY_BATCH]
        rewritten: list[tuple[int, int, bytes]] = []
        for ts in batch:
            keyframe = _load(db, ts)
            frame.apply(keyframe.segment(frame.last_ms))
            frame.apply_status(status_changes(db, keys, previous, ts))
            if keyframe.has_frame:
                frame = keyframe.frame
            if keyframe.has_alarms:
                alarms = dict(keyframe.alarms or {})
            else:
                apply_alarm_events(alarms, event_bodies(db, previous, ts))
            previous = ts
            full, was_full = (ts // interval_ms) % full_every == 0, keyframe.has_frame
            if full == was_full and (full or not keyframe.has_alarms):
                continue
            if full != was_full:
                result.made_full += int(full)
                result.made_partial += int(was_full)
            keyframe.frame = frame if full else None  # encoded at once, before the frame moves on
            keyframe.alarms = dict(alarms) if full else None
            rewritten.append((int(full), ts, keyframe.encode()))
        with write_transaction(db):
            db.conn.executemany("UPDATE keyframes SET full = ?, data = ? WHERE ts_ms = ?",
                                [(full, data, ts) for full, ts, data in rewritten])
        result.keyframes += len(rewritten)
        if progress is not None:
            progress(start + len(batch) - 1, len(stamps) - 1)
    return result


def _load(db: Database, ts_ms: int) -> Keyframe:
    return Keyframe.decode(ts_ms, db.execute("SELECT data FROM keyframes WHERE ts_ms = ?", [ts_ms]).fetchone()[0])

