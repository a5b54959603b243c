"""The default rules against the simulated city: quiet on a normal day, an alarm for every injected fault."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from alerts import AlarmEngine, AlarmEvent, AlarmState, RuleSet, load_rules
from feeds.inventory import Inventory, load_inventory
from feeds.simulator import FAULT_KINDS, CitySimulator, Fault

ROOT = Path(__file__).resolve().parents[1]
MINUTE = 60_000
HOUR = 60 * MINUTE
THURSDAY = int(datetime(2026, 1, 15, tzinfo=ZoneInfo("Europe/Paris")).timestamp() * 1000)
"""Local midnight of Thursday 15 January 2026: heating season, a 16-hour night."""
FAULT_WINDOW = (THURSDAY + 6 * HOUR, THURSDAY + 10 * HOUR)
"""Night, dawn and the morning opening of public buildings."""


@pytest.fixture(scope="module")
def rules() -> RuleSet:
    ruleset, errors = load_rules([ROOT / "assets" / "rules" / "default.toml"])
    assert errors == []
    return ruleset


@pytest.fixture(scope="module")
def city() -> Inventory:
    """A slice of Dijon: six cabinets and their lamps, a dozen buildings, all the water, 150 containers."""
    full = load_inventory(ROOT / "assets" / "dijon" / "inventory.geojson")
    cabinets = {f"L-C-{n:03d}" for n in range(40, 46)}
    buildings = {f"H-B-{n:03d}" for n in range(1, 13)}
    return Inventory([a for a in full if a.id in cabinets or a.parent in cabinets or a.id in buildings
                      or a.parent in buildings or a.domain == "water"
                      or (a.kind == "container" and a.id <= "D-C-0150")])


def raised(city: Inventory, rules: RuleSet, start: int, end: int, faults: tuple[Fault, ...] | list[Fault] = (),
           step: int = 30_000) -> list[AlarmEvent]:
    """Every alarm put in front of operators while the simulated city runs from ``start`` to ``end``."""
    now = [start - HOUR]
    sim = CitySimulator(city, seed=0, start_ms=now[0])
    engine = AlarmEngine(city, rules, lambda: now[0])
    for fault in faults:
        sim.inject(fault)
    events: list[AlarmEvent] = []
    for t in range(now[0], end + 1, step):
        now[0] = t
        fresh = engine.on_readings(sim.step(t)) + engine.tick(t)
        events += [e for e in fresh if t > start and e.to_state == AlarmState.UNACK
                   and e.from_state != AlarmState.UNACK]
    return events


def test_a_normal_winter_day_raises_nothing(city: Inventory, rules: RuleSet) -> None:
    events = raised(city, rules, THURSDAY + 4 * HOUR, THURSDAY + 21 * HOUR, step=60_000)
    assert [e.alarm_id for e in events] == []


Expectation = tuple[Fault, list[tuple[str, int]]]
"""A fault and the alarms it must raise, each within so many ms of its start."""


@pytest.fixture(scope="module")
def fault_day(city: Inventory, rules: RuleSet) -> tuple[list[Expectation], list[AlarmEvent]]:
    """Every fault kind on different assets of the slice, and silences in each domain, in one run."""
    t0 = FAULT_WINDOW[0] + 5 * MINUTE
    lamp, silent_lamp = city.children("L-C-044")[3], city.children("L-C-045")[0]
    source = city[city.children("H-B-003")[0]]
    meter = next(m for m in city.of_kind("flow_meter") if m.attrs["role"] == "district")
    expectations: list[Expectation] = [
        (Fault("cabinet_power_loss", "L-C-041", t0, 40 * MINUTE), [("cabinet_power_loss:L-C-041", MINUTE)]),
        (Fault("lamp_fault", lamp, t0, HOUR), [(f"lamp_fault:{lamp}", 3 * MINUTE)]),
        (Fault("boiler_failure", source.id, t0 + HOUR, 2 * HOUR),
         [(f"{source.kind}_fault:{source.id}", 2 * MINUTE), ("building_too_cold:H-B-003", 2 * HOUR)]),
        (Fault("container_fire", "D-C-0007", t0, 30 * MINUTE), [("container_fire:D-C-0007", 10 * MINUTE)]),
        (Fault("main_burst", meter.id, t0 + HOUR, 30 * MINUTE),
         [(f"main_burst_flow:{meter.id}", 4 * MINUTE),
          (f"main_burst_pressure:district:{meter.district}", 3 * MINUTE)]),
        (Fault("pressure_drop", "W-P-012", t0, 30 * MINUTE), [("pressure_drop:W-P-012", 3 * MINUTE)]),
        (Fault("sensor_silence", silent_lamp, t0, 3 * HOUR),
         [(f"luminaire_silent:{silent_lamp}", 2 * HOUR + 5 * MINUTE)]),
        (Fault("sensor_silence", "L-C-043", t0, HOUR), [("cabinet_silent:L-C-043", 35 * MINUTE)]),
        (Fault("sensor_silence", "H-B-005", t0, HOUR), [("heating_silent:H-B-005", 35 * MINUTE)]),
        (Fault("sensor_silence", "D-C-0020", t0, 3 * HOUR), [("container_silent:D-C-0020", 3 * HOUR)]),
        (Fault("sensor_silence", "W-Q-001", t0, HOUR), [("water_silent:W-Q-001", 35 * MINUTE)]),
    ]
    short_gap = Fault("sensor_silence", city.children("L-C-045")[1], t0, 90 * MINUTE)
    faults = [fault for fault, _ in expectations] + [short_gap]
    return expectations, raised(city, rules, *FAULT_WINDOW, faults)


@pytest.mark.parametrize("kind", FAULT_KINDS)
def test_every_fault_kind_raises_its_alarm_in_time(fault_day: tuple, kind: str) -> None:
    expectations, events = fault_day
    checked = 0
    for fault, alarms in expectations:
        if fault.kind != kind:
            continue
        for alarm_id, within in alarms:
            found = [e for e in events if e.alarm_id == alarm_id]
            assert found, f"{alarm_id} never raised; raised: {sorted({e.alarm_id for e in events})}"
            assert fault.start_ms <= found[0].ts_ms <= fault.start_ms + within
            checked += 1
    assert checked


def test_faults_raise_alarms_only_where_they_are(city: Inventory, fault_day: tuple) -> None:
    expectations, events = fault_day
    cabinet_lamps = set(city.children("L-C-041"))
    explained = {"cabinet_dark_at_night:L-C-041", f"boiler_stopped_in_use:{city.children('H-B-003')[0]}"}
    explained |= {alarm_id for _, alarms in expectations for alarm_id, _ in alarms}
    burst = next(f for f, _ in expectations if f.kind == "main_burst")
    burst_sensors = {a.id for a in city.of_kind("pressure_sensor") if a.district == city[burst.asset_id].district}
    stray = [e.alarm_id for e in events if e.alarm_id not in explained
             and not (e.rule_id == "pressure_drop" and e.asset_id in burst_sensors)]
    assert stray == []
    assert not any(e.asset_id in cabinet_lamps for e in events)


def test_a_luminaire_missing_a_few_reports_raises_nothing(city: Inventory, fault_day: tuple) -> None:
    _, events = fault_day
    assert f"luminaire_silent:{city.children('L-C-045')[1]}" not in {e.alarm_id for e in events}
