"""An asset's or a metric's alarm limits, read from the rules in force: the one source of truth.

The gauge, the key-figure tile and the alarm itself all ask here, so none of them can disagree with the
rule about where "low pressure" begins.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from alerts.records import Priority
from alerts.rules.model import AttrLimit, Kind, Rule, RuleSet
from feeds.inventory import Asset

_HIGH = frozenset({"hi", "hihi"})
_MOST_SEVERE_FIRST = ("hihi", "lolo", "hi", "lo")


@dataclass(frozen=True, slots=True)
class MetricLimits:
    """Threshold limits of one metric (``lolo``, ``lo``, ``hi``, ``hihi``) and the priority of each."""

    metric: str
    rule_id: str
    levels: dict[str, float] = field(default_factory=dict)
    priorities: dict[str, Priority] = field(default_factory=dict)

    def normal_band(self) -> tuple[float | None, float | None]:
        """From the innermost low limit to the innermost high limit (None where the rule sets none)."""
        low = self.levels.get("lo", self.levels.get("lolo"))
        high = self.levels.get("hi", self.levels.get("hihi"))
        return low, high

    def level_of(self, value: float) -> str | None:
        """The most severe level the value is beyond, as the engine judges it (strictly beyond the limit)."""
        for level in _MOST_SEVERE_FIRST:
            limit = self.levels.get(level)
            if limit is not None and ((value > limit) if level in _HIGH else (value < limit)):
                return level
        return None

    def priority_of(self, value: float) -> Priority | None:
        """The priority of the alarm this value raises, or None inside the limits."""
        level = self.level_of(value)
        return None if level is None else self.priorities[level]


def _watches(rule: Rule, metric: str, kind: str | None, asset: Asset | None) -> bool:
    if rule.kind != Kind.THRESHOLD or rule.metric != metric:
        return False
    if asset is not None:
        return rule.target.matches(asset)
    return kind is None or rule.target.kind in (None, kind)


def metric_limits(ruleset: RuleSet, metric: str, kind: str | None = None,
                  asset: Asset | None = None) -> MetricLimits | None:
    """The limits of the first threshold rule watching ``metric`` (on ``asset``, or on assets of ``kind``).

    Limits taken from an asset's attributes (``attr:nominal_m3h * 1.8``) are resolved only for an asset.
    """
    for rule in ruleset:
        if not _watches(rule, metric, kind, asset):
            continue
        levels: dict[str, float] = {}
        for level, limit in rule.limits:
            value = limit.resolve(asset) if isinstance(limit, AttrLimit) and asset is not None else limit
            if isinstance(value, int | float):
                levels[level] = float(value)
        if levels:
            return MetricLimits(metric, rule.id, levels, {level: rule.priority_of(level) for level in levels})
    return None
