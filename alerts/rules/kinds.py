"""Kind-specific rule fields: which are allowed, which are required, and how they are checked."""

from __future__ import annotations

import itertools
from typing import Any, Protocol
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from alerts.records import Priority
from alerts.rules.model import GATES, LEVELS, AttrLimit, Kind, Limit
from feeds.clock import CITY_ZONE

_LIMIT_FIELDS = (*LEVELS, "deadband", "priorities")
_GATE_FIELDS = ("when", "sun_margin_deg", "timezone")

FIELDS: dict[Kind, tuple[str, ...]] = {
    Kind.THRESHOLD: ("metric", *_LIMIT_FIELDS),
    Kind.RATE_OF_CHANGE: ("metric", "window_s", "rise_per_min", "fall_per_min"),
    Kind.STALE: ("after_s", "periods", "offline"),
    Kind.DISCRETE: ("metric", "equals"),
    Kind.SCHEDULE: ("metric", "equals", *_LIMIT_FIELDS, *_GATE_FIELDS),
    Kind.GROUP: ("metric", "equals", "below", "above", "over", "member_kind", "min_fraction", "min_count",
                 *_GATE_FIELDS),
    Kind.COMPOSITE: ("all", "any"),
}
"""Fields each kind accepts beyond the common ones (id, description, priority, kind, target, ...)."""

NUMBER = (int, float)
SCALAR = (bool, int, float, str)


class FieldReader(Protocol):
    """What the loader offers kind parsers: typed access to the rule's fields, and error reporting."""

    def has(self, name: str) -> bool: ...
    def get(self, name: str, types: tuple[type, ...], default: Any = None, required: bool = False) -> Any: ...
    def error(self, name: str, message: str) -> None: ...


def parse_kind(kind: Kind, r: FieldReader) -> dict[str, Any]:
    """Rule keyword arguments for the kind-specific fields; problems go to ``r.error``."""
    out: dict[str, Any] = {}
    if kind == Kind.COMPOSITE:
        return _composite(r)
    if "metric" in FIELDS[kind]:
        out["metric"] = r.get("metric", (str,), required=True)
    if kind == Kind.THRESHOLD or (kind == Kind.SCHEDULE and not r.has("equals")):
        out.update(_limits(r))
    if kind == Kind.DISCRETE or (kind == Kind.SCHEDULE and r.has("equals")):
        out["equals"] = r.get("equals", SCALAR, required=True)
    if kind == Kind.SCHEDULE and r.has("equals") and any(r.has(level) for level in LEVELS):
        r.error("equals", "a schedule rule compares either with 'equals' or with limits, not both")
    if kind in (Kind.SCHEDULE, Kind.GROUP):
        out.update(_gates(r, required=kind == Kind.SCHEDULE))
    if kind == Kind.RATE_OF_CHANGE:
        out.update(_rate(r))
    elif kind == Kind.STALE:
        out.update(_stale(r))
    elif kind == Kind.GROUP:
        out.update(_group(r))
    return out


def _positive(r: FieldReader, name: str, default: float | None) -> float | None:
    value = r.get(name, NUMBER, default)
    if value is not None and value <= 0:
        r.error(name, f"must be greater than 0, not {value}")
    return None if value is None else float(value)


def _limits(r: FieldReader) -> dict[str, Any]:
    limits: list[tuple[str, Limit]] = []
    for level in LEVELS:
        raw = r.get(level, (*NUMBER, str))
        if raw is None:
            continue
        if isinstance(raw, str):
            parsed = AttrLimit.parse(raw)
            if parsed is None:
                r.error(level, f"{raw!r} is neither a number nor 'attr:<name>' (optionally '* 1.5', '+ 2', '- 2')")
                continue
            limits.append((level, parsed))
        else:
            limits.append((level, float(raw)))
    if not limits and not any(r.has(level) for level in LEVELS):
        r.error("hi", "needs at least one limit among hihi, hi, lo, lolo")
    _check_order(r, dict(limits))
    deadband = r.get("deadband", NUMBER, 0.0)
    if deadband < 0:
        r.error("deadband", f"must not be negative, not {deadband}")
    priorities: list[tuple[str, Priority]] = []
    for level, name in (r.get("priorities", (dict,), {}) or {}).items():
        if level not in LEVELS:
            r.error("priorities", f"unknown level {level!r}; levels are {', '.join(LEVELS)}")
        elif name not in Priority.__members__.values():
            r.error("priorities", f"level {level!r} has unknown priority {name!r}")
        else:
            priorities.append((level, Priority(name)))
    return {"limits": tuple(limits), "deadband": float(deadband), "level_priorities": tuple(priorities)}


