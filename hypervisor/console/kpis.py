"""Key figures per domain, computed from column arrays of the latest values (no per-asset loops)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from alerts.limits import MetricLimits, metric_limits
from alerts.rules.model import RuleSet
from feeds.inventory import Inventory

TRACKED_METRICS = (
    "on",
    "power_w",
    "power_kw",
    "temp_c",
    "fill_pct",
    "pressure_bar",
    "flow_m3h",
    "level_pct",
    "mains",
    "fault",
    "running",
    "occupied",
)


KPI_WATCHES = {
    "water_min_pressure_bar": ("pressure_bar", "pressure_sensor"),
    "waste_mean_fill_pct": ("fill_pct", "container"),
}
"""Key figures that are one asset kind's metric (its lowest or mean value), so that metric's rule judges them."""


def kpi_limits(ruleset: RuleSet) -> dict[str, MetricLimits]:
    """The rules' limits for each key figure that has some: what its gauge draws and its tile is judged by."""
    found = {kpi: metric_limits(ruleset, metric, kind) for kpi, (metric, kind) in KPI_WATCHES.items()}
    return {kpi: limits for kpi, limits in found.items() if limits is not None}


@dataclass(frozen=True, slots=True)
class KindMasks:
    luminaire: np.ndarray
    cabinet: np.ndarray
    building: np.ndarray
    container: np.ndarray
    pressure: np.ndarray
    district_meter: np.ndarray
    comfort_min: np.ndarray
    comfort_max: np.ndarray


def kind_masks(inventory: Inventory) -> KindMasks:
    kinds = np.array([a.kind for a in inventory.assets])
    n = len(inventory)
    comfort_min = np.full(n, np.nan)
    comfort_max = np.full(n, np.nan)
    district_meter = np.zeros(n, dtype=bool)
    for i, asset in enumerate(inventory.assets):
        if asset.kind == "building":
            comfort_min[i] = float(asset.attrs.get("comfort_min_c", 19.0))
            comfort_max[i] = float(asset.attrs.get("comfort_max_c", 24.0))
        elif asset.kind == "flow_meter" and "night_min_m3h" in asset.attrs:
            district_meter[i] = True
    return KindMasks(
        kinds == "luminaire",
        kinds == "cabinet",
        kinds == "building",
        kinds == "container",
        kinds == "pressure_sensor",
        district_meter,
        comfort_min,
        comfort_max,
    )


def _nan_sum(values: np.ndarray) -> float | None:
    finite = values[np.isfinite(values)]
    return float(finite.sum()) if finite.size else None


def compute_kpis(values: dict[str, np.ndarray], masks: KindMasks) -> dict[str, float | None]:
    """Lighting power and share lit, buildings out of comfort, full containers, pressure, flow."""
    on = values["on"][masks.luminaire]
    reporting = np.isfinite(on)
    lit_share = float(np.nanmean(on)) * 100 if reporting.any() else None
    temps = values["temp_c"][masks.building]
    known = np.isfinite(temps)
    # Comfort only matters while a building is in use; a closed school at 16 °C is doing its job.
    occupied = values["occupied"][masks.building] == 1
    out_of_comfort = occupied & (
        (temps < masks.comfort_min[masks.building]) | (temps > masks.comfort_max[masks.building])
    )
    fill = values["fill_pct"][masks.container]
    pressure = values["pressure_bar"][masks.pressure]
    pressure = pressure[np.isfinite(pressure)]
    return {
        "lighting_power_kw": _nan_sum(values["power_kw"][masks.cabinet]),
        "lighting_lit_pct": lit_share,
        "heating_out_of_comfort": float(np.count_nonzero(out_of_comfort & known)) if known.any() else None,
        "heating_mean_temp_c": float(temps[known].mean()) if known.any() else None,
        "waste_mean_fill_pct": float(np.nanmean(fill)) if np.isfinite(fill).any() else None,
        "waste_over_80": float(np.count_nonzero(fill > 80)) if np.isfinite(fill).any() else None,
        "water_min_pressure_bar": float(pressure.min()) if pressure.size else None,
        "water_flow_m3h": _nan_sum(values["flow_m3h"][masks.district_meter]),
    }
