"""What operators read instead of identifiers: metric and asset-kind names in the interface language."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from feeds.inventory import Asset

translate = QCoreApplication.translate



def place_label(asset: Asset) -> str:
    """Where an asset stands as an operator says it: "Rue Victor Hugo, Chenôve", with the quartier in Dijon."""
    commune = asset.commune or asset.district
    street = asset.attrs.get("street")
    place = translate("Labels", "{street}, {commune}").format(street=street, commune=commune) if street else commune
    if asset.district and asset.district != commune:
        place = translate("Labels", "{place} ({district})").format(place=place, district=asset.district)
    return place


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


def reason_label(reason: str) -> str:
    """Why a message was refused, in the operator's language (the code itself when unknown)."""
    return {
        "bad_json": translate("Labels", "not JSON"),
        "bad_schema": translate("Labels", "not the expected shape"),
        "wrong_type": translate("Labels", "value of the wrong type"),
        "not_finite": translate("Labels", "value not a finite number"),
        "unknown_asset": translate("Labels", "unknown asset"),
        "domain_mismatch": translate("Labels", "asset in another domain"),
        "future_timestamp": translate("Labels", "time in the future"),
        "bad_timestamp": translate("Labels", "unreadable time"),
        "oversize": translate("Labels", "too large"),
        "unknown_topic": translate("Labels", "unknown topic"),
        "no_metrics": translate("Labels", "no values"),
        "out_of_range": translate("Labels", "value out of its physical range"),
        "unknown_unit": translate("Labels", "unit not declared or unknown"),
        "unknown_state": translate("Labels", "unknown state word"),
    }.get(reason, reason)
