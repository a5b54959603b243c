"""``hypervisor scenario from-incident``: a recorded incident becomes a drill.

The incident's telemetry is the drill's feed from its start (played back, as utility training
simulators play a historical dataset), and each critical or high alarm it raised becomes an expected
acknowledgement, with a deadline the trainer can edit in the file written.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path
from zoneinfo import ZoneInfo

from feeds.inventory import Inventory
from feeds.scenario import format_offset
from hypervisor.historian import HistorianReader

CITY_ZONE = ZoneInfo("Europe/Paris")
PRIORITIES = ("critical", "high")


class IncidentError(ValueError):
    """A file that cannot become a drill, and why."""


def _toml(text: str) -> str:
    """A TOML basic string (JSON's escapes are TOML's)."""
    return json.dumps(text, ensure_ascii=False)


def _span(reader: HistorianReader) -> tuple[int, int]:
    rows = reader._rows("SELECT min(ts_ms), max(ts_ms) FROM telemetry")
    low, high = rows[0]
    if low is None:
        raise IncidentError("the file holds no telemetry to play back")
    return int(low), int(high)


def raised_alarms(reader: HistorianReader, since_ms: int) -> list[dict[str, object]]:
    """The first raise of each critical and high alarm, in time order."""
    first: dict[str, dict[str, object]] = {}
    for event in sorted(reader.alarm_events(since_ms=since_ms, limit=1_000_000), key=lambda e: e["ts_ms"]):
        if event["to_state"] == "unack" and event["from_state"] != "unack" and event["priority"] in PRIORITIES:
            first.setdefault(str(event["alarm_id"]), event)
    return list(first.values())


def drill_text(incident: Path, output: Path, inventory: Inventory, deadline_s: int) -> str:
    """The drill file's text for an incident file."""
    reader = HistorianReader(incident)
    try:
        start, end = _span(reader)
        alarms = raised_alarms(reader, start)
        assets = {str(a) for (a,) in reader._rows("SELECT DISTINCT asset_id FROM telemetry")}
    finally:
        reader.close()
    districts = sorted({inventory[a].district for a in assets if a in inventory})
    when = dt.datetime.fromtimestamp(start / 1000, CITY_ZONE)
    minutes = max(1, -(-(end - start) // 60_000))
    recording = os.path.relpath(incident.resolve(), output.resolve().parent)
    names = ", ".join(str(a["alarm_id"]) for a in alarms) or "none"
    lines = [
        f"# Made by `hypervisor scenario from-incident` from {incident.name}.",
        "# Edit the deadlines ('within'), add forced or ramped metrics, then check with `hypervisor scenario check`.",
        "",
        "[scenario]",
        f"title_en = {_toml(f'Incident of {when:%d %B %Y, %H:%M} replayed')}",
        f"title_fr = {_toml(f'Incident du {when:%d/%m/%Y à %H:%M} rejoué')}",
        f"briefing_en = {_toml(f'The city as recorded from {when:%H:%M}. Critical and high alarms raised: {names}.')}",
        f"briefing_fr = {_toml(f'La ville enregistrée à partir de {when:%H:%M}. Alarmes critiques et hautes : {names}.')}",
        'level = "intermediate"',
        f"start = {when.isoformat(timespec='seconds')}",
        f'duration = "{format_offset(minutes * 60_000)}"',
        "speed = 1.0",
        f"recording = {_toml(recording)}",
        f"area = [{', '.join(_toml(d) for d in districts)}]",
        "",
    ]
    for alarm in alarms:
        lines += [
            "[[expect]]",
            f"# raised at {format_offset(int(alarm['ts_ms']) - start)} in the incident ({alarm['priority']})",
            f"id = {_toml('ack-' + str(alarm['alarm_id']))}",
            'action = "ack"',
            f"rule = {_toml(str(alarm['rule_id']))}",
            f"asset = {_toml(str(alarm['asset_id']))}",
            f'within = "{format_offset(deadline_s * 1000)}"',
            "",
        ]
    return "\n".join(lines)


def write_drill(incident: Path, output: Path, inventory: Inventory, deadline_s: int = 120) -> Path:
    """Write the drill for ``incident`` to ``output``; IncidentError if the file cannot become one."""
    if deadline_s <= 0:
        raise IncidentError("the deadline must be a positive number of seconds")
    try:
        text = drill_text(incident, output, inventory, deadline_s)
    except FileNotFoundError as exc:
        raise IncidentError(str(exc)) from exc
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(text, encoding="utf-8")
    return output
