"""The engine as the wiring uses it: records, restart, reload, and the default rules on a small city."""

from __future__ import annotations

from pathlib import Path

import pytest

from alerts import AlarmEngine, AlarmRecord, AlarmState, Command, Priority, load_rules
from feeds.inventory import Asset, Inventory
from feeds.model import Measurement

ROOT = Path(__file__).resolve().parents[1]
S = AlarmState

RULES = """
[[rule]]
id = "low_pressure"
priority = "medium"
kind = "threshold"
target = { kind = "pressure_sensor" }
metric = "pressure_bar"
lo = 2.0
lolo = 1.5
priorities = { lolo = "high" }

[[rule]]
id = "flow"
priority = "high"
kind = "threshold"
target = { kind = "flow_meter" }
metric = "flow_m3h"
hi = 100
"""


def inventory() -> Inventory:
    return Inventory([
        Asset("P-1", "water", "pressure_sensor", "Centre", 5.0, 47.3),
        Asset("P-2", "water", "pressure_sensor", "Nord", 5.0, 47.4),
        Asset("F-1", "water", "flow_meter", "Centre", 5.0, 47.3),
    ])


class Plant:
    def __init__(self, tmp_path: Path, rules: str = RULES) -> None:
        self.tmp_path = tmp_path
        self.now = 1_000_000
        self.engine = AlarmEngine(inventory(), self.rules(rules), lambda: self.now)

    def rules(self, text: str):
        path = self.tmp_path / "rules.toml"
        path.write_text(text, encoding="utf-8")
        ruleset, errors = load_rules([path])
        assert errors == []
        return ruleset

    def send(self, asset_id: str, **metrics: float) -> list:
        return self.engine.on_readings([Measurement(asset_id, "water", self.now, metrics)])


@pytest.fixture
def plant(tmp_path: Path) -> Plant:
    return Plant(tmp_path)


def test_records_hold_what_the_alarm_list_shows(plant: Plant) -> None:
    plant.send("P-1", pressure_bar=1.2)
    plant.send("P-2", pressure_bar=3.0)
    [record] = plant.engine.records().values()
    assert (record.alarm_id, record.rule_id, record.asset_id) == ("low_pressure:P-1", "low_pressure", "P-1")
    assert (record.domain, record.district, record.asset_kind) == ("water", "Centre", "pressure_sensor")
    assert (record.priority, record.state, record.active, record.value) == (Priority.HIGH, S.UNACK, True, 1.2)
    assert (record.raised_ms, record.changed_ms) == (plant.now, plant.now)
    assert record.message == "pressure_bar 1.2 below lolo 1.5"
    assert record.detail == {"kind": "limit", "metric": "pressure_bar", "value": 1.2, "level": "lolo", "limit": 1.5,
                             "high": False}


def test_records_are_copies(plant: Plant) -> None:
    plant.send("P-1", pressure_bar=1.2)
    plant.engine.records()["low_pressure:P-1"].state = S.NORMAL
    assert plant.engine.records()["low_pressure:P-1"].state == S.UNACK
    assert plant.engine.record("low_pressure:P-1") == plant.engine.records()["low_pressure:P-1"]
    assert plant.engine.record("low_pressure:P-2") is None


def test_restore_after_restart_does_not_raise_the_alarm_again(plant: Plant, tmp_path: Path) -> None:
    plant.send("P-1", pressure_bar=1.2)
    plant.engine.command(Command("ack", "low_pressure:P-1", "alice", comment="crew sent"))
    plant.send("F-1", flow_m3h=150.0)
    saved = [AlarmRecord.from_json(r.to_json()) for r in plant.engine.records().values()]

    restarted = Plant(tmp_path)
    restarted.engine.restore(saved)
    restarted.engine.restore(saved)
    assert restarted.engine.records() == plant.engine.records()
    assert restarted.send("P-1", pressure_bar=1.3) == []
    assert restarted.send("F-1", flow_m3h=160.0) == []
    [cleared] = restarted.send("P-1", pressure_bar=3.0)
    assert (cleared.from_state, cleared.to_state) == (S.ACKED, S.NORMAL)


def test_restore_skips_alarms_of_rules_that_no_longer_exist(plant: Plant) -> None:
    ghost = AlarmRecord("gone:P-1", "gone", "P-1", "water", "Centre", "pressure_sensor", Priority.LOW,
                        state=S.UNACK, active=True, unacked=True)
    plant.engine.restore([ghost])
    assert plant.engine.records() == {}


