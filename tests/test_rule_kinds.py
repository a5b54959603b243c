"""Each rule kind, with its delays and deadbands, as the alarm list would show it."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from alerts import AlarmEngine, AlarmState, Command, Priority, load_rules
from alerts.schedule import Occupancy, OccupancyError
from feeds.inventory import Asset, Inventory
from feeds.model import Measurement, StatusUpdate
from hypervisor.engine.redelivery import EvaluationMarks

PARIS = ZoneInfo("Europe/Paris")
S = AlarmState


def at(text: str) -> int:
    """Epoch ms of a Paris local time, e.g. ``2026-01-12 10:00`` (a Monday in the heating season)."""
    return int(datetime.fromisoformat(text).replace(tzinfo=PARIS).timestamp() * 1000)


class Bench:
    """An engine over a few assets, a hand-driven clock and a sun the test switches on and off."""

    def __init__(self, tmp_path: Path, rules: str, assets: list[Asset], now: int = 0) -> None:
        path = tmp_path / "rules.toml"
        path.write_text(rules, encoding="utf-8")
        ruleset, errors = load_rules([path])
        assert errors == []
        self.now = now or at("2026-01-12 10:00")
        self.elevation = 30.0
        self.inventory = Inventory(assets)
        self.engine = AlarmEngine(self.inventory, ruleset, lambda: self.now, lambda lon, lat, ts: self.elevation)

    def send(self, asset_id: str, **metrics: float | bool) -> list[tuple[str, AlarmState]]:
        domain = self.inventory[asset_id].domain
        events = self.engine.on_readings([Measurement(asset_id, domain, self.now, metrics)])
        return [(e.alarm_id, e.to_state) for e in events]

    def wait(self, seconds: float) -> list[tuple[str, AlarmState]]:
        self.now += int(seconds * 1000)
        return [(e.alarm_id, e.to_state) for e in self.engine.tick(self.now)]

    def state(self, alarm_id: str) -> AlarmState:
        record = self.engine.records().get(alarm_id)
        return record.state if record else S.NORMAL


def sensor(asset_id: str = "P-1", **attrs: object) -> Asset:
    return Asset(asset_id, "water", "pressure_sensor", "Centre", 5.04, 47.32, attrs={"nominal_bar": 4.0, **attrs})


THRESHOLD = """
[[rule]]
id = "pressure"
priority = "medium"
kind = "threshold"
target = { kind = "pressure_sensor" }
metric = "pressure_bar"
lo = 2.0
lolo = 1.5
hi = "attr:nominal_bar + 2"
deadband = 0.2
priorities = { lolo = "critical" }
on_delay_s = 30
off_delay_s = 60
"""


def test_threshold_waits_for_on_delay_and_ignores_a_glitch(tmp_path: Path) -> None:
    bench = Bench(tmp_path, THRESHOLD, [sensor()])
    assert bench.send("P-1", pressure_bar=1.8) == []
    assert bench.wait(20) == []
    assert bench.send("P-1", pressure_bar=3.5) == []
    assert bench.wait(60) == []
    bench.send("P-1", pressure_bar=1.8)
    assert bench.wait(29) == []
    assert bench.wait(1) == [("pressure:P-1", S.UNACK)]
    record = bench.engine.records()["pressure:P-1"]
    assert record.message == "pressure_bar 1.8 below lo 2"
    assert record.priority == Priority.MEDIUM


def test_threshold_deadband_and_off_delay(tmp_path: Path) -> None:
    bench = Bench(tmp_path, THRESHOLD.replace("on_delay_s = 30", "on_delay_s = 0"), [sensor()])
    assert bench.send("P-1", pressure_bar=1.9) == [("pressure:P-1", S.UNACK)]
    assert bench.send("P-1", pressure_bar=2.1) == []
    assert bench.wait(120) == []
    assert bench.send("P-1", pressure_bar=2.3) == []
    assert bench.wait(59) == []
    assert bench.wait(1) == [("pressure:P-1", S.RTN_UNACK)]


def test_threshold_escalates_to_lolo_priority_and_needs_a_new_ack(tmp_path: Path) -> None:
    bench = Bench(tmp_path, THRESHOLD.replace("on_delay_s = 30", "on_delay_s = 0"), [sensor()])
    bench.send("P-1", pressure_bar=1.9)
    bench.engine.command(Command("ack", "pressure:P-1", "alice"))
    assert bench.send("P-1", pressure_bar=1.2) == [("pressure:P-1", S.UNACK)]
    record = bench.engine.records()["pressure:P-1"]
    assert (record.priority, record.message) == (Priority.CRITICAL, "pressure_bar 1.2 below lolo 1.5")


def test_threshold_limit_from_an_attribute_per_asset(tmp_path: Path) -> None:
    rules = THRESHOLD.replace("on_delay_s = 30", "on_delay_s = 0")
    bench = Bench(tmp_path, rules, [sensor("P-1"), sensor("P-2", nominal_bar=5.0), sensor("P-3", nominal_bar="?")])
    assert bench.send("P-1", pressure_bar=6.5) == [("pressure:P-1", S.UNACK)]
    assert bench.send("P-2", pressure_bar=6.5) == []
    assert bench.send("P-3", pressure_bar=9.0) == []
    assert bench.send("P-2", pressure_bar="broken") == []


RATE = """
[[rule]]
id = "draining"
priority = "high"
kind = "rate_of_change"
target = { kind = "reservoir" }
metric = "level_pct"
window_s = 600
fall_per_min = 0.5
"""


def test_rate_of_change_over_its_window(tmp_path: Path) -> None:
    bench = Bench(tmp_path, RATE, [Asset("R-1", "water", "reservoir", "Centre", 5.0, 47.3)])
    level = 80.0
    for _ in range(10):
        assert bench.send("R-1", level_pct=level) == []
        bench.now += 60_000
        level -= 0.2
    raised = []
    for _ in range(10):
        raised += bench.send("R-1", level_pct=level)
        bench.now += 60_000
        level -= 1.0
    assert raised == [("draining:R-1", S.UNACK)]
    for _ in range(15):
        raised += bench.send("R-1", level_pct=level)
        bench.now += 60_000
    assert raised[-1] == ("draining:R-1", S.RTN_UNACK)


STALE = """
[[rule]]
id = "silent"
priority = "medium"
kind = "stale"
target = { domain = "water" }
periods = 3

