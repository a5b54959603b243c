"""The demo's engine side: the in-process bus delivers nothing twice, so its own history never mutes it."""

from __future__ import annotations

from pathlib import Path

from feeds.bus import InProcessBus
from feeds.clock import SimClock
from feeds.model import Measurement
from feeds.topics import Topics
from hypervisor.embedded_engine import EmbeddedEngine
from hypervisor.historian.writer import Historian
from tests.engine_harness import RULES, small_inventory

T0 = 1_790_000_000_000


def test_a_demo_started_behind_its_own_history_evaluates_its_readings(tmp_path: Path) -> None:
    historian_path = tmp_path / "demo-historian.sqlite"
    earlier = Historian(historian_path)  # a run at 60x left readings an hour ahead of this run's clock
    earlier.start()
    earlier.add_measurements([Measurement("W-P-001", "water", T0 + 3_600_000, {"pressure_bar": 4.5})])
    earlier.close()
    rules = tmp_path / "rules.toml"
    rules.write_text(RULES, encoding="utf-8")

    side = EmbeddedEngine(InProcessBus().client("engine"), small_inventory(), [rules], SimClock(T0, 60.0),
                          historian_path, Topics())
    try:
        reading = Measurement("W-P-001", "water", T0 + 1_000, {"pressure_bar": 0.4})
        evaluated, heard_only = side.engine.marks.fresh([reading])
        assert evaluated == [reading] and heard_only == []
        raised = side.engine.alarms.on_readings(evaluated)
        assert [event.alarm_id for event in raised], "a pressure of 0.4 bar raises an alarm"
    finally:
        side.close()
