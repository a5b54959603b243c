"""The one place the engine is assembled: the embedded city, ``hypervisor engine``, tests and benchmarks."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path

from alerts import AlarmEngine, AlarmRecord, RuleSet, load_rules
from feeds.clock import Clock
from feeds.decoding import Decoder
from feeds.inventory import Inventory
from feeds.topics import Topics
from hypervisor.engine.redelivery import EvaluationMarks
from hypervisor.engine.service import Engine
from hypervisor.historian.reader import HistorianReader
from hypervisor.historian.writer import Historian

log = logging.getLogger(__name__)


def build_alarm_engine(inventory: Inventory, rule_paths: Sequence[Path], clock: Clock,
                       historian_path: Path | None = None, ruleset: RuleSet | None = None) -> AlarmEngine:
    """Load the rules (reporting broken ones; ``ruleset`` if already loaded) and restore alarm state from
    the historian."""
    if ruleset is None:
        ruleset, errors = load_rules(rule_paths)
        for error in errors:
            log.error("rule file error (rule skipped, the others run): %s", error)
    engine = AlarmEngine(inventory, ruleset, clock.now_ms)
    if historian_path is not None and historian_path.exists():
        reader = HistorianReader(historian_path)
        try:
            engine.restore(AlarmRecord.from_json(r) for r in reader.alarm_records())
        finally:
            reader.close()
    return engine


def build_engine(link: object, inventory: Inventory, rule_paths: Sequence[Path], clock: Clock,
                 historian: Historian | None, topics: Topics = Topics(), restore_from: Path | None = None,
                 health_period_s: float = 1.0, ruleset: RuleSet | None = None,
                 marks: EvaluationMarks | None = None) -> Engine:
    """Decoder, alarm engine (restored from ``restore_from`` when given) and historian on a link; ``marks``
    as ``Engine`` takes them."""
    alarms = build_alarm_engine(inventory, rule_paths, clock, restore_from, ruleset)
    return Engine(link, Decoder(inventory, topics, clock), alarms, historian, clock, topics, list(rule_paths),
                  health_period_s=health_period_s, marks=marks)
