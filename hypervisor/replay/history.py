"""A historian or incident file opened for replay: read-only, its recorded period, and its marks.

The city at an instant and the events between two instants come from the historian's own
:class:`~hypervisor.historian.timeline.Timeline`; this module only opens the file with a ``mode=ro`` URI
(nothing a replay does can change it) and summarises the alarm history for the timeline widget.
"""

from __future__ import annotations

import logging
import sqlite3
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from sqlite_utils import Database

from alerts.records import Priority
from hypervisor.historian.reader import HistorianReader
from hypervisor.historian.schema import BUSY_TIMEOUT_MS, SchemaTooNewError, check_version
from hypervisor.historian.timeline import Timeline

log = logging.getLogger(__name__)

PRIORITY_ORDER: tuple[str, ...] = tuple(p.value for p in Priority)
"""Rows of the density array, most urgent first."""
_PERIOD_TABLES = ("telemetry", "status", "alarm_events", "keyframes", "actions")


class ReplayFileError(ValueError):
    """A file that cannot be replayed; the message says why and what to do."""


def open_read_only(path: Path) -> Database:
    """The file through a ``mode=ro`` URI: SQLite itself refuses any write, a live WAL file included."""
    if not path.is_file():
        raise ReplayFileError(f"no historian or incident file at {path}: give the path of a .sqlite file "
                              f"written by 'hypervisor engine' or 'hypervisor demo'")
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, check_same_thread=False)
        db = Database(conn)
        db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        check_version(db)
        db.execute("SELECT count(*) FROM asset_keys").fetchone()
    except SchemaTooNewError as exc:
        raise ReplayFileError(f"{path} was written by a newer version: {exc}") from exc
    except sqlite3.DatabaseError as exc:
        raise ReplayFileError(f"{path} is not a historian this version can replay ({exc}); open it once with "
                              f"'hypervisor historian' to upgrade it, or check the file") from exc
    return db


def open_timeline(db: Database, path: Path) -> Timeline:
    """The historian's timeline reading through an already opened ``mode=ro`` connection."""
    return Timeline(path, db)


def recorded_period(db: Database) -> tuple[int, int]:
    """First and last instants the file holds (epoch ms); raises if it holds nothing."""
    firsts, lasts = [], []
    tables = set(db.table_names())
    for table in _PERIOD_TABLES:
        if table in tables:
            first, last = db.execute(f"SELECT min(ts_ms), max(ts_ms) FROM {table}").fetchone()
            if first is not None:
                firsts.append(first)
                lasts.append(last)
    if not firsts:
        raise ReplayFileError("the file holds no recorded data yet: let the engine run, or choose another file")
    return int(min(firsts)), int(max(lasts))


@dataclass(frozen=True, slots=True)
class HistoryMarks:
    """What the timeline draws over a period: plain arrays, no database.

    ``density[p, b]`` counts alarms raised with priority ``PRIORITY_ORDER[p]`` in bucket ``b``;
    ``transitions`` are the instants of every alarm transition (for stepping), ``acks`` and ``actions`` the
    instants of acknowledgements and of other operator actions, ``floods`` the (start, end) of floods.
    """

    start_ms: int
    end_ms: int
    density: np.ndarray
    transitions: np.ndarray
    acks: np.ndarray
    actions: np.ndarray
    floods: list[tuple[int, int]]


def history_marks(db: Database, start_ms: int, end_ms: int, buckets: int = 600) -> HistoryMarks:
    """Alarm density by priority, alarm transitions, acknowledgements, actions and floods of a period."""
    rows = db.execute("SELECT ts_ms, priority, from_state, to_state FROM alarm_events"
                      " WHERE ts_ms >= ? AND ts_ms <= ? ORDER BY ts_ms", [start_ms, end_ms]).fetchall()
    span = max(1, end_ms - start_ms)
    density = np.zeros((len(PRIORITY_ORDER), buckets), dtype=np.int32)
    transitions, acks = [], []
    for ts, priority, before, after in rows:
        transitions.append(ts)
        if after == "unack" and before != "unack" and priority in PRIORITY_ORDER:
            bucket = min(buckets - 1, (ts - start_ms) * buckets // span)
            density[PRIORITY_ORDER.index(priority), bucket] += 1
        if after == "acked" and before in ("unack", "rtn_unack"):
            acks.append(ts)
    actions = [ts for (ts,) in db.execute("SELECT ts_ms FROM actions WHERE ts_ms >= ? AND ts_ms <= ? AND ok = 1"
                                          " AND verb != 'ack' ORDER BY ts_ms", [start_ms, end_ms])]
    floods: list[tuple[int, int]] = []
    opened: dict[str, int] = {}
    if "flood_changes" in db.table_names():
        for ts, scope, active in db.execute("SELECT ts_ms, scope, active FROM flood_changes WHERE scope = 'global'"
                                            " AND ts_ms <= ? ORDER BY ts_ms", [end_ms]):
            if active:
                opened.setdefault(scope, ts)
            elif scope in opened:
                floods.append((max(start_ms, opened.pop(scope)), ts))
        floods += [(max(start_ms, since), end_ms) for since in opened.values()]
    floods = [(a, b) for a, b in floods if b >= start_ms]
    as_array = lambda values: np.asarray(values, dtype=np.int64)  # noqa: E731
    return HistoryMarks(start_ms, end_ms, density, as_array(transitions), as_array(acks), as_array(actions), floods)


def open_reader(path: Path) -> HistorianReader:
    """A historian reader (trends, asset history) over its own ``mode=ro`` connection."""
    return HistorianReader(path, open_read_only(path))
