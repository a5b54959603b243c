"""Foreign attribute names mapped to our metrics, by asset kind (docs/payloads.md, "Mapping names").

Generic foreign names ("temperature", "level", "power") mean different metrics on different kinds of
asset, so every mapping is looked up through the asset's kind. A name may imply its unit (Smart Data
Models document theirs: ``fillingLevel`` is a ratio 0-1, ``totalActivePower`` is in kW); otherwise
the unit is the one declared with the value, or the metric's own unit when the quantity has only one
unit in practice. State words map through explicit tables (feeds/codecs/states.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from feeds.codecs.states import CONTAINER_STATUS, LAMP_STATUS, POWER_STATE, StateTable
from feeds.units import SUFFIXES


@dataclass(frozen=True, slots=True)
class ForeignName:
    """What a foreign attribute becomes: our metric, the unit its name implies, or a state table.

    ``combine = "min"`` keeps the lowest of several attributes that give one metric (a cabinet's
    three phase voltages: the lowest phase is the one that darkens streets).
    """

    metric: str
    unit: str | None = None
    states: StateTable | None = None
    combine: str | None = None


def _names(metric: str, *keys: str, unit: str | None = None) -> dict[str, ForeignName]:
    return {key: ForeignName(metric, unit) for key in keys}


_TEMPERATURE = ("temperature", "temp", "tempc", "tempcds", "tempcsht", "tempds", "airtemperature")
_BATTERY = ("battery", "batterylevel", "bat", "batt")

FOREIGN_NAMES: dict[str, dict[str, ForeignName]] = {
    "luminaire": {
        **_names("dim_pct", "dimming", "dim", "dimlevel", "dimminglevel"),
        **_names("dim_pct", "illuminancelevel", unit="/"),
        **_names("power_w", "power", "activepower"),
        **_names("power_w", "powerconsumption", unit="W"),
        "powerstate": ForeignName("on", states=POWER_STATE),
        "status": ForeignName("fault", states=LAMP_STATUS),
        "lampfailure": ForeignName("fault"),
    },
    "cabinet": {
        **_names("power_kw", "power", "activepower"),
        **_names("power_kw", "totalactivepower", unit="kW"),
        **_names("voltage_v", "voltage"),
        **{key: ForeignName("voltage_v", "V", combine="min") for key in ("voltager", "voltages", "voltaget")},
        **_names("mains", "powersupply", "mainspresent"),
    },
    "building": {
        **_names("temp_c", *_TEMPERATURE, "indoortemperature", "roomtemperature"),
        **_names("occupied", "occupancy", "presence"),
    },
    "container": {
        **_names("fill_pct", "filllevel", "fill", "fillpercent", unit="%"),
        **_names("fill_pct", "fillinglevel", "binfillinglevel", unit="/"),
        **_names("temp_c", *_TEMPERATURE),
        **_names("battery_pct", *_BATTERY),
        **_names("battery_pct", "batv", "batteryvoltage", unit="V"),
        "status": ForeignName("fire", states=CONTAINER_STATUS),
    },
    "pressure_sensor": _names("pressure_bar", "pressure", "waterpressure"),
    "flow_meter": _names("flow_m3h", "flow", "flowrate", "waterflow"),
    "reservoir": {
        **_names("level_pct", "level", "filllevel"),
        **_names("level_pct", "waterlevel", unit="m"),
        **_names("level_pct", "fillinglevel", unit="/"),
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
for _kind in ("pressure_sensor", "flow_meter", "reservoir", "quality_probe"):
    FOREIGN_NAMES[_kind].update(_names("battery_pct", *_BATTERY))


def name_key(name: str) -> str:
    """``fill_level``, ``fillLevel`` and ``Fill-Level`` are one name."""
    return name.replace("_", "").replace("-", "").replace(" ", "").lower()


def foreign_name(kind: str, name: str) -> tuple[ForeignName, str | None] | None:
    """What a foreign name means on this kind, and the unit its key suffix gives (``pressure_kpa``)."""
    names = FOREIGN_NAMES.get(kind)
    if names is None:
        return None
    found = names.get(name_key(name))
    if found is not None:
        return found, None
    base, sep, suffix = name.rpartition("_")
    unit = SUFFIXES.get(suffix.lower()) if sep else None
    if unit is None:
        return None
    found = names.get(name_key(base))
    return (found, unit) if found is not None else None
