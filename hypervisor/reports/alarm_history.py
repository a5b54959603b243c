"""Alarm events of a period as a pandas frame, for the reports (no Qt)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from hypervisor.historian.reader import HistorianReader, open_read_only
from hypervisor.reports.alarm_figures import AlarmFigures, compute

EVENT_COLUMNS = ["ts_ms", "alarm_id", "rule_id", "asset_id", "priority", "from_state", "to_state", "user",
                 "comment", "district", "domain", "description"]


def event_frame(reader: HistorianReader, since_ms: int, until_ms: int) -> pd.DataFrame:
    """Alarm events with ``since_ms <= ts_ms < until_ms`` in stored order, one row each."""
    rows = reader.alarm_event_table(since_ms, until_ms)
    return pd.DataFrame.from_records(rows, columns=EVENT_COLUMNS).astype({"ts_ms": "int64"})


def standing_frame(reader: HistorianReader, since_ms: int) -> pd.DataFrame:
    """Alarms active (raised and not returned) just before ``since_ms``: ``alarm_id, priority, raised_ms``, ..."""
    records = [r for r in reader.alarms_at(since_ms - 1) if r.active and r.raised_ms is not None]
    return pd.DataFrame({"alarm_id": [r.alarm_id for r in records], "priority": [str(r.priority) for r in records],
                         "raised_ms": pd.array([r.raised_ms for r in records], dtype="int64"),
                         "district": [r.district for r in records], "domain": [r.domain for r in records],
                         "description": [r.description for r in records]})


def period_figures(reader: HistorianReader, since_ms: int, until_ms: int, positions: int = 1) -> AlarmFigures:
    """The alarm performance figures of a period, read through ``reader``."""
    return compute(event_frame(reader, since_ms, until_ms), since_ms, until_ms, positions,
                   standing_frame(reader, since_ms))


def load_events(path: Path, since_ms: int, until_ms: int) -> pd.DataFrame:
    """:func:`event_frame` of a historian file."""
    reader = HistorianReader(path)
    try:
        return event_frame(reader, since_ms, until_ms)
    finally:
        reader.close()


def standing_before(path: Path, since_ms: int) -> pd.DataFrame:
    """:func:`standing_frame` of a historian file."""
    reader = HistorianReader(path)
    try:
        return standing_frame(reader, since_ms)
    finally:
        reader.close()


def load_actions(path: Path, since_ms: int, until_ms: int) -> pd.DataFrame:
    """Operator actions of the period in stored order."""
    db = open_read_only(path)
    try:
        rows = db.execute("SELECT ts_ms, user, console, verb, alarm_id, comment, ok, reason FROM actions"
                          " WHERE ts_ms >= ? AND ts_ms < ? ORDER BY ts_ms, id", [since_ms, until_ms]).fetchall()
    finally:
        db.close()
    return pd.DataFrame.from_records(rows, columns=["ts_ms", "user", "console", "verb", "alarm_id", "comment", "ok",
                                                    "reason"]).astype({"ts_ms": "int64"})
