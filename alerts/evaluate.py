"""Raw conditions of each rule kind, and the human sentence that explains an alarm.

Check functions run for every reading of a watched metric: they must stay cheap and allocate
nothing when nothing changes.
"""

from __future__ import annotations

from collections import deque
from typing import Any

from alerts.rules.model import Kind, Rule
from alerts.slots import Check, MemberLink, Slot
from feeds.model import MetricValue

_SIDE_RANK = {"hihi": (True, 2), "hi": (True, 1), "lolo": (False, 2), "lo": (False, 1)}


def level_for(value: float, limits: tuple[tuple[str, float, bool, int], ...], deadband: float,
              current: bool | str) -> str | bool:
    """The most severe violated level, keeping the current one until the value is ``deadband`` back."""
    for name, limit, high, rank in limits:
        if (value > limit) if high else (value < limit):
            return name
        if deadband and current:
            side = _SIDE_RANK.get(current)  # type: ignore[call-overload]
            if side is not None and side[0] == high and side[1] >= rank:
                inside = value > limit - deadband if high else value < limit + deadband
                if inside:
                    return name
    return False


def check_threshold(slot: Slot, value: MetricValue, ts_ms: int) -> bool | str:
    """Threshold level for a numeric reading; other values change nothing."""
    if type(value) is not float and type(value) is not int:
        return slot.raw
    slot.value = value
    return level_for(value, slot.limits, slot.rule.deadband, slot.raw)


def check_equals(slot: Slot, value: MetricValue, ts_ms: int) -> bool:
    """Discrete state: the metric equals the rule's value (``_same``, written out: it runs per reading)."""
    slot.value = value
    expected = slot.rule.equals
    if type(expected) is bool or type(value) is bool:
        return value is expected
    return value == expected


def check_schedule(slot: Slot, value: MetricValue, ts_ms: int) -> bool | str:
    """Remember the value, then test it while the time conditions hold."""
    slot.value = value
    return schedule_raw(slot)


def schedule_raw(slot: Slot) -> bool | str:
    """Condition of a schedule rule from its last value and the current time conditions."""
    value = slot.value
    if value is None or not slot.gates_open():
        return False
    if slot.rule.equals is not None:
        return _same(value, slot.rule.equals)
    if type(value) is not float and type(value) is not int:
        return False
    return level_for(value, slot.limits, slot.rule.deadband, slot.raw)


def check_rate(slot: Slot, value: MetricValue, ts_ms: int) -> bool:
    """Rate between the oldest and newest readings in the window, in metric units per minute."""
    if type(value) is not float and type(value) is not int:
        return bool(slot.raw)
    rule = slot.rule
    history = slot.history
    if history is None:
        history = slot.history = deque()
    history.append((ts_ms, float(value)))
    horizon = ts_ms - rule.window_s * 1000
    while history[0][0] < horizon:
        history.popleft()
    slot.value = value
    first_ts, first = history[0]
    span_min = (ts_ms - first_ts) / 60_000
    if span_min * 60 < rule.window_s / 2:
        return False
    rate = (value - first) / span_min
    return (rule.rise_per_min is not None and rate > rule.rise_per_min) or (
        rule.fall_per_min is not None and -rate > rule.fall_per_min)


def check_member(link: MemberLink, value: MetricValue, ts_ms: int) -> bool | None:
    """A group member reported: recount the group only if the member changed (``_same`` written out)."""
    expected = link.equals
    matching = value is expected if type(expected) is bool or type(value) is bool else value == expected
    if matching is link.matching:
        return None
    return _member_changed(link, matching)


def check_member_below(link: MemberLink, value: MetricValue, ts_ms: int) -> bool | None:
    """A group member matches while its value is below the rule's ``below``."""
    if type(value) is not float and type(value) is not int:
        return None
    return _member_changed(link, value < link.equals)  # type: ignore[operator]


def check_member_above(link: MemberLink, value: MetricValue, ts_ms: int) -> bool | None:
    """A group member matches while its value is above the rule's ``above``."""
    if type(value) is not float and type(value) is not int:
        return None
    return _member_changed(link, value > link.equals)  # type: ignore[operator]


def _member_changed(link: MemberLink, matching: bool) -> bool | None:
    if matching is link.matching:
        return None
    link.matching = matching
    group = link.target
    group.count += 1 if matching else -1
    return group_raw(group)


def group_raw(slot: Slot) -> bool:
    """Enough members match, as a count and as a fraction, and the time conditions hold."""
    rule = slot.rule
    count = slot.count
    return (count >= rule.min_count and count >= rule.min_fraction * slot.total and slot.gates_open())


def composite_raw(slot: Slot) -> bool:
    """All or any of the combined alarms are active on the asset."""
    if slot.rule.all_of:
        return all(ref.active for ref in slot.refs)
    return any(ref.active for ref in slot.refs)


