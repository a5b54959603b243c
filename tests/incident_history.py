"""A small recorded incident for the incident tests: two districts, alarms, actions, a sealed chain."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import orjson

from alerts.records import AlarmEvent, AlarmRecord, AlarmState, Priority
from feeds.inventory import Asset, Inventory
from feeds.model import Measurement
from hypervisor.historian.maintenance import run_once
from hypervisor.historian.schema import connect
from hypervisor.historian.settings import HistorySettings
from hypervisor.historian.writer import Historian
from hypervisor.incident.chain import Signer, ensure_tables, seal_history
from hypervisor.incident.keys import create_key

T0 = 1_735_689_600_000
MINUTE = 60_000
SETTINGS = HistorySettings(keyframe_interval_ms=5 * MINUTE, full_keyframe_every=3, keyframe_grace_ms=0, pause_s=0)
DISTRICTS = {"W-1": "centre", "W-2": "centre", "W-3": "port", "W-4": "port"}
INVENTORY = Inventory(Asset(a, "water", "pressure_sensor", d, 5.04 + i / 100, 47.32) for i, (a, d) in
                      enumerate(DISTRICTS.items()))


def record(alarm_id: str, state: AlarmState, ts: int, raised: int, user: str | None = None,
           priority: Priority = Priority.HIGH) -> AlarmRecord:
    rule_id, asset_id = alarm_id.split(":")
    return AlarmRecord(alarm_id, rule_id, asset_id, "water", DISTRICTS[asset_id], "pressure_sensor", priority,
                       description="Low pressure", state=state, active=state in (AlarmState.UNACK, AlarmState.ACKED),
                       unacked=state in (AlarmState.UNACK, AlarmState.RTN_UNACK), changed_ms=ts, raised_ms=raised,
                       acked_by=user, acked_ms=ts if user else None,
                       detail={"kind": "limit", "metric": "pressure_bar", "level": "lo", "limit": 1.5, "high": False})


def event(alarm_id: str, before: AlarmState, after: AlarmState, ts: int, raised: int, user: str | None = None,
          comment: str | None = None, value: float | None = None) -> dict[str, Any]:
    rule_id, asset_id = alarm_id.split(":")
    return AlarmEvent(ts, alarm_id, rule_id, asset_id, Priority.HIGH, before, after, value=value, user=user,
                      comment=comment, domain="water", district=DISTRICTS[asset_id],
                      record=record(alarm_id, after, ts, raised, user).to_json()).to_json()


def build(path: Path, key_path: Path) -> dict[str, Any]:
    """40 minutes of four pressure sensors; W-1 and W-3 drop and raise alarms that are acked and return."""
    rng = random.Random(3)
    readings = []
    for minute in range(0, 40):
        for asset_id in DISTRICTS:
            low = asset_id in ("W-1", "W-3") and 10 <= minute < 25
            value = round((1.2 if low else 3.5) + rng.uniform(-0.1, 0.1), 3)
            readings.append(Measurement(asset_id, "water", T0 + minute * MINUTE + 1000, {"pressure_bar": value}))
    # Data time moves on past the hour, so the incident's hour is compacted into blocks.
    readings.append(Measurement("W-2", "water", T0 + 125 * MINUTE, {"pressure_bar": 3.5}))
    a, b = "pressure_lo:W-1", "pressure_lo:W-3"
    events = [
        event(a, AlarmState.NORMAL, AlarmState.UNACK, T0 + 10 * MINUTE + 1000, T0 + 10 * MINUTE + 1000, value=1.2),
        event(b, AlarmState.NORMAL, AlarmState.UNACK, T0 + 11 * MINUTE + 1000, T0 + 11 * MINUTE + 1000, value=1.1),
        event(a, AlarmState.UNACK, AlarmState.ACKED, T0 + 13 * MINUTE, T0 + 10 * MINUTE + 1000, user="ana",
              comment="crew sent"),
        event(b, AlarmState.UNACK, AlarmState.ACKED, T0 + 16 * MINUTE, T0 + 11 * MINUTE + 1000, user="bob"),
        event(a, AlarmState.ACKED, AlarmState.NORMAL, T0 + 25 * MINUTE + 1000, T0 + 10 * MINUTE + 1000, value=3.5),
        event(b, AlarmState.ACKED, AlarmState.NORMAL, T0 + 25 * MINUTE + 1000, T0 + 11 * MINUTE + 1000, value=3.4),
    ]
    historian = Historian(path, history=None)
    historian.start()
    historian.add_measurements(readings)
    historian.add_alarm_events(events)
    historian.add_action(T0 + 13 * MINUTE, "ana", "desk-1", "ack", a, "crew sent", "r1", True, None)
    historian.add_action(T0 + 16 * MINUTE, "bob", "wall", "ack", b, None, "r2", True, None)
    historian.add_action(T0 + 17 * MINUTE, "bob", "wall", "comment", b, "valve closed", "r3", True, None)
    historian.close()
    db = connect(path)
    try:
        run_once(db, path, SETTINGS)
        ensure_tables(db)
        seal_history(db, Signer(create_key(key_path)))
    finally:
        db.close()
    inventory = path.parent / "inventory.geojson"
    inventory.write_bytes(orjson.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [a.lon, a.lat]},
         "properties": {"id": a.id, "domain": a.domain, "kind": a.kind, "district": a.district}}
        for a in INVENTORY]}))
    return {"path": path, "events": events, "readings": readings, "inventory": inventory}