[[rule]]
id = "quiet"
priority = "low"
kind = "stale"
target = { kind = "flow_meter" }
after_s = 100
offline = false
"""


def test_stale_after_periods_of_silence_and_on_offline_status(tmp_path: Path) -> None:
    meter = Asset("F-1", "water", "flow_meter", "Centre", 5.0, 47.3, attrs={"report_period_s": 60})
    bench = Bench(tmp_path, STALE, [meter, sensor(report_period_s=60)])
    bench.send("F-1", flow_m3h=10.0)
    assert bench.wait(100) == []
    assert bench.wait(5) == [("quiet:F-1", S.UNACK)]
    assert sorted(bench.wait(80)) == [("silent:F-1", S.UNACK), ("silent:P-1", S.UNACK)]
    assert "no data for 3 min" in bench.engine.records()["silent:F-1"].message
    assert sorted(bench.send("F-1", flow_m3h=10.0)) == [("quiet:F-1", S.RTN_UNACK), ("silent:F-1", S.RTN_UNACK)]
    events = bench.engine.on_readings([StatusUpdate("F-1", "water", bench.now, False)])
    assert [(e.alarm_id, e.to_state, e.message) for e in events] == [
        ("silent:F-1", S.UNACK, "device reports offline")]


DISCRETE = """
[[rule]]
id = "mains"
priority = "critical"
kind = "discrete"
target = { kind = "cabinet" }
metric = "mains"
equals = false
on_delay_s = 30
"""


def test_discrete_state_with_on_delay(tmp_path: Path) -> None:
    bench = Bench(tmp_path, DISCRETE, [Asset("C-1", "lighting", "cabinet", "Centre", 5.0, 47.3)])
    assert bench.send("C-1", mains=0) == []
    assert bench.wait(40) == []
    bench.send("C-1", mains=False)
    assert bench.wait(30) == [("mains:C-1", S.UNACK)]
    assert bench.engine.records()["mains:C-1"].message == "mains is false"


SCHEDULE = """
[[rule]]
id = "cold"
priority = "medium"
kind = "schedule"
target = { kind = "building" }
metric = "temp_c"
lo = "attr:comfort_min_c"
deadband = 0.5
when = ["occupied", "heating_season"]

