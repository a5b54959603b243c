"""The metrics each kind of asset reports (docs/architecture.md): one table for codecs and rules."""

from __future__ import annotations

KIND_METRICS: dict[str, frozenset[str]] = {
    "luminaire": frozenset({"on", "dim_pct", "power_w", "fault"}),
    "cabinet": frozenset({"mains", "power_kw", "voltage_v"}),
    "building": frozenset({"temp_c", "occupied"}),
    "boiler": frozenset({"supply_temp_c", "running", "fault", "power_kw"}),
    "substation": frozenset({"supply_temp_c", "running", "fault", "power_kw"}),
    "container": frozenset({"fill_pct", "temp_c", "battery_pct"}),
    "pressure_sensor": frozenset({"pressure_bar"}),
    "flow_meter": frozenset({"flow_m3h"}),
    "reservoir": frozenset({"level_pct"}),
    "quality_probe": frozenset({"chlorine_mgl", "turbidity_ntu", "ph"}),
}
ALL_METRICS: frozenset[str] = frozenset().union(*KIND_METRICS.values())