CHECKS: dict[Kind, Check] = {
    Kind.THRESHOLD: check_threshold,
    Kind.DISCRETE: check_equals,
    Kind.SCHEDULE: check_schedule,
    Kind.RATE_OF_CHANGE: check_rate,
}


VALUE_ONLY_CHECKS: frozenset[Check] = frozenset(
    {check_threshold, check_equals, check_member, check_member_below, check_member_above})
"""Checks whose outcome depends on nothing but the value and the slot's or link's own state: the same
value again changes nothing. Rates (time) and schedules (time conditions) are not among them."""


def _same(value: MetricValue | None, expected: MetricValue | None) -> bool:
    if isinstance(expected, bool) or isinstance(value, bool):
        return value is expected
    return value == expected


def fmt(value: MetricValue | None) -> str:
    """A value as operators read it: ``true``, ``1.2``, ``4500``."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:.3g}" if abs(value) < 1000 else f"{value:.0f}"
    return str(value)


def explain(slot: Slot, now_ms: int) -> dict[str, Any]:
    """Why the alarm is (or was last) active, as facts a console can put into its operators' language.

    ``kind`` says which facts follow: ``offline``; ``silent`` (``minutes``, ``limit_minutes``); ``group``
    (``count``, ``total``, ``members``, ``metric``, ``test`` of below/above/equals, ``reference``,
    ``pct``); ``composite`` (``all``, ``alarms``); ``rate`` (``metric``, ``value``, ``window_s``);
    ``equals`` (``metric``, ``value``); ``limit`` (``metric``, ``value``, and ``level``, ``limit``,
    ``high`` when a limit is crossed). ``when`` lists the rule's time conditions, if any.
    """
    rule: Rule = slot.rule
    kind = rule.kind
    if kind == Kind.STALE:
        entry = slot.entry
        if entry is not None and not entry.online and rule.offline:
            return {"kind": "offline"}
        silent = 0 if entry is None else (now_ms - entry.last_seen_ms) // 60_000
        return {"kind": "silent", "minutes": silent, "limit_minutes": slot.limit_ms // 60_000}
    facts: dict[str, Any]
    if kind == Kind.GROUP:
        test, reference = (("below", rule.below) if rule.below is not None else
                           ("above", rule.above) if rule.above is not None else ("equals", rule.equals))
        facts = {"kind": "group", "count": slot.count, "total": slot.total, "members": rule.member_kind,
                 "metric": rule.metric, "test": test, "reference": reference,
                 "pct": round(100 * slot.count / slot.total) if slot.total else 0}
    elif kind == Kind.COMPOSITE:
        facts = {"kind": "composite", "all": bool(rule.all_of), "alarms": list(rule.all_of or rule.any_of)}
    elif kind == Kind.RATE_OF_CHANGE:
        facts = {"kind": "rate", "metric": rule.metric, "value": slot.value, "window_s": rule.window_s}
    elif rule.equals is not None:
        facts = {"kind": "equals", "metric": rule.metric, "value": slot.value}
    else:
        facts = {"kind": "limit", "metric": rule.metric, "value": slot.value}
        level = slot.raw if isinstance(slot.raw, str) else None
        for name, limit, high, _ in slot.limits:
            if name == level:
                facts.update(level=name, limit=limit, high=high)
                break
    if rule.when:
        facts["when"] = list(rule.when)
    return facts


def describe(facts: dict[str, Any]) -> str:
    """The facts of ``explain`` in English, e.g. ``pressure_bar 1.2 below lolo 1.5``: logs and the historian."""
    kind = facts["kind"]
    if kind == "offline":
        return "device reports offline"
    if kind == "silent":
        return f"no data for {facts['minutes']} min (limit {facts['limit_minutes']} min)"
    metric = facts.get("metric")
    if kind == "group":
        test = "=" if facts["test"] == "equals" else facts["test"]
        text = (f"{facts['count']} of {facts['total']} {facts['members'] or 'members'} with {metric} {test}"
                f" {fmt(facts['reference'])} ({facts['pct']} %)")
    elif kind == "composite":
        text = f"{'all' if facts['all'] else 'any'} of {', '.join(facts['alarms'])}"
    elif kind == "rate":
        text = f"{metric} {fmt(facts['value'])} changing faster than allowed over {facts['window_s']:g} s"
    elif kind == "equals":
        text = f"{metric} is {fmt(facts['value'])}"
    elif "level" in facts:
        side = "above" if facts["high"] else "below"
        text = f"{metric} {fmt(facts['value'])} {side} {facts['level']} {fmt(facts['limit'])}"
    else:
        text = f"{metric} {fmt(facts['value'])}"
    when = facts.get("when")
    return f"{text} while {' and '.join(when)}" if when else text
