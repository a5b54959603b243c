"""Rules as loaded from TOML: plain frozen values, validated by the loader."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from enum import StrEnum

from alerts.records import Priority
from alerts.rules.targets import Target
from feeds.clock import CITY_ZONE
from feeds.inventory import Asset
from feeds.model import MetricValue


class Kind(StrEnum):
    """Rule kinds; docs/rules.md describes the fields of each."""
    THRESHOLD = "threshold"
    RATE_OF_CHANGE = "rate_of_change"
    STALE = "stale"
    DISCRETE = "discrete"
    GROUP = "group"
    SCHEDULE = "schedule"
    COMPOSITE = "composite"


LEVELS = ("hihi", "hi", "lo", "lolo")
"""Threshold levels, most severe high first; ``hi``/``hihi`` alarm above, ``lo``/``lolo`` below."""

GATES = ("day", "night", "occupied", "unoccupied", "heating_season")

_ATTR_LIMIT = re.compile(r"^attr:([A-Za-z_][A-Za-z0-9_]*)\s*(?:([*+-])\s*([0-9]+(?:\.[0-9]*)?))?$")


@dataclass(frozen=True, slots=True)
class AttrLimit:
    """A limit taken from each asset's attribute, optionally scaled or offset (``"attr:nominal_m3h * 1.8"``)."""

    attr: str
    op: str = ""
    operand: float = 0.0

    @classmethod
    def parse(cls, text: str) -> AttrLimit | None:
        """The limit written as ``attr:<name>[ <op> <number>]``, or None when the text is not one."""
        match = _ATTR_LIMIT.match(text.strip())
        if match is None:
            return None
        return cls(match[1], match[2] or "", float(match[3] or 0.0))

    def resolve(self, asset: Asset) -> float | None:
        """The limit for one asset, or None when the asset lacks a numeric attribute."""
        base = asset.attrs.get(self.attr)
        if isinstance(base, bool) or not isinstance(base, int | float):
            return None
        if self.op == "*":
            return base * self.operand
        if self.op == "+":
            return base + self.operand
        if self.op == "-":
            return base - self.operand
        return float(base)


Limit = float | AttrLimit


@dataclass(frozen=True, slots=True)
class Rule:
    """One alarm rule. Fields that do not apply to its kind keep their defaults."""

    id: str
    priority: Priority
    kind: Kind
    target: Target = field(default_factory=Target)
    description: str = ""
    descriptions: dict[str, str] = field(default_factory=dict)
    metric: str | None = None
    latching: bool = False
    on_delay_s: float = 0.0
    off_delay_s: float = 0.0
    suppressed_by_parent: str | None = None
    suppressed_by: str | None = None
    limits: tuple[tuple[str, Limit], ...] = ()
    deadband: float = 0.0
    level_priorities: tuple[tuple[str, Priority], ...] = ()
    equals: MetricValue | None = None
    window_s: float = 600.0
    rise_per_min: float | None = None
    fall_per_min: float | None = None
    after_s: float | None = None
    periods: float | None = None
    offline: bool = True
    when: tuple[str, ...] = ()
    sun_margin_deg: float = 4.0
    timezone: str = CITY_ZONE
    over: str = "parent"
    member_kind: str | None = None
    min_fraction: float = 0.0
    min_count: int = 1
    below: float | None = None
    above: float | None = None
    all_of: tuple[str, ...] = ()
    any_of: tuple[str, ...] = ()
    file: str = ""
    line: int = 0

    def same_condition(self, other: Rule) -> bool:
        """Whether ``other`` raises the same alarms the same way: where the rule is written and how it is
        described do not count, so moving or rewording a rule keeps its standing alarms as they are."""
        unused = {"file": "", "line": 0, "description": "", "descriptions": {}}
        return replace(self, **unused) == replace(other, **unused)

    def priority_of(self, level: str | None) -> Priority:
        """Priority of a threshold level (``priorities``), else the rule's."""
        for name, priority in self.level_priorities:
            if name == level:
                return priority
        return self.priority


@dataclass(frozen=True, slots=True)
class RuleSet:
    """The rules the engine runs, in file order."""

    rules: tuple[Rule, ...] = ()

    def __iter__(self) -> Iterator[Rule]:
        return iter(self.rules)

    def __len__(self) -> int:
        return len(self.rules)

    def get(self, rule_id: str) -> Rule | None:
        """The rule with that id, or None."""
        return next((r for r in self.rules if r.id == rule_id), None)
