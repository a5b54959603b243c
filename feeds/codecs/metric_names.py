"""Foreign attribute names and units mapped to our metric names (docs/architecture.md, "Metric names").

Generic foreign names ("temperature", "level", "power") mean different metrics on different kinds of
asset, so every mapping is looked up through the asset's kind.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from feeds.codecs.schema import json_type, shorten
from feeds.metrics import ALL_METRICS, KIND_METRICS
from feeds.model import MetricValue
from feeds.rejection import Reason, Rejected

BOOL_METRICS = frozenset({"on", "fault", "mains", "occupied", "running"})

METRIC_UNITS: dict[str, str] = {
    "dim_pct": "%",
    "power_w": "W",
    "power_kw": "kW",
    "voltage_v": "V",
    "temp_c": "Cel",
    "supply_temp_c": "Cel",
    "fill_pct": "%",
    "battery_pct": "%EL",
    "pressure_bar": "bar",
    "flow_m3h": "m3/h",
    "level_pct": "%",
    "chlorine_mgl": "mg/L",
    "turbidity_ntu": "NTU",
    "ph": "pH",
}
"""Our unit of each numeric metric, spelled as SenML (RFC 8428) spells units."""

# (from unit, our unit) -> (scale, offset); a unit missing here cannot become that metric.
_CONVERSIONS: dict[tuple[str, str], tuple[float, float]] = {
    ("Cel", "Cel"): (1.0, 0.0),
    ("K", "Cel"): (1.0, -273.15),
    ("bar", "bar"): (1.0, 0.0),
    ("mbar", "bar"): (1e-3, 0.0),
    ("hPa", "bar"): (1e-3, 0.0),
    ("kPa", "bar"): (1e-2, 0.0),
    ("Pa", "bar"): (1e-5, 0.0),
    ("m3/h", "m3/h"): (1.0, 0.0),
    ("m3/s", "m3/h"): (3600.0, 0.0),
    ("l/s", "m3/h"): (3.6, 0.0),
    ("%", "%"): (1.0, 0.0),
    ("/", "%"): (100.0, 0.0),
    ("%", "%EL"): (1.0, 0.0),
    ("%EL", "%EL"): (1.0, 0.0),
    ("W", "W"): (1.0, 0.0),
    ("kW", "W"): (1000.0, 0.0),
    ("W", "kW"): (1e-3, 0.0),
    ("kW", "kW"): (1.0, 0.0),
    ("V", "V"): (1.0, 0.0),
    ("mg/L", "mg/L"): (1.0, 0.0),
    ("ppm", "mg/L"): (1.0, 0.0),
    ("NTU", "NTU"): (1.0, 0.0),
    ("pH", "pH"): (1.0, 0.0),
}

# Other spellings of the units above: UN/CEFACT codes (NGSI-LD "unitCode") and usual variants.
_UNIT_SPELLINGS: dict[str, str] = {
    "CEL": "Cel",
    "°C": "Cel",
    "degC": "Cel",
    "KEL": "K",
    "BAR": "bar",
    "MBR": "mbar",
    "KPA": "kPa",
    "PAL": "Pa",
    "A97": "hPa",
    "MQH": "m3/h",
    "MQS": "m3/s",
    "L/s": "l/s",
    "P1": "%",
    "WTT": "W",
    "KWT": "kW",
    "VLT": "V",
    "M1": "mg/L",
    "mg/l": "mg/L",
}

# Unit suffixes that LoRaWAN payload decoders append to key names ("temperature_c", "battery_pct").
_SUFFIX_UNITS: dict[str, str] = {
    "c": "Cel",
    "degc": "Cel",
    "k": "K",
    "bar": "bar",
    "mbar": "mbar",
    "hpa": "hPa",
    "kpa": "kPa",
    "pa": "Pa",
    "m3h": "m3/h",
    "m3s": "m3/s",
    "ls": "l/s",
    "pct": "%",
    "percent": "%",
    "v": "V",
    "mv": "mV",
    "w": "W",
    "kw": "kW",
    "mgl": "mg/L",
    "ntu": "NTU",
}

RATIO_UNITS = frozenset({"%", "/", "%RH"})


@dataclass(frozen=True, slots=True)
class ForeignName:
    """What a foreign attribute becomes: our metric, the scale when no unit is given, named states.

    A string not among ``states`` becomes ``otherwise``; ``None`` leaves the attribute unmapped.
    """

    metric: str
    scale: float = 1.0
    states: dict[str, bool | None] = field(default_factory=dict)
    otherwise: bool | None = None


_POWER_STATE = {"on": True, "low": True, "bootingUp": True, "off": False}
# Streetlight "status": "ok" or a defect (defectiveLamp, columnIssue, brokenLantern, ...).
_LAMP_STATUS: dict[str, bool | None] = {"ok": False, "unknown": None, "": None}

_TEMPERATURE = ("temperature", "temp")
_BATTERY = ("battery", "batterylevel", "bat", "batt")


def _names(metric: str, *keys: str, scale: float = 1.0) -> dict[str, ForeignName]:
    return {key: ForeignName(metric, scale) for key in keys}


FOREIGN_NAMES: dict[str, dict[str, ForeignName]] = {
    "luminaire": {
        **_names("dim_pct", "dimming", "dim", "dimlevel", "dimminglevel"),
        **_names("dim_pct", "illuminancelevel", scale=100.0),
        **_names("power_w", "power", "activepower"),
        "powerstate": ForeignName("on", states=_POWER_STATE),
        "status": ForeignName("fault", states=_LAMP_STATUS, otherwise=True),
        "lampfailure": ForeignName("fault"),
    },
    "cabinet": {
        **_names("power_kw", "power", "activepower"),
        **_names("voltage_v", "voltage"),
        **_names("mains", "powersupply", "mainspresent"),
    },
    "building": {
        **_names("temp_c", *_TEMPERATURE, "indoortemperature", "roomtemperature"),
        **_names("occupied", "occupancy", "presence"),
    },
    "container": {
        **_names("fill_pct", "filllevel", "fill", "fillpercent"),
        **_names("fill_pct", "fillinglevel", "binfillinglevel", scale=100.0),
        **_names("temp_c", *_TEMPERATURE),
        **_names("battery_pct", *_BATTERY),
    },
    "pressure_sensor": _names("pressure_bar", "pressure", "waterpressure"),
    "flow_meter": _names("flow_m3h", "flow", "flowrate", "waterflow"),
    "reservoir": {
        **_names("level_pct", "level", "waterlevel", "filllevel"),
        **_names("level_pct", "fillinglevel", scale=100.0),
    },
    "quality_probe": {
        **_names("ph", "ph"),
        **_names("turbidity_ntu", "turbidity"),
        **_names("chlorine_mgl", "freechlorine", "chlorine", "residualchlorine"),
    },
}
_HEAT_PLANT = {
    **_names("supply_temp_c", *_TEMPERATURE, "supplytemperature", "flowtemperature"),
    **_names("power_kw", "power", "thermalpower"),
    **_names("running", "burner", "pumprunning"),
    **_names("fault", "alarm"),
}
FOREIGN_NAMES["boiler"] = _HEAT_PLANT
FOREIGN_NAMES["substation"] = _HEAT_PLANT


def canonical_unit(unit: str) -> str:
    """Our spelling of a unit given as SenML, UN/CEFACT code or a usual variant."""
    return _UNIT_SPELLINGS.get(unit, unit)


def map_metric(
    kind: str, name: str, value: object, unit: str | None = None, asset_id: str | None = None
) -> tuple[str, MetricValue] | None:
    """Our metric and value for one foreign attribute, or None when it is nothing we supervise.

    Raises ``Rejected(WRONG_TYPE)`` when the attribute is one of ours but its value has the wrong type.
    """
    ours = KIND_METRICS.get(kind, ALL_METRICS)
    if name in ours:
        foreign = ForeignName(name)
    else:
        found = _foreign_name(kind, name)
        if found is None:
            return None
        foreign, suffix_unit = found
        unit = unit or suffix_unit
    return _convert(foreign, name, value, canonical_unit(unit) if unit else None, asset_id)


def metric_for_unit(kind: str, unit: str) -> str | None:
    """The only metric of this kind measured in ``unit`` (SenML records without a known name)."""
    unit = canonical_unit(unit)
    found = [m for m in sorted(KIND_METRICS.get(kind, ())) if (unit, METRIC_UNITS.get(m, "")) in _CONVERSIONS]
    return found[0] if len(found) == 1 else None


def _foreign_name(kind: str, name: str) -> tuple[ForeignName, str | None] | None:
    names = FOREIGN_NAMES.get(kind)
    if names is None:
        return None
    found = names.get(_key(name))
    if found is not None:
        return found, None
    base, sep, suffix = name.rpartition("_")
    unit = _SUFFIX_UNITS.get(suffix.lower()) if sep else None
    if unit is None:
        return None
    found = names.get(_key(base))
    return (found, unit) if found is not None else None


def _key(name: str) -> str:
    return name.replace("_", "").replace("-", "").replace(" ", "").lower()


def _convert(
    foreign: ForeignName, name: str, value: object, unit: str | None, asset_id: str | None
) -> tuple[str, MetricValue] | None:
    metric = foreign.metric
    if metric in BOOL_METRICS:
        if foreign.states and isinstance(value, str):
            state = foreign.states.get(value, foreign.otherwise)
            return None if state is None else (metric, state)
        if isinstance(value, bool):
            return metric, value
        if type(value) is int and value in (0, 1):
            return metric, bool(value)
        raise _wrong_type(name, "a boolean", value, asset_id)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _wrong_type(name, "a number", value, asset_id)
    if not math.isfinite(value):
        raise Rejected(Reason.NOT_FINITE, f"{shorten(name)!r} is {value}", asset_id)
    if unit is None:
        scale, offset = foreign.scale, 0.0
    else:
        conversion = _CONVERSIONS.get((unit, METRIC_UNITS[metric]))
        if conversion is None:
            return None
        scale, offset = conversion
    if scale == 1.0 and offset == 0.0:
        return metric, value
    return metric, round(value * scale + offset, 9)


def _wrong_type(name: str, expected: str, value: object, asset_id: str | None) -> Rejected:
    detail = f"{shorten(name)!r} must be {expected}, got {json_type(value)}"
    return Rejected(Reason.WRONG_TYPE, detail, asset_id)
