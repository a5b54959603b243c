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

from alerts.records import AlarmEvent, Priority
from feeds.clock import CITY_ZONE
from feeds.inventory import Inventory
from feeds.scenario import format_offset
from hypervisor.historian.timeline import AlarmTransition, ReadingEvent
from hypervisor.replay.history import ReplayFileError, open_read_only, open_timeline, recorded_period

PRIORITIES = (Priority.CRITICAL, Priority.HIGH)


class IncidentError(ValueError):
    """A file that cannot become a drill, and why."""


def _toml(text: str) -> str:
    """A TOML basic string (JSON's escapes are TOML's)."""
    return json.dumps(text, ensure_ascii=False)


def _incident(path: Path) -> tuple[int, int, set[str], list[AlarmEvent]]:
    """The incident's period, the assets it recorded, and the first raise of each critical or high alarm."""
    try:
        db = open_read_only(path)
    except ReplayFileError as exc:
        raise IncidentError(str(exc)) from exc
    try:
        start, end = recorded_period(db)
        assets: set[str] = set()
        raised: dict[str, AlarmEvent] = {}
        for event in open_timeline(db, path).events_between(start, end + 1):
            if isinstance(event, ReadingEvent):
                assets.add(event.asset_id)
            elif isinstance(event, AlarmTransition) and event.event.raised and event.event.priority in PRIORITIES:
                raised.setdefault(event.event.alarm_id, event.event)
    except ReplayFileError as exc:
        raise IncidentError(str(exc)) from exc
    finally:
        db.close()
    if not assets:
        raise IncidentError(f"{path} holds no telemetry to play back")
    return start, end, assets, list(raised.values())


def drill_text(incident: Path, output: Path, inventory: Inventory, deadline_s: int) -> str:
    """The drill file's text for an incident file."""
    start, end, assets, alarms = _incident(incident)
    districts = sorted({inventory[a].district for a in assets if a in inventory})
    when = dt.datetime.fromtimestamp(start / 1000, ZoneInfo(CITY_ZONE))
    minutes = max(1, -(-(end - start) // 60_000))
    recording = os.path.relpath(incident.resolve(), output.resolve().parent)
    names = ", ".join(a.alarm_id for a in alarms) or "-"
    briefing_en = f"The city as recorded from {when:%H:%M}. Critical and high alarms: {names}."
    briefing_fr = f"La ville enregistrée à partir de {when:%H:%M}. Alarmes critiques et hautes : {names}."
    lines = [
        f"# Made by `hypervisor scenario from-incident` from {incident.name}.",
        "# Edit the deadlines ('within'), add forced or ramped metrics, then check with `hypervisor scenario check`.",
        "",
        "[scenario]",
        f"title_en = {_toml(f'Incident of {when:%d/%m/%Y %H:%M} replayed')}",
        f"title_fr = {_toml(f'Incident du {when:%d/%m/%Y à %H:%M} rejoué')}",
        f"briefing_en = {_toml(briefing_en)}",
        f"briefing_fr = {_toml(briefing_fr)}",
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
            f"# raised at {format_offset(alarm.ts_ms - start)} in the incident ({alarm.priority})",
            f"id = {_toml('ack-' + alarm.alarm_id)}",
            'action = "ack"',
            f"rule = {_toml(alarm.rule_id)}",
            f"asset = {_toml(alarm.asset_id)}",
            f'within = "{format_offset(deadline_s * 1000)}"',
            "",
        ]
    return "\n".join(lines)


def write_drill(incident: Path, output: Path, inventory: Inventory, deadline_s: int = 120) -> Path:
    """Write the drill for ``incident`` to ``output``; IncidentError if the file cannot become one."""
    if deadline_s <= 0:
        raise IncidentError("the deadline must be a positive number of seconds")
    text = drill_text(incident, output, inventory, deadline_s)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(text, encoding="utf-8")
    return output
