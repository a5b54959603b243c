"""What an incident report says, read from an incident (or historian) file. No Qt.

The tables here are also the report's CSV files: the timeline of alarms and actions, one row per
annunciation with its times to acknowledge and to return to normal, the alarms per 10 minutes and the
floods, and the key assets whose trends the report draws.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson
import pandas as pd
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from hypervisor.historian.reader import open_read_only
from hypervisor.incident.documents import document_in_force
from hypervisor.incident.export import quarantine_counts, read_meta
from hypervisor.incident.verify import Verdict, verify_file
from hypervisor.reports.alarm_figures import AlarmFigures, compute
from hypervisor.reports.alarm_history import load_actions, load_events, standing_before
from hypervisor.reports.tables import write_tables

KEY_ASSETS = 4


@dataclass(frozen=True, slots=True)
class KeyAsset:
    asset_id: str
    metric: str
    lo: float | None
    hi: float | None
    alarms: int


@dataclass(slots=True)
class IncidentData:
    path: Path
    meta: dict[str, Any]
    since_ms: int
    until_ms: int
    figures: AlarmFigures
    timeline: pd.DataFrame
    peak_ms: int | None
    peak_alarms: int
    key_assets: list[KeyAsset]
    quarantine: dict[str, int]
    verdict: Verdict
    inventory: bytes | None
    basemap: bytes | None


def period_of(path: Path) -> tuple[int, int]:
    """The export's period, or the span of a historian's alarm events and actions."""
    db = open_read_only(path)
    try:
        meta = read_meta(db)
        if meta:
            return int(meta["from_ms"]), int(meta["to_ms"])  # type: ignore[arg-type]
        low, high = db.execute("SELECT min(t), max(t) FROM (SELECT ts_ms AS t FROM alarm_events"
                               " UNION ALL SELECT ts_ms FROM actions)").fetchone()
    finally:
        db.close()
    if low is None:
        raise ValueError(f"{path} holds no alarm event and no action: there is no incident to report")
    return int(low), int(high) + 1


def load_incident(path: Path, trusted: Ed25519PublicKey | None = None) -> IncidentData:
    since, until = period_of(path)
    events = load_events(path, since, until)
    actions = load_actions(path, since, until)
    figures = compute(events, since, until, standing=standing_before(path, since))
    peak_ms, peak_alarms = _peak(figures.episodes, since, until)
    db = open_read_only(path)
    try:
        meta = read_meta(db)
        has_docs = db.execute("SELECT count(*) FROM sqlite_master WHERE name = 'documents_in_force'").fetchone()[0]
        inventory = document_in_force(db, "inventory") if has_docs else None
        basemap = document_in_force(db, "basemap") if has_docs else None
        quarantine = dict(db.execute("SELECT reason, count FROM incident_quarantine ORDER BY reason").fetchall()) \
            if meta else quarantine_counts(db, "main", since, until)
        key_assets = _key_assets(db, events, since, until)
    finally:
        db.close()
    return IncidentData(path, meta, since, until, figures, timeline(events, actions), peak_ms, peak_alarms,
                        key_assets, quarantine, verify_file(path, trusted),
                        None if inventory is None else inventory[1], None if basemap is None else basemap[1])


def timeline(events: pd.DataFrame, actions: pd.DataFrame) -> pd.DataFrame:
    """Alarm transitions and operator actions in one time order: when, who, what, which alarm, comment."""
    alarms = pd.DataFrame({"ts_ms": events["ts_ms"], "source": "alarm", "user": events["user"],
                           "what": events["from_state"] + " -> " + events["to_state"], "alarm_id": events["alarm_id"],
                           "priority": events["priority"], "comment": events["comment"]})
    acts = pd.DataFrame({"ts_ms": actions["ts_ms"], "source": "action", "user": actions["user"],
                         "what": actions["verb"].where(actions["ok"].astype(bool), actions["verb"] + " (refused: "
                                                       + actions["reason"].fillna("") + ")"),
                         "alarm_id": actions["alarm_id"], "priority": None, "comment": actions["comment"]})
    parts = [p for p in (alarms, acts) if not p.empty]
    if not parts:
        return pd.DataFrame(columns=list(alarms.columns))
    out = pd.concat(parts, ignore_index=True)
    return out.sort_values(["ts_ms", "source"], kind="stable").reset_index(drop=True)


def _peak(episodes: pd.DataFrame, since: int, until: int) -> tuple[int | None, int]:
    """The instant most alarms stood at once, and how many."""
    if episodes.empty:
        return None, 0
    starts = episodes["raised_ms"].clip(lower=since)
    ends = episodes["cleared_ms"].fillna(until)
    changes = pd.concat([pd.Series(1, index=starts), pd.Series(-1, index=ends)]).groupby(level=0).sum().cumsum()
    return int(changes.idxmax()), int(changes.max())


def _key_assets(db: Any, events: pd.DataFrame, since: int, until: int) -> list[KeyAsset]:
    """The assets with the most annunciations among alarms on a measured limit, with the limits crossed."""
    rows = db.execute("SELECT asset_id, json_extract(body, '$.record.detail') FROM alarm_events"
                      " WHERE ts_ms >= ? AND ts_ms < ? AND json_extract(body, '$.record.detail.kind') = 'limit'",
                      [since, until]).fetchall()
    found: dict[tuple[str, str], dict[str, Any]] = {}
    for asset_id, detail_text in rows:
        detail = orjson.loads(detail_text)
        entry = found.setdefault((asset_id, detail["metric"]), {"lo": [], "hi": []})
        if detail.get("limit") is not None:
            entry["hi" if detail.get("high") else "lo"].append(float(detail["limit"]))
    raised = events[(events["to_state"] == "unack") & (events["from_state"] != "unack")]
    counts = raised.groupby("asset_id").size()
    ranked = sorted(found.items(), key=lambda item: (-int(counts.get(item[0][0], 0)), item[0]))
    return [KeyAsset(asset_id, metric, max(limits["lo"], default=None), min(limits["hi"], default=None),
                     int(counts.get(asset_id, 0))) for (asset_id, metric), limits in ranked[:KEY_ASSETS]]


def write_csv(data: IncidentData, folder: Path) -> list[Path]:
    """The report's tables as CSV files (times in UTC ISO 8601) in ``folder``."""
    figures = data.figures
    tables = {
        "timeline": _with_times(data.timeline, ["ts_ms"]),
        "alarms": _with_times(figures.episodes, ["raised_ms", "acked_ms", "cleared_ms"]),
        "alarms_per_10_min": _with_times(figures.counts.rename_axis("start_ms").reset_index(), ["start_ms"]),
        "floods": _with_times(figures.floods, ["start_ms", "end_ms"]),
        "summary": pd.DataFrame(summary_rows(data), columns=["figure", "value"]),
    }
    return write_tables(tables, folder)


def summary_rows(data: IncidentData) -> list[tuple[str, Any]]:
    figures = data.figures
    return [("from", _utc(data.since_ms)), ("to", _utc(data.until_ms)), ("alarms", figures.total),
            ("alarms_per_10_min_mean", round(figures.per_10_min, 3)), ("peak_per_10_min", figures.peak),
            ("floods", len(figures.floods)), ("flood_minutes", float(figures.floods["minutes"].sum())),
            ("most_alarms_standing", data.peak_alarms), ("verification", data.verdict.summary().splitlines()[0])]


def _utc(ts_ms: float | None) -> str | None:
    if ts_ms is None or pd.isna(ts_ms):
        return None
    return pd.Timestamp(int(ts_ms), unit="ms", tz="UTC").isoformat()


def _with_times(table: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    out = table.copy()
    for column in columns:
        out[column.removesuffix("_ms") + "_utc"] = out[column].map(_utc)
    return out.drop(columns=columns)
