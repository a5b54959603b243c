"""Scenario files: the shipped library validates, and every mistake is reported on its line."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from feeds.inventory import Inventory
from feeds.model import Measurement
from feeds.scenario import format_offset, parse_offset
from feeds.scenario.overrides import MetricOverride, Overrides
from hypervisor import paths
from hypervisor.training.sandbox import check_scenario

SHIPPED = sorted(paths.SCENARIOS.glob("*.toml"))

GOOD = """\
[scenario]
title_en = "Quiet night"
title_fr = "Nuit calme"
briefing_en = "Nothing happens."
briefing_fr = "Il ne se passe rien."
level = "beginner"
start = 2026-04-15T03:00:00+02:00
duration = "+30:00"
area = ["Quetigny"]

[conditions]
season = "spring"

[[inject]]
id = "dip"
at = "+08:00"
kind = "force"
asset = "W-P-133"
metric = "pressure_bar"
value = 1.7

[[expect]]
action = "ack"
rule = "pressure_drop"
asset = "W-P-133"
within = "+10:00"
"""


def _check(tmp_path: Path, dijon: Inventory, text: str) -> list[str]:
    path = tmp_path / "drill.toml"
    path.write_text(text, encoding="utf-8")
    scenario, errors = check_scenario(path, dijon, [paths.DEFAULT_RULES])
    assert (scenario is None) == bool(errors)
    return [str(e) for e in errors]


def test_at_least_six_drills_ship_and_validate(dijon: Inventory) -> None:
    assert len(SHIPPED) >= 6
    for path in SHIPPED:
        scenario, errors = check_scenario(path, dijon, [paths.DEFAULT_RULES])
        assert not errors, errors
        assert scenario is not None and scenario.injections and scenario.expectations
        assert scenario.title_fr != scenario.title_en and scenario.briefing_fr


def test_a_good_file_loads(tmp_path: Path, dijon: Inventory) -> None:
    assert _check(tmp_path, dijon, GOOD) == []


@pytest.mark.parametrize(("change", "line", "words"), [
    (('level = "beginner"', 'level = "expert"'), 6, "'level' is 'expert'"),
    (('at = "+08:00"', 'at = "8 minutes"'), 16, "not a time offset"),
    (('at = "+08:00"', 'at = "+45:00"'), 16, "after the end of the drill"),
    (('metric = "pressure_bar"', 'metric = "flow_m3h"'), 19, "a pressure_sensor reports"),
    (('asset = "W-P-133"\nmetric', 'asset = "W-P-999"\nmetric'), 18, "must name an asset"),
    (('asset = "W-P-133"\nwithin', 'asset = "W-P-078"\nwithin'), 25, "outside the drill's area"),
    (('rule = "pressure_drop"', 'rule = "container_fire"'), 24, "does not watch W-P-133"),
    (('rule = "pressure_drop"', 'rule = "no_such_rule"'), 24, "no loaded rule"),
    (('season = "spring"', 'season = "winter"'), 12, "does not match the start date"),
    (('value = 1.7', 'value = 1.7\ncolour = "red"'), 21, "unknown field"),
])
def test_each_mistake_is_reported_on_its_line(tmp_path: Path, dijon: Inventory, change: tuple[str, str],
                                               line: int, words: str) -> None:
    assert change[0] in GOOD
    errors = _check(tmp_path, dijon, GOOD.replace(change[0], change[1], 1))
    assert any(f"drill.toml:{line}:" in e and words in e for e in errors), errors


def test_a_syntax_error_names_its_line(tmp_path: Path, dijon: Inventory) -> None:
    errors = _check(tmp_path, dijon, GOOD.replace('kind = "force"', 'kind = "force'))
    assert len(errors) == 1 and "drill.toml:17:" in errors[0] and "TOML syntax error" in errors[0]


def test_check_command_prints_errors_and_fails(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text(GOOD.replace('kind = "force"', 'kind = "flood"'), encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "hypervisor", "scenario", "check", str(SHIPPED[0]), str(bad)],
                         check=False, capture_output=True, text=True, timeout=120)
    assert run.returncode == 1
    assert f"{SHIPPED[0]}: ok" in run.stdout
    assert "bad.toml:17: injection 'dip' field 'kind'" in run.stdout


def test_offsets_read_and_write() -> None:
    assert parse_offset("+00:30") == 30_000
    assert parse_offset("+1:05:00") == 3_900_000
    assert format_offset(3_900_000) == "+1:05:00" and format_offset(90_000) == "+01:30"
    with pytest.raises(ValueError):
        parse_offset("+00:75")


def test_a_ramp_moves_the_value_and_reports_every_minute() -> None:
    overrides = Overrides()
    overrides.add(MetricOverride("W-R-10", "water", "level_pct", 60_000, 50.0, 80.0, 300_000))
    simulated = [Measurement("W-R-10", "water", 180_000, {"level_pct": 79.0}),
                 Measurement("W-P-1", "water", 180_000, {"pressure_bar": 4.0})]
    out = overrides.apply(simulated, 0, 400_000)
    levels = {r.ts_ms: r.metrics["level_pct"] for r in out if r.asset_id == "W-R-10"}
    assert levels[60_000] == 80.0 and levels[180_000] == 68.0 and levels[360_000] == 50.0
    assert sorted(levels) == [60_000, 120_000, 180_000, 240_000, 300_000, 360_000]
    assert next(r for r in out if r.asset_id == "W-P-1").metrics == {"pressure_bar": 4.0}