[[rule]]
id = "lit_by_day"
priority = "low"
kind = "schedule"
target = { kind = "luminaire" }
metric = "on"
equals = true
when = "day"
"""


def test_schedule_only_alarms_during_occupancy(tmp_path: Path) -> None:
    school = Asset("B-1", "heating", "building", "Centre", 5.0, 47.3,
                   attrs={"comfort_min_c": 17.5, "occupancy": "mon-fri 08:00-17:30"})
    open_plan = Asset("B-2", "heating", "building", "Centre", 5.0, 47.3, attrs={"comfort_min_c": 17.5})
    bench = Bench(tmp_path, SCHEDULE, [school, open_plan], now=at("2026-01-12 07:00"))
    assert bench.send("B-1", temp_c=15.0) == []
    assert bench.send("B-2", temp_c=15.0) == []
    bench.now = at("2026-01-12 08:00")
    assert bench.wait(0) == [("cold:B-1", S.UNACK)]
    assert bench.engine.records()["cold:B-1"].message == "temp_c 15 below lo 17.5 while occupied and heating_season"
    bench.now = at("2026-01-12 17:30")
    assert bench.wait(0) == [("cold:B-1", S.RTN_UNACK)]


def test_schedule_is_silent_outside_the_heating_season(tmp_path: Path) -> None:
    school = Asset("B-1", "heating", "building", "Centre", 5.0, 47.3,
                   attrs={"comfort_min_c": 17.5, "occupancy": "mon-fri 08:00-17:30"})
    bench = Bench(tmp_path, SCHEDULE, [school], now=at("2026-06-15 10:00"))
    assert bench.send("B-1", temp_c=15.0) == []


def test_schedule_day_and_night_follow_the_sun(tmp_path: Path) -> None:
    lamp = Asset("L-1", "lighting", "luminaire", "Centre", 5.0, 47.3)
    bench = Bench(tmp_path, SCHEDULE, [lamp])
    bench.elevation = -10.0
    bench.wait(60)
    assert bench.send("L-1", on=True) == []
    bench.elevation = 2.0
    assert bench.wait(60) == []
    bench.elevation = 6.0
    assert bench.wait(60) == [("lit_by_day:L-1", S.UNACK)]
    assert bench.send("L-1", on=False) == [("lit_by_day:L-1", S.RTN_UNACK)]


GROUP = """
[[rule]]
id = "power"
priority = "critical"
kind = "discrete"
target = { kind = "cabinet" }
metric = "mains"
equals = false

[[rule]]
id = "dark"
priority = "medium"
kind = "group"
target = { kind = "cabinet" }
member_kind = "luminaire"
metric = "on"
equals = false
min_fraction = 0.2
when = "night"
suppressed_by = "power"

[[rule]]
id = "burst"
priority = "critical"
kind = "group"
target = { kind = "pressure_sensor" }
over = "district"
metric = "pressure_bar"
below = 2.0
min_count = 2
"""


def cabinet_with_lamps(n: int) -> list[Asset]:
    lamps = [Asset(f"L-{k}", "lighting", "luminaire", "Centre", 5.0, 47.3, parent="C-1") for k in range(n)]
    return [Asset("C-1", "lighting", "cabinet", "Centre", 5.0, 47.3), *lamps]


def test_group_dark_at_night_counts_a_fraction_of_the_cabinet(tmp_path: Path) -> None:
    bench = Bench(tmp_path, GROUP, cabinet_with_lamps(10))
    bench.elevation = -12.0
    bench.wait(60)
    for k in range(10):
        bench.send(f"L-{k}", on=True)
    assert bench.send("L-0", on=False) == []
    assert bench.send("L-1", on=False) == [("dark:C-1", S.UNACK)]
    assert bench.engine.records()["dark:C-1"].message == (
        "2 of 10 luminaire with on = false (20 %) while night")
    assert bench.send("L-1", on=True) == [("dark:C-1", S.RTN_UNACK)]


def test_group_dark_is_quiet_in_daylight_and_suppressed_by_power_loss(tmp_path: Path) -> None:
    bench = Bench(tmp_path, GROUP, cabinet_with_lamps(5))
    for k in range(5):
        bench.send(f"L-{k}", on=False)
    assert bench.engine.records() == {}
    bench.send("C-1", mains=False)
    bench.elevation = -12.0
    assert bench.wait(60) == [("dark:C-1", S.SUPPRESSED)]


def test_group_over_district_with_numeric_member_test(tmp_path: Path) -> None:
    sensors = [sensor(f"P-{k}") for k in range(4)]
    bench = Bench(tmp_path, GROUP, sensors)
    assert bench.send("P-0", pressure_bar=1.2) == []
    assert bench.send("P-1", pressure_bar=1.4) == [("burst:district:Centre", S.UNACK)]
    record = bench.engine.records()["burst:district:Centre"]
    assert (record.asset_id, record.district) == ("district:Centre", "Centre")


COMPOSITE = """
[[rule]]
id = "stopped"
priority = "medium"
kind = "discrete"
target = { kind = "boiler" }
metric = "running"
equals = false