def _check_order(r: FieldReader, limits: dict[str, Limit]) -> None:
    numeric = [(lv, v) for lv in ("lolo", "lo", "hi", "hihi") if isinstance(v := limits.get(lv), float)]
    for (low_name, low), (high_name, high) in itertools.pairwise(numeric):
        strict = low_name.startswith("lo") and high_name.startswith("hi")
        if low > high or (strict and low == high):
            r.error(low_name, f"{low_name} {low:g} must be below {high_name} {high:g}")


def _gates(r: FieldReader, required: bool) -> dict[str, Any]:
    when = r.get("when", (str, list), None, required=required)
    names = [when] if isinstance(when, str) else list(when or [])
    for name in names:
        if name not in GATES:
            r.error("when", f"unknown condition {name!r}; use one of {', '.join(GATES)}")
    if required and when is not None and not names:
        r.error("when", "needs at least one condition")
    margin = r.get("sun_margin_deg", NUMBER, 4.0)
    if not 0 <= margin <= 18:
        r.error("sun_margin_deg", f"must be between 0 and 18 degrees, not {margin}")
    timezone = r.get("timezone", (str,), CITY_ZONE)
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        r.error("timezone", f"unknown time zone {timezone!r}")
    return {"when": tuple(str(n) for n in names), "sun_margin_deg": float(margin), "timezone": timezone}


def _rate(r: FieldReader) -> dict[str, Any]:
    out = {
        "window_s": _positive(r, "window_s", 600.0),
        "rise_per_min": _positive(r, "rise_per_min", None),
        "fall_per_min": _positive(r, "fall_per_min", None),
    }
    if out["rise_per_min"] is None and out["fall_per_min"] is None and not r.has("rise_per_min"):
        r.error("rise_per_min", "needs rise_per_min, fall_per_min or both")
    return out


def _stale(r: FieldReader) -> dict[str, Any]:
    if r.has("after_s") and r.has("periods"):
        r.error("periods", "give either after_s or periods, not both")
    after = _positive(r, "after_s", None)
    periods = _positive(r, "periods", None if after is not None else 3.0)
    return {"after_s": after, "periods": periods, "offline": r.get("offline", (bool,), True)}


def _group(r: FieldReader) -> dict[str, Any]:
    over = r.get("over", (str,), "parent")
    if over not in ("parent", "district"):
        r.error("over", f"must be 'parent' or 'district', not {over!r}")
    fraction = r.get("min_fraction", NUMBER, 0.0)
    if not 0 <= fraction <= 1:
        r.error("min_fraction", f"must be between 0 and 1, not {fraction}")
    tests = [name for name in ("equals", "below", "above") if r.has(name)]
    if len(tests) != 1:
        r.error("equals", "a group rule tests members with exactly one of 'equals', 'below' or 'above'")
    count = r.get("min_count", (int,), 1)
    if count < 1:
        r.error("min_count", f"must be at least 1, not {count}")
    return {
        "over": over, "member_kind": r.get("member_kind", (str,)),
        "min_fraction": float(fraction), "min_count": count,
        "equals": r.get("equals", SCALAR), "below": r.get("below", NUMBER), "above": r.get("above", NUMBER),
    }


def _composite(r: FieldReader) -> dict[str, Any]:
    if r.has("all") == r.has("any"):
        r.error("all", "a composite rule needs exactly one of 'all' or 'any'")
        return {}
    name = "all" if r.has("all") else "any"
    refs = r.get(name, (list,), [])
    if not refs or not all(isinstance(x, str) for x in refs):
        r.error(name, "must be a non-empty list of rule ids")
        return {}
    return {"all_of" if name == "all" else "any_of": tuple(refs)}