def test_reload_keeps_states_of_kept_rules_and_clears_removed_ones(plant: Plant) -> None:
    plant.send("P-1", pressure_bar=1.8)
    plant.send("F-1", flow_m3h=150.0)
    without_flow = RULES[: RULES.index('[[rule]]\nid = "flow"')]
    events = plant.engine.reload(plant.rules(without_flow))
    assert [(e.alarm_id, e.from_state, e.to_state, e.comment) for e in events] == [
        ("flow:F-1", S.UNACK, S.NORMAL, "rule removed from the rule set")]
    assert list(plant.engine.records()) == ["low_pressure:P-1"]
    assert plant.send("P-1", pressure_bar=1.9) == []
    assert plant.send("F-1", flow_m3h=500.0) == []


def test_reload_with_a_new_limit_applies_to_the_next_reading(plant: Plant) -> None:
    plant.send("P-1", pressure_bar=2.5)
    plant.engine.reload(plant.rules(RULES.replace("lo = 2.0", "lo = 3.0")))
    [event] = plant.send("P-1", pressure_bar=2.5)
    assert event.to_state == S.UNACK and "below lo 3" in event.message


def test_unwatched_assets_and_metrics_cost_nothing(plant: Plant) -> None:
    assert plant.engine.on_readings([Measurement("X-9", "water", plant.now, {"pressure_bar": 0.1})]) == []
    assert plant.send("P-1", ph=1.0) == []


def city() -> Inventory:
    lamps = [Asset(f"L-L-{k}", "lighting", "luminaire", "Centre", 5.04, 47.32, parent="L-C-1",
                   attrs={"report_period_s": 900}) for k in range(10)]
    return Inventory([
        Asset("L-C-1", "lighting", "cabinet", "Centre", 5.04, 47.32, attrs={"report_period_s": 300}), *lamps,
        Asset("D-C-1", "waste", "container", "Centre", 5.04, 47.32, attrs={"report_period_s": 1800}),
    ])


def test_default_rules_cabinet_power_loss_hides_its_lamps(tmp_path: Path) -> None:
    ruleset, errors = load_rules([ROOT / "assets" / "rules" / "default.toml"])
    assert errors == []
    now = [1_760_000_000_000]
    engine = AlarmEngine(city(), ruleset, lambda: now[0], lambda lon, lat, ts: -20.0)
    lamps = [Measurement(f"L-L-{k}", "lighting", now[0], {"on": True, "fault": k < 3}) for k in range(10)]
    engine.on_readings(lamps)
    now[0] += 120_000
    raised = engine.tick(now[0])
    assert sorted(e.alarm_id for e in raised) == ["lamp_fault:L-L-0", "lamp_fault:L-L-1", "lamp_fault:L-L-2"]
    engine.on_readings([Measurement("L-C-1", "lighting", now[0], {"mains": False})])
    engine.on_readings([Measurement(f"L-L-{k}", "lighting", now[0], {"on": False}) for k in range(10)])
    now[0] += 30_000
    events = engine.tick(now[0])
    assert (events[0].alarm_id, events[0].to_state) == ("cabinet_power_loss:L-C-1", S.UNACK)
    assert {e.alarm_id for e in events if e.to_state == S.SUPPRESSED} == {
        "lamp_fault:L-L-0", "lamp_fault:L-L-1", "lamp_fault:L-L-2"}
    now[0] += 1_800_000
    engine.on_readings([Measurement("L-C-1", "lighting", now[0], {"mains": False})])
    later = engine.tick(now[0])
    assert {(e.alarm_id, e.to_state) for e in later} == {("cabinet_dark_at_night:L-C-1", S.SUPPRESSED)}


def test_default_rules_container_fire_is_critical_and_latches(tmp_path: Path) -> None:
    ruleset, _ = load_rules([ROOT / "assets" / "rules" / "default.toml"])
    now = [1_760_000_000_000]
    engine = AlarmEngine(city(), ruleset, lambda: now[0], lambda lon, lat, ts: 20.0)
    [fire] = engine.on_readings([Measurement("D-C-1", "waste", now[0], {"temp_c": 85.0, "fill_pct": 40.0})])
    assert (fire.alarm_id, fire.priority, fire.to_state) == ("container_fire:D-C-1", Priority.CRITICAL, S.UNACK)
    engine.command(Command("ack", fire.alarm_id, "alice"))
    [cleared] = engine.on_readings([Measurement("D-C-1", "waste", now[0], {"temp_c": 18.0})])
    assert (cleared.from_state, cleared.to_state) == (S.ACKED, S.ACKED)
    assert engine.records()[fire.alarm_id].latched
