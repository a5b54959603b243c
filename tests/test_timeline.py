"""state_at and events_between tell what a brute-force replay of everything stored tells."""

from __future__ import annotations

import random
import sqlite3
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from alerts.records import AlarmEvent, AlarmRecord, AlarmState, Priority
from feeds.model import Measurement, StatusUpdate
from hypervisor.historian.documents import documents_at
from hypervisor.historian.maintenance import run_once
from hypervisor.historian.schema import connect
from hypervisor.historian.settings import HistorySettings
from hypervisor.historian.timeline import (
    ActionEvent,
    AlarmTransition,
    FloodEvent,
    ReadingEvent,
    StatusEvent,
    Timeline,
)
from hypervisor.historian.writer import Historian

T0 = 1_735_689_600_000
MINUTE = 60_000
SETTINGS = HistorySettings(keyframe_interval_ms=MINUTE, full_keyframe_every=3, keyframe_grace_ms=0, pause_s=0)
ASSETS = [f"L-{n}" for n in range(6)]


def record(alarm_id: str, state: AlarmState, ts: int, user: str | None = None) -> AlarmRecord:
    rule_id, asset_id = alarm_id.split(":")
    return AlarmRecord(alarm_id, rule_id, asset_id, "lighting", "centre", "luminaire", Priority.HIGH,
                       description="Lamp out", state=state, active=state != AlarmState.NORMAL,
                       unacked=state == AlarmState.UNACK, changed_ms=ts, acked_by=user,
                       comments=[(ts, user, "seen")] if user else [])


def event(alarm_id: str, before: AlarmState, after: AlarmState, ts: int, user: str | None = None) -> dict[str, Any]:
    rule_id, asset_id = alarm_id.split(":")
    body = AlarmEvent(ts, alarm_id, rule_id, asset_id, Priority.HIGH, before, after, user=user,
                      record=record(alarm_id, after, ts, user).to_json()).to_json()
    return body


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """20 minutes of a small city: readings of changing types, status changes, alarms, floods, actions."""
    path = tmp_path_factory.mktemp("timeline") / "history.db"
    rng = random.Random(7)
    readings = []
    for _ in range(400):
        ts = T0 + rng.randrange(0, 20 * MINUTE)
        metrics: dict[str, Any] = {"power_w": round(rng.uniform(0, 80), 1)}
        if rng.random() < 0.5:
            metrics["on"] = rng.random() < 0.5
        if rng.random() < 0.2:
            metrics["mode"] = rng.choice(["auto", "manual", 3])
        readings.append(Measurement(rng.choice(ASSETS), "lighting", ts, metrics))
    readings.sort(key=lambda m: m.ts_ms)
    # Data time moves on: the first hour is compacted, and the last reading is after the last keyframe.
    readings += [Measurement(ASSETS[0], "lighting", T0 + 120 * MINUTE + 30_000, {"power_w": 1.0})]
    status = [StatusUpdate(a, "lighting", T0 + i * 150_000 + 7, i % 2 == 0) for i, a in enumerate(ASSETS * 2)]
    status.sort(key=lambda s: s.ts_ms)
    a, b = "lamp_out:L-1", "lamp_out:L-2"
    events = [event(a, AlarmState.NORMAL, AlarmState.UNACK, T0 + 90_000),
              event(b, AlarmState.NORMAL, AlarmState.UNACK, T0 + 2 * MINUTE),  # on a keyframe instant
              event(a, AlarmState.UNACK, AlarmState.ACKED, T0 + 5 * MINUTE + 1, user="ana"),
              event(b, AlarmState.UNACK, AlarmState.NORMAL, T0 + 9 * MINUTE),
              event(a, AlarmState.ACKED, AlarmState.NORMAL, T0 + 17 * MINUTE + 30_000)]
    floods = [(T0 + 4 * MINUTE, {"active": True, "scope": "global", "count": 12, "since_ms": T0 + 3 * MINUTE}),
              (T0 + 11 * MINUTE, {"active": False, "scope": "global", "count": 2, "since_ms": T0 + 3 * MINUTE})]
    historian = Historian(path, history=None)
    historian.start()
    historian.add_measurements(readings)
    historian.add_status(status)
    historian.add_alarm_events(events)
    for ts, change in floods:
        historian.add_flood_change(ts, change)
    historian.add_action(T0 + 5 * MINUTE + 1, "ana", "desk-1", "ack", a, "seen", "r1", True, None)
    historian.close()
    db = connect(path)
    run_once(db, path, SETTINGS)
    db.close()
    return {"path": path, "readings": readings, "status": status, "events": events, "floods": floods}


