"""Alarm events of a period as a pandas frame, for the reports (no Qt)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from hypervisor.historian.reader import open_read_only
from hypervisor.historian.timeline import Timeline

EVENT_COLUMNS = ["ts_ms", "alarm_id", "rule_id", "asset_id", "priority", "from_state", "to_state", "user",
                 "comment", "district", "domain", "description"]


def load_events(path: Path, since_ms: int, until_ms: int) -> pd.DataFrame:
    """Alarm events with ``since_ms <= ts_ms < until_ms`` in stored order, one row each."""
    db = open_read_only(path)
    try:
        rows = db.execute(
            "SELECT ts_ms, alarm_id, rule_id, asset_id, priority, from_state, to_state, user, comment,"
            " coalesce(json_extract(body, '$.district'), json_extract(body, '$.record.district')),"
            " coalesce(json_extract(body, '$.domain'), json_extract(body, '$.record.domain')),"
            " json_extract(body, '$.record.description')"
            " FROM alarm_events WHERE ts_ms >= ? AND ts_ms < ? ORDER BY ts_ms, rowid", [since_ms, until_ms]).fetchall()
    finally:
        db.close()
    return pd.DataFrame.from_records(rows, columns=EVENT_COLUMNS).astype({"ts_ms": "int64"})


def standing_before(path: Path, since_ms: int) -> pd.DataFrame:
    """Alarms active (raised and not returned) just before ``since_ms``: ``alarm_id, priority, raised_ms``, ..."""
    with Timeline(path) as timeline:
        records = [r for r in timeline.state_at(since_ms - 1).alarms if r.active and r.raised_ms is not None]
    return pd.DataFrame({"alarm_id": [r.alarm_id for r in records], "priority": [str(r.priority) for r in records],
                         "raised_ms": pd.array([r.raised_ms for r in records], dtype="int64"),
                         "district": [r.district for r in records], "domain": [r.domain for r in records],
                         "description": [r.description for r in records]})


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