[[rule]]
id = "faulty"
priority = "medium"
kind = "discrete"
target = { kind = "boiler" }
metric = "fault"
equals = true

[[rule]]
id = "down"
priority = "high"
kind = "composite"
target = { kind = "boiler" }
all = ["stopped", "faulty"]
on_delay_s = 10

[[rule]]
id = "trouble"
priority = "low"
kind = "composite"
target = { kind = "boiler" }
any = ["stopped", "faulty"]
"""


@pytest.mark.parametrize(("running", "fault", "down", "trouble"), [
    (True, False, S.NORMAL, S.NORMAL), (False, False, S.NORMAL, S.UNACK),
    (True, True, S.NORMAL, S.UNACK), (False, True, S.UNACK, S.UNACK),
])
def test_composite_all_and_any(tmp_path: Path, running: bool, fault: bool, down: AlarmState,
                               trouble: AlarmState) -> None:
    bench = Bench(tmp_path, COMPOSITE, [Asset("K-1", "heating", "boiler", "Centre", 5.0, 47.3)])
    bench.send("K-1", running=running, fault=fault)
    assert bench.state("down:K-1") == S.NORMAL
    bench.wait(10)
    assert (bench.state("down:K-1"), bench.state("trouble:K-1")) == (down, trouble)


@pytest.mark.parametrize(("schedule", "when", "occupied"), [
    ("mon-fri 07:30-19:00; sat 08:00-12:00", "2026-01-12 07:29", False),
    ("mon-fri 07:30-19:00; sat 08:00-12:00", "2026-01-12 07:30", True),
    ("mon-fri 07:30-19:00; sat 08:00-12:00", "2026-01-17 11:59", True),
    ("mon-fri 07:30-19:00; sat 08:00-12:00", "2026-01-18 10:00", False),
    ("mon,wed 08:00-12:00,14:00-18:00", "2026-01-14 13:00", False),
    ("mon,wed 08:00-12:00,14:00-18:00", "2026-01-14 15:00", True),
    ("fri 22:00-02:00", "2026-01-17 01:30", True),
    ("daily 09:00-10:00", "2026-07-05 09:30", True),
])
def test_occupancy_schedules(schedule: str, when: str, occupied: bool) -> None:
    assert Occupancy.parse(schedule).is_occupied(at(when), PARIS) is occupied


@pytest.mark.parametrize("schedule", ["mon-fry 08:00-12:00", "mon 8h-12h", "tue 25:00-26:00"])
def test_unreadable_occupancy_names_the_fault(schedule: str) -> None:
    with pytest.raises(OccupancyError) as raised:
        Occupancy.parse(schedule)
    assert repr(schedule) in str(raised.value)


CAUSE_AND_CONSEQUENCE = """
[[rule]]
id = "fault"
priority = "high"
kind = "discrete"
target = { kind = "substation" }
metric = "fault"
equals = true

