"""The metric catalogue: every metric's type, unit and physical range, and which kinds report it.

One table for the codecs (what a value must be to be stored), the rules (which metrics a kind has)
and the console (the unit printed after a value, the scale of a gauge). A value outside its metric's
physical range is not a measurement but a fault of the device or of its decoder: it is refused as
``out_of_range``, never stored as if true.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from feeds.units import UNITS, Unit

MetricType = Literal["number", "bool"]


@dataclass(frozen=True, slots=True)
class Metric:
    """One metric: its type, its unit (SenML symbol) and display unit, and its physical range.

    ``unit_required``: the quantity is sent in several units by real devices (a battery in %, V or
    mV; a pressure in bar or kPa), so a foreign value without a declared unit cannot be trusted.
    """

    name: str
    type: MetricType
    unit: str = ""
    display_unit: str = ""
    low: float = float("-inf")
    high: float = float("inf")
    unit_required: bool = False

    @property
    def is_number(self) -> bool:
        return self.type == "number"

    @property
    def unit_info(self) -> Unit | None:
        return UNITS.get(self.unit)

    def describe_range(self) -> str:
        """``0 to 100 %``: the range as rejection details and documentation print it."""
        return f"{self.low:g} to {self.high:g} {self.display_unit}".rstrip()


def _bool(name: str) -> Metric:
    return Metric(name, "bool")


def _number(name: str, unit: str, display: str, low: float, high: float, *, required: bool = False) -> Metric:
    return Metric(name, "number", unit, display, low, high, required)


METRICS: dict[str, Metric] = {
    m.name: m
    for m in (
        _bool("on"),
        _bool("fault"),
        _bool("mains"),
        _bool("occupied"),
        _bool("running"),
        _bool("fire"),
        _bool("lid_open"),
        _number("dim_pct", "%", "%", 0, 100),
        _number("power_w", "W", "W", 0, 5_000, required=True),
        _number("power_kw", "kW", "kW", 0, 50_000, required=True),
        _number("voltage_v", "V", "V", 0, 1_000),
        _number("temp_c", "Cel", "°C", -60, 200),
        _number("supply_temp_c", "Cel", "°C", -30, 200),
        _number("fill_pct", "%", "%", 0, 100),
        _number("battery_pct", "%", "%", 0, 100, required=True),
        _number("pressure_bar", "bar", "bar", -1, 40, required=True),
        _number("flow_m3h", "m3/h", "m³/h", -20_000, 20_000, required=True),
        _number("level_pct", "%", "%", 0, 100, required=True),
        _number("chlorine_mgl", "mg/L", "mg/L", 0, 20),
        _number("turbidity_ntu", "NTU", "NTU", 0, 4_000),
        _number("ph", "pH", "pH", 0, 14),
    )
}
"""Every metric we supervise. Ranges are what the quantity can physically be at a city asset."""

KIND_METRICS: dict[str, frozenset[str]] = {
    "luminaire": frozenset({"on", "dim_pct", "power_w", "fault"}),
    "cabinet": frozenset({"mains", "power_kw", "voltage_v"}),
    "building": frozenset({"temp_c", "occupied"}),
    "boiler": frozenset({"supply_temp_c", "running", "fault", "power_kw"}),
    "substation": frozenset({"supply_temp_c", "running", "fault", "power_kw"}),
    "container": frozenset({"fill_pct", "temp_c", "battery_pct", "fire", "lid_open"}),
    "pressure_sensor": frozenset({"pressure_bar", "battery_pct"}),
    "flow_meter": frozenset({"flow_m3h", "battery_pct"}),
    "reservoir": frozenset({"level_pct", "battery_pct"}),
    "quality_probe": frozenset({"chlorine_mgl", "turbidity_ntu", "ph", "battery_pct"}),
}
"""The metrics each kind of asset reports (docs/architecture.md, "Metric names")."""

ALL_METRICS: frozenset[str] = frozenset(METRICS)
BOOL_METRICS: frozenset[str] = frozenset(name for name, m in METRICS.items() if m.type == "bool")
NUMBER_LIMITS: dict[str, tuple[float, float]] = {n: (m.low, m.high) for n, m in METRICS.items() if m.is_number}
"""``(low, high)`` of every numeric metric: the one comparison the v1 hot path makes per value."""


def unit_of(metric: str) -> str:
    """The unit printed after a value of ``metric`` (``°C``, ``m³/h``); empty for booleans and unknowns."""
    known = METRICS.get(metric)
    return known.display_unit if known is not None else ""
