"""Generate the Dijon Métropole asset inventory, deterministically from a seed.

Same seed, same bytes: features are built in a fixed order from one random generator, coordinates are
rounded to 6 decimals (about 10 cm) and the JSON is compact with sorted keys.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import orjson

from feeds.citygen.communes import DISTRICTS
from feeds.citygen.facilities import heating_assets, waste_assets, water_assets
from feeds.citygen.features import feature, ngsi_id, share
from feeds.citygen.geometry import DistrictCells

LUMINAIRES = 34_000
LUMINAIRES_PER_CABINET = 31
_LAMP_WATTS = np.array([18, 25, 30, 40, 55, 70, 90])
_LAMP_SHARE = np.array([0.10, 0.20, 0.22, 0.22, 0.14, 0.08, 0.04])


def _street(start: np.ndarray, heading: float, count: int, spacing_km: float,
            rng: np.random.Generator) -> np.ndarray:
    """Positions of ``count`` lamps along a gently winding street, alternating sides."""
    turns = heading + np.cumsum(rng.normal(0.0, 0.06, count))
    steps = np.column_stack([np.cos(turns), np.sin(turns)]) * spacing_km
    axis = start + np.cumsum(steps, axis=0)
    side = np.where(np.arange(count) % 2 == 0, 1.0, -1.0) * 0.008
    normal = np.column_stack([-np.sin(turns), np.cos(turns)])
    return axis + normal * side[:, None]


def lighting_assets(cells: DistrictCells, rng: np.random.Generator) -> list[dict]:
    """Cabinets and their luminaires: lamps line 2–4 streets leaving each cabinet."""
    weights = np.array([d.population + 600.0 for d in DISTRICTS])
    per_district = share(LUMINAIRES, weights)
    cabinets: list[dict] = []
    luminaires: list[dict] = []
    for i, district in enumerate(DISTRICTS):
        n_cab = max(1, round(per_district[i] / LUMINAIRES_PER_CABINET))
        sizes = share(int(per_district[i]), rng.uniform(0.6, 1.4, n_cab))
        grid = rng.uniform(0.0, np.pi / 2)
        spacing = 0.028 if district.dense else 0.040
        for position, size in zip(cells.sample(i, n_cab, rng), sizes, strict=True):
            cabinet_id = f"L-C-{len(cabinets) + 1:03d}"
            streets = int(rng.integers(2, 5))
            cabinets.append(feature(cabinet_id, "cabinet", "lighting", district, position,
                                    circuits=streets, report_period_s=300,
                                    aliases=[ngsi_id("StreetlightControlCabinet", cabinet_id)]))
            for street, count in enumerate(share(int(size), rng.uniform(0.5, 1.5, streets))):
                heading = grid + street * np.pi / 2 + rng.normal(0.0, 0.15)
                watts = rng.choice(_LAMP_WATTS, p=_LAMP_SHARE)
                for xy in _street(position, heading, int(count), spacing, rng):
                    lamp_id = f"L-L-{len(luminaires) + 1:05d}"
                    luminaires.append(feature(lamp_id, "luminaire", "lighting", district, xy,
                                              parent=cabinet_id, nominal_power_w=int(watts),
                                              report_period_s=900,
                                              aliases=[ngsi_id("Streetlight", lamp_id)]))
    return cabinets + luminaires


def generate_inventory(seed: int = 2019) -> dict:
    """The whole city as a GeoJSON FeatureCollection."""
    rng = np.random.default_rng(seed)
    cells = DistrictCells(DISTRICTS)
    features = lighting_assets(cells, rng)
    features += heating_assets(cells, rng)
    features += waste_assets(cells, rng)
    features += water_assets(cells, rng)
    return {"type": "FeatureCollection", "name": "Dijon Métropole (simulated)", "features": features}


def encode(doc: dict) -> bytes:
    """Compact JSON with sorted keys, so equal documents give equal bytes."""
    return orjson.dumps(doc, option=orjson.OPT_SORT_KEYS)


def write_inventory(path: Path, seed: int = 2019) -> int:
    """Write the inventory file; returns its size in bytes."""
    data = encode(generate_inventory(seed))
    path.write_bytes(data)
    return len(data)