[[rule]]
id = "stopped"
priority = "high"
kind = "discrete"
target = { kind = "substation" }
metric = "running"
equals = false
suppressed_by = "fault"
"""


@pytest.mark.parametrize("fault_first", [True, False])
def test_a_cause_and_its_consequence_in_one_reading_do_not_depend_on_the_payload_order(
    tmp_path: Path, fault_first: bool
) -> None:
    substation = Asset("H-S-1", "heating", "substation", "Centre", 5.04, 47.32)
    bench = Bench(tmp_path, CAUSE_AND_CONSEQUENCE, [substation])

    def both(fault: bool, running: bool) -> list[tuple[str, AlarmState]]:
        metrics = {"fault": fault, "running": running}
        return bench.send("H-S-1", **(metrics if fault_first else dict(reversed(metrics.items()))))

    assert both(fault=True, running=False) == [("fault:H-S-1", S.UNACK), ("stopped:H-S-1", S.SUPPRESSED)]
    bench.now += 60_000
    assert both(fault=False, running=True) == [("fault:H-S-1", S.RTN_UNACK), ("stopped:H-S-1", S.NORMAL)]
    assert bench.state("stopped:H-S-1") == S.NORMAL


LAMP = """
[[rule]]
id = "lamp"
priority = "low"
kind = "discrete"
target = { kind = "luminaire" }
metric = "fault"
equals = true

[[rule]]
id = "silent"
priority = "low"
kind = "stale"
target = { kind = "luminaire" }
after_s = 600
"""


def lamp() -> Asset:
    return Asset("L-1", "lighting", "luminaire", "Centre", 5.04, 47.32)


def test_a_repeated_reading_changes_nothing_but_the_same_value_as_another_type_is_evaluated(tmp_path: Path) -> None:
    bench = Bench(tmp_path, LAMP, [lamp()])
    assert bench.send("L-1", fault=True, on=True) == [("lamp:L-1", S.UNACK)]
    assert bench.send("L-1", fault=True, on=False) == []
    # 1 equals True in Python, but a rule on ``true`` does not match the number 1.
    assert bench.send("L-1", fault=1, on=False) == [("lamp:L-1", S.RTN_UNACK)]


def test_a_silent_asset_repeating_its_last_reading_is_heard_again(tmp_path: Path) -> None:
    bench = Bench(tmp_path, LAMP, [lamp()])
    bench.send("L-1", fault=False)
    assert bench.wait(610) == [("silent:L-1", S.UNACK)]
    assert bench.send("L-1", fault=False) == [("silent:L-1", S.RTN_UNACK)]


def test_readings_older_than_those_evaluated_drive_no_rule_but_the_asset_is_not_silent(tmp_path: Path) -> None:
    bench = Bench(tmp_path, LAMP, [lamp()])
    marks = EvaluationMarks({"L-1": bench.now + 3_600_000})  # its history runs an hour ahead of this clock

    def deliver(**metrics: bool) -> list[tuple[str, AlarmState]]:
        fresh, heard = marks.fresh([Measurement("L-1", "lighting", bench.now, metrics)])
        events = bench.engine.on_readings(fresh) + bench.engine.on_heard(heard)
        return [(e.alarm_id, e.to_state) for e in events]

    for _ in range(6):
        assert deliver(fault=True) == [], "an older reading raises nothing, and says the lamp is reporting"
        assert bench.wait(300) == []
    assert bench.wait(610) == [("silent:L-1", S.UNACK)], "a lamp that stops sending is still found silent"
    assert deliver(fault=False) == [("silent:L-1", S.RTN_UNACK)]


def test_a_reading_after_restored_alarms_is_evaluated_even_when_it_repeats_the_last(tmp_path: Path) -> None:
    raised = Bench(tmp_path, LAMP, [lamp()])
    raised.send("L-1", fault=True)
    saved = list(raised.engine.records().values())
    bench = Bench(tmp_path, LAMP, [lamp()])
    bench.send("L-1", fault=False)
    bench.engine.restore(saved)
    assert bench.send("L-1", fault=False) == [("lamp:L-1", S.RTN_UNACK)]


def test_an_asset_leaving_out_a_watched_metric_is_still_evaluated(tmp_path: Path) -> None:
    bench = Bench(tmp_path, CAUSE_AND_CONSEQUENCE, [Asset("H-S-1", "heating", "substation", "Centre", 5.04, 47.32)])
    assert bench.send("H-S-1", fault=False, running=True) == []
    assert bench.send("H-S-1", running=False) == [("stopped:H-S-1", S.UNACK)]
    assert bench.send("H-S-1", fault=True) == [("fault:H-S-1", S.UNACK), ("stopped:H-S-1", S.SUPPRESSED)]
