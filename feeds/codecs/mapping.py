"""One foreign value to our metric: name, state word, unit conversion, derivation, physical range.

Every foreign codec and every device profile goes through ``convert``, so a value is stored only
in its metric's unit and inside its metric's range (feeds/catalogue.py), or refused with a reason.
"""

from __future__ import annotations

import math
from typing import NamedTuple

from feeds.catalogue import ALL_METRICS, KIND_METRICS, METRICS, Metric
from feeds.codecs.metric_names import ForeignName, foreign_name
from feeds.codecs.schema import json_type, shorten
from feeds.codecs.states import StateTable, words
from feeds.inventory import Asset
from feeds.model import MetricValue
from feeds.rejection import Reason, Rejected
from feeds.units import Unit, converter, unit_named

DERIVED_FROM_LENGTH: dict[str, tuple[str, str]] = {
    "fill_pct": ("distance", "depth_m"),
    "level_pct": ("height", "max_level_m"),
}
"""A length becomes a percentage through an asset attribute: the distance from an ultrasonic sensor to
the waste, against the container's depth; the height of water, against the reservoir's maximum."""


class Mapped(NamedTuple):
    """A value ready for a measurement; ``combine`` says how several values of one metric merge."""

    metric: str
    value: MetricValue
    combine: str | None = None


def map_metric(asset: Asset, name: str, value: object, unit: str | None = None) -> list[Mapped]:
    """Our metrics for one foreign attribute; empty when it is nothing we supervise.

    Raises ``Rejected`` when the attribute is one of ours but its value cannot be trusted: wrong
    type, unknown state word, unknown or missing unit, or outside the metric's physical range.
    """
    if name in KIND_METRICS.get(asset.kind, ALL_METRICS):
        foreign, implied = ForeignName(name), METRICS[name].unit or None
    else:
        found = foreign_name(asset.kind, name)
        if found is None:
            return []
        foreign, suffix_unit = found
        implied = suffix_unit or foreign.unit
    if foreign.states is not None and type(value) is str:
        return state_values(foreign.states, name, value, asset)
    converted = convert(METRICS[foreign.metric], name, value, unit or implied, asset)
    return [] if converted is None else [Mapped(foreign.metric, converted, foreign.combine)]


def state_values(table: StateTable, name: str, word: str, asset: Asset) -> list[Mapped]:
    """The metric values a state word means; an unknown word is refused, naming it."""
    found = table.get(word.strip().lower())
    if found is None:
        detail = f"{shorten(name, 40)!r} is {shorten(word, 40)!r}, not a known state (known: {words(table)})"
        raise Rejected(Reason.UNKNOWN_STATE, detail, asset.id)
    return [Mapped(metric, value) for metric, value in found.items() if metric in KIND_METRICS.get(asset.kind, ())]


def convert(
    metric: Metric, name: str, value: object, unit: str | None, asset: Asset, params: dict | None = None
) -> MetricValue | None:
    """``value`` in ``metric``'s unit and range; None when ``unit`` measures another quantity.

    ``params`` completes the asset's attributes for derived values (a profile's ``depth_m``).
    """
    if not metric.is_number:
        return _boolean(metric, name, value, asset)
    if type(value) is bool or not isinstance(value, int | float):
        raise _wrong_type(name, "a number", value, asset)
    if not math.isfinite(value):
        raise Rejected(Reason.NOT_FINITE, f"{shorten(name)!r} is {value}", asset.id)
    if unit is None:
        if metric.unit_required:
            raise Rejected(Reason.UNKNOWN_UNIT, _unit_needed(metric, name, value), asset.id)
        return _in_range(metric, name, value, value, "", asset)
    source = unit_named(unit)
    target = metric.unit_info
    if source is None or target is None:
        detail = f"{shorten(name, 40)!r} is in {shorten(unit, 20)!r}, a unit we do not know; declare a known one"
        raise Rejected(Reason.UNKNOWN_UNIT, detail, asset.id)
    conversion = converter(source, target)
    if conversion is None:
        if source.quantity == "length" and metric.name in DERIVED_FROM_LENGTH:
            return _from_length(metric, name, value, source, asset, params or {})
        return None
    scale, offset = conversion
    converted = value if scale == 1.0 and offset == 0.0 else round(value * scale + offset, 9)
    return _in_range(metric, name, value, converted, source.symbol, asset)


def _boolean(metric: Metric, name: str, value: object, asset: Asset) -> bool:
    if type(value) is bool:
        return value
    if type(value) is int and value in (0, 1):
        return bool(value)
    raise _wrong_type(name, "a boolean", value, asset)


def _from_length(metric: Metric, name: str, value: float, unit: Unit, asset: Asset, params: dict) -> float:
    meaning, attribute = DERIVED_FROM_LENGTH[metric.name]
    reference = params.get(attribute, asset.attrs.get(attribute))
    if type(reference) not in (int, float) or reference <= 0:
        detail = (
            f"{shorten(name, 40)!r} is a {meaning} ({value:g} {unit.symbol}); {metric.name} needs the "
            f"{asset.kind}'s {attribute} (inventory attribute or device profile)"
        )
        raise Rejected(Reason.NO_METRICS, detail, asset.id)
    metres = value * unit.factor
    if meaning == "distance":
        full = float(params.get("full_distance_m", asset.attrs.get("full_distance_m", 0.0)))
        percent = (reference - metres) / (reference - full) * 100 if reference > full else math.nan
    else:
        percent = metres / reference * 100
    return _in_range(metric, name, value, round(percent, 1), unit.symbol, asset)


def _in_range(metric: Metric, name: str, raw: float, value: float, unit: str, asset: Asset) -> float:
    if metric.low <= value <= metric.high:
        return value
    given = f"{raw:g} {unit}".rstrip()
    shown = f"{shorten(name, 40)!r} = {given}" + (f" is {value:g} {metric.display_unit}" if raw != value else "")
    detail = f"{shown} for {metric.name}, outside its physical range {metric.describe_range()}"
    raise Rejected(Reason.OUT_OF_RANGE, detail, asset.id)


def _unit_needed(metric: Metric, name: str, value: float) -> str:
    return (
        f"{shorten(name, 40)!r} = {value:g} has no unit, and devices send {metric.name} in several: declare "
        f"it (a device profile, a key suffix such as {name}_{_suffix_example(metric)}, SenML 'u', NGSI unitCode)"
    )


def _suffix_example(metric: Metric) -> str:
    examples = {"pressure_bar": "kpa", "flow_m3h": "ls", "power_kw": "kw", "power_w": "w"}
    return examples.get(metric.name, "pct")


def metric_for_unit(kind: str, unit: str) -> str | None:
    """The only metric of this kind measuring what ``unit`` measures (a SenML record named by its unit)."""
    source = unit_named(unit)
    if source is None:
        return None
    found = [
        m for m in sorted(KIND_METRICS.get(kind, ()))
        if (info := METRICS[m].unit_info) is not None and info.quantity == source.quantity
    ]
    return found[0] if len(found) == 1 else None


def _wrong_type(name: str, expected: str, value: object, asset: Asset) -> Rejected:
    shown = f"a string ({shorten(value, 40)!r})" if type(value) is str else json_type(value)
    text = type(value) is str and expected == "a number"
    hint = "; a device profile can accept a decoder's decimal text" if text else ""
    return Rejected(Reason.WRONG_TYPE, f"{shorten(name)!r} must be {expected}, got {shown}{hint}", asset.id)
