"""Building blocks of inventory features: GeoJSON points, the ids assets have in other systems."""

from __future__ import annotations

import hashlib
from typing import Any

import numpy as np

from feeds.citygen.communes import District, point_to_lonlat


def dev_eui(asset_id: str) -> str:
    """A stable 16-hex-digit LoRaWAN DevEUI for a sensor, derived from its id."""
    return hashlib.blake2b(f"dijon:{asset_id}".encode(), digest_size=8).hexdigest().upper()


def ngsi_id(entity_type: str, asset_id: str) -> str:
    """The NGSI-LD entity id under which a FIWARE platform knows the asset."""
    return f"urn:ngsi-ld:{entity_type}:dijon:{asset_id}"


def senml_name(asset_id: str) -> str:
    """The SenML base name the asset's device publishes under."""
    return f"urn:dev:hv:{asset_id}"


def feature(asset_id: str, kind: str, domain: str, district: District, xy: np.ndarray, **attrs: Any) -> dict:
    """One GeoJSON Point feature; ``xy`` is in km, attributes with value None are left out."""
    lon, lat = point_to_lonlat(float(xy[0]), float(xy[1]))
    props = {"id": asset_id, "kind": kind, "domain": domain, "district": district.name,
             "commune": district.commune}
    props.update({k: v for k, v in attrs.items() if v is not None})
    return {"type": "Feature", "geometry": {"type": "Point", "coordinates": [round(lon, 6), round(lat, 6)]},
            "properties": props}


def share(total: int, weights: np.ndarray) -> np.ndarray:
    """Split ``total`` in integer parts proportional to ``weights`` (largest remainders)."""
    exact = total * weights / weights.sum()
    parts = np.floor(exact).astype(int)
    parts[np.argsort(parts - exact)[: total - parts.sum()]] += 1
    return parts