def brute_force(history: dict[str, Any], at: int) -> tuple[dict[str, dict[str, Any]], dict[str, bool],
                                                             dict[str, str], set[str]]:
    values: dict[str, dict[str, Any]] = {}
    for m in history["readings"]:
        if m.ts_ms <= at:
            values.setdefault(m.asset_id, {}).update(m.metrics)
    online = {s.asset_id: s.online for s in history["status"] if s.ts_ms <= at}
    alarms: dict[str, str] = {}
    for e in history["events"]:
        if e["ts_ms"] <= at:
            if e["to_state"] == "normal":
                alarms.pop(e["alarm_id"], None)
            else:
                alarms[e["alarm_id"]] = e["to_state"]
    floods = set()
    for ts, change in history["floods"]:
        if ts <= at:
            (floods.add if change["active"] else floods.discard)(change["scope"])
    return values, online, alarms, floods


def instants() -> list[int]:
    out = [T0 - 1, T0, T0 + 20 * MINUTE + 5, T0 + 25 * MINUTE, T0 + 120 * MINUTE + 30_000]
    for k in range(1, 21):
        out += [T0 + k * MINUTE - 1, T0 + k * MINUTE, T0 + k * MINUTE + 1, T0 + k * MINUTE + 29_000]
    return out


def test_the_file_has_full_and_partial_keyframes(history: dict[str, Any]) -> None:
    with sqlite3.connect(history["path"]) as db:
        kinds = dict(db.execute("SELECT full, count(*) FROM keyframes GROUP BY full"))
        raw_hours = {h for (h,) in db.execute("SELECT DISTINCT ts_ms / 3600000 FROM telemetry")}
    assert kinds[1] >= 5 and kinds[0] >= 10
    assert raw_hours == {T0 // 3_600_000 + 2}, "the first hours are compacted"


@pytest.mark.parametrize("at", instants())
def test_state_at_equals_a_brute_force_replay(history: dict[str, Any], at: int) -> None:
    values, online, alarms, floods = brute_force(history, at)
    with Timeline(history["path"]) as timeline:
        state = timeline.state_at(at)
    seen = {s.asset_id: s for s in state.assets()}
    assert {a: s.values for a, s in seen.items() if s.values} == values
    assert {a: s.online for a, s in seen.items() if s.online is not None} == online
    for asset_id, asset_values in values.items():
        reported = max(m.ts_ms for m in history["readings"] if m.asset_id == asset_id and m.ts_ms <= at)
        assert seen[asset_id].last_reading_ms == reported
        assert {k: type(v) for k, v in seen[asset_id].values.items()} == {k: type(v) for k, v in asset_values.items()}
    assert {r.alarm_id: str(r.state) for r in state.alarms} == alarms
    assert all(isinstance(r, AlarmRecord) for r in state.alarms)
    assert set(state.floods) == floods


def test_a_city_wide_series_from_keyframes_equals_the_brute_force_replay_at_each_point(
        history: dict[str, Any]) -> None:
    def total_power(frame: Any, asset_ids: list[str]) -> float:
        return float(np.nansum(frame.numeric("power_w")))

    since, until = T0 + 3 * MINUTE + 500, T0 + 120 * MINUTE + 40_000
    with Timeline(history["path"]) as timeline:
        ts, values = timeline.series(since, until, total_power)
    assert ts[0] == T0 + 4 * MINUTE and ts[-1] == until and len(ts) >= 17, "every keyframe of the period, then its end"
    for at, value in zip(ts.tolist(), values.tolist(), strict=True):
        readings, _, _, _ = brute_force(history, at)
        expected = sum(m["power_w"] for m in readings.values() if "power_w" in m)
        assert value == pytest.approx(expected), f"at {at - T0} ms"


def test_the_alarm_list_at_an_instant_carries_the_whole_record(history: dict[str, Any]) -> None:
    with Timeline(history["path"]) as timeline:
        state = timeline.state_at(T0 + 6 * MINUTE)
    acked = {r.alarm_id: r for r in state.alarms}["lamp_out:L-1"]
    assert acked.acked_by == "ana" and acked.comments == [(T0 + 5 * MINUTE + 1, "ana", "seen")]
    assert acked.description == "Lamp out"


def test_events_between_returns_everything_in_one_order(history: dict[str, Any]) -> None:
    t0, t1 = T0 + 4 * MINUTE + 30_000, T0 + 12 * MINUTE
    with Timeline(history["path"]) as timeline:
        events = timeline.events_between(t0, t1)
    readings = [(e.ts_ms, e.asset_id, e.metrics) for e in events if isinstance(e, ReadingEvent)]
    assert readings == [(m.ts_ms, m.asset_id, m.metrics) for m in history["readings"] if t0 <= m.ts_ms < t1]
    assert [e.ts_ms for e in events if isinstance(e, StatusEvent)] == [
        s.ts_ms for s in history["status"] if t0 <= s.ts_ms < t1]
    transitions = [e for e in events if isinstance(e, AlarmTransition)]
    assert [(t.event.alarm_id, str(t.event.to_state)) for t in transitions] == [
        ("lamp_out:L-1", "acked"), ("lamp_out:L-2", "normal")]
    assert transitions[0].record is not None and transitions[0].record.acked_by == "ana"
    assert [e.verb for e in events if isinstance(e, ActionEvent)] == ["ack"]
    assert [e.change.active for e in events if isinstance(e, FloodEvent)] == [False]
    stamps = [e.ts_ms for e in events]
    assert stamps == sorted(stamps)
    assert all(t0 <= ts < t1 for ts in stamps)


def test_rule_sets_are_kept_by_hash_with_the_time_they_took_effect(tmp_path: Path) -> None:
    historian = Historian(tmp_path / "h.db", history=None)
    historian.start()
    try:
        first = historian.record_document("rules", "default.toml", b"[[rule]]\nid = 'a'\n", T0)
        assert historian.record_document("rules", "default.toml", b"[[rule]]\nid = 'a'\n", T0 + MINUTE) == first
        second = historian.record_document("rules", "default.toml", b"[[rule]]\nid = 'b'\n", T0 + 2 * MINUTE)
        historian.record_document("rules", "default.toml", b"[[rule]]\nid = 'a'\n", T0 + 3 * MINUTE)
    finally:
        historian.close()
    assert first != second
    db = connect(tmp_path / "h.db")
    try:
        assert db.execute("SELECT count(*) FROM documents").fetchone()[0] == 2
        assert [r[0] for r in db.execute("SELECT ts_ms FROM documents_in_force ORDER BY ts_ms")] == [
            T0, T0 + 2 * MINUTE, T0 + 3 * MINUTE]
        assert documents_at(db, "rules", T0 + MINUTE) == {"default.toml": b"[[rule]]\nid = 'a'\n"}
        assert documents_at(db, "rules", T0 + 2 * MINUTE) == {"default.toml": b"[[rule]]\nid = 'b'\n"}
        assert documents_at(db, "rules", T0 - 1) == {}
    finally:
        db.close()


def test_a_stored_record_the_typed_decoder_refuses_is_still_read_field_by_field() -> None:
    import msgspec

    from hypervisor.historian.keyframes import Keyframe

    stored = record("lamp_out:L-1", AlarmState.UNACK, T0).to_json()
    stored["comments"] = [[T0, None, "seen from the street"]]  # a comment without its user
    pack = msgspec.msgpack.Encoder().encode
    keyframe = Keyframe(T0, b"", None, msgspec.Raw(pack([stored])), msgspec.Raw(pack([])))
    records = keyframe.alarm_records()
    assert records["lamp_out:L-1"].state == AlarmState.UNACK
    assert records["lamp_out:L-1"].comments[0][2] == "seen from the street"
