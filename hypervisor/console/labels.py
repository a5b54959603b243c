"""What operators read instead of identifiers: metric and asset-kind names in the interface language."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

translate = QCoreApplication.translate

UNITS = {
    "power_w": "W",
    "power_kw": "kW",
    "dim_pct": "%",
    "temp_c": "°C",
    "supply_temp_c": "°C",
    "fill_pct": "%",
    "battery_pct": "%",
    "pressure_bar": "bar",
    "flow_m3h": "m³/h",
    "level_pct": "%",
    "chlorine_mgl": "mg/L",
    "turbidity_ntu": "NTU",
    "voltage_v": "V",
}
"""The unit each metric is reported in, as printed after its value."""


def metric_label(metric: str) -> str:
    labels = {
        "on": translate("Labels", "Lit"),
        "dim_pct": translate("Labels", "Dimming"),
        "power_w": translate("Labels", "Power"),
        "power_kw": translate("Labels", "Power"),
        "fault": translate("Labels", "Fault"),
        "mains": translate("Labels", "Mains power"),
        "voltage_v": translate("Labels", "Voltage"),
        "temp_c": translate("Labels", "Temperature"),
        "occupied": translate("Labels", "Occupied"),
        "supply_temp_c": translate("Labels", "Supply temperature"),
        "running": translate("Labels", "Running"),
        "fill_pct": translate("Labels", "Fill level"),
        "battery_pct": translate("Labels", "Battery"),
        "pressure_bar": translate("Labels", "Pressure"),
        "flow_m3h": translate("Labels", "Flow"),
        "level_pct": translate("Labels", "Level"),
        "chlorine_mgl": translate("Labels", "Free chlorine"),
        "turbidity_ntu": translate("Labels", "Turbidity"),
        "ph": translate("Labels", "pH"),
    }
    return labels.get(metric, metric)


def kind_label(kind: str) -> str:
    labels = {
        "luminaire": translate("Labels", "luminaire"),
        "cabinet": translate("Labels", "lighting cabinet"),
        "building": translate("Labels", "building"),
        "boiler": translate("Labels", "boiler"),
        "substation": translate("Labels", "heating substation"),
        "container": translate("Labels", "container"),
        "pressure_sensor": translate("Labels", "pressure sensor"),
        "flow_meter": translate("Labels", "flow meter"),
        "reservoir": translate("Labels", "reservoir"),
        "quality_probe": translate("Labels", "water quality probe"),
    }
    return labels.get(kind, kind)


def kind_plural(kind: str) -> str:
    labels = {
        "luminaire": translate("Labels", "luminaires"),
        "cabinet": translate("Labels", "lighting cabinets"),
        "building": translate("Labels", "buildings"),
        "boiler": translate("Labels", "boilers"),
        "substation": translate("Labels", "heating substations"),
        "container": translate("Labels", "containers"),
        "pressure_sensor": translate("Labels", "pressure sensors"),
        "flow_meter": translate("Labels", "flow meters"),
        "reservoir": translate("Labels", "reservoirs"),
        "quality_probe": translate("Labels", "water quality probes"),
    }
    return labels.get(kind, kind)


def verb_label(verb: str) -> str:
    """An operator command (``hv/v1/cmd/<user>/<verb>``) as the asset's history names it."""
    labels = {
        "ack": translate("Labels", "acknowledged"),
        "shelve": translate("Labels", "shelved"),
        "unshelve": translate("Labels", "unshelved"),
        "comment": translate("Labels", "comment"),
        "reset": translate("Labels", "reset"),
        "out-of-service": translate("Labels", "taken out of service"),
        "in-service": translate("Labels", "returned to service"),
    }
    return labels.get(verb, verb)
