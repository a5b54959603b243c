"""Generate the Dijon Métropole asset inventory, deterministically from a seed.

Same seed, same bytes: features are built in a fixed order from one random generator, coordinates are
rounded to 6 decimals (about 10 cm) and the JSON is compact with sorted keys.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import orjson

from feeds.citygen.communes import DISTRICTS, to_km, to_lonlat
from feeds.citygen.facilities import heating_assets, waste_assets, water_assets
from feeds.citygen.features import feature, ngsi_id, share
from feeds.citygen.geometry import DistrictCells
from feeds.citygen.placement import SETBACK_KM, Pavements, Run, district_pavements
from feeds.citygen.streets import StreetNetwork, lamps_per_district, street_network

LUMINAIRES_PER_CABINET = 31
_LAMP_WATTS = np.array([18, 25, 30, 40, 55, 70, 90])
_LAMP_SHARE = np.array([0.10, 0.20, 0.22, 0.22, 0.14, 0.08, 0.04])


def lighting_assets(cells: DistrictCells, rng: np.random.Generator, network: StreetNetwork,
                    pavements: dict[str, Pavements]) -> list[dict]:
    """Cabinets at street corners and their luminaires: each of 2–4 circuits lights the streets leaving
    its cabinet's corner, the first towards an angle drawn per district, the next a quarter turn on."""
    per_district = lamps_per_district()
    cabinets: list[dict] = []
    luminaires: list[dict] = []
    for i, district in enumerate(DISTRICTS):
        n_cab = max(1, round(per_district[i] / LUMINAIRES_PER_CABINET))
        sizes = share(int(per_district[i]), rng.uniform(0.6, 1.4, n_cab))
        grid = rng.uniform(0.0, np.pi / 2)
        here = pavements[district.name]
        runs: list[Run] = []
        jitters: list[np.ndarray] = []
        lamps: list[tuple[str, int]] = []
        for position, size in zip(cells.sample(i, n_cab, rng), sizes, strict=True):
            cabinet_id = f"L-C-{len(cabinets) + 1:03d}"
            circuits = int(rng.integers(2, 5))
            node, corner = here.corner(position)
            first_street = len(runs)
            for circuit, count in enumerate(share(int(size), rng.uniform(0.5, 1.5, circuits))):
                heading = grid + circuit * np.pi / 2 + rng.normal(0.0, 0.15)
                watts = int(rng.choice(_LAMP_WATTS, p=_LAMP_SHARE))
                jitters.append(rng.normal(0.0, 0.06, int(count)))
                runs += here.walk(node, heading, int(count))
                lamps += [(cabinet_id, watts)] * int(count)
            street = network.streets[int(here.streets.edge_street[runs[first_street][0]])].name
            cabinets.append(feature(cabinet_id, "cabinet", "lighting", district, corner,
                                    circuits=circuits, report_period_s=300, street=street,
                                    aliases=[ngsi_id("StreetlightControlCabinet", cabinet_id)]))
        points, streets = here.posts(runs, np.concatenate(jitters))
        for xy, street, (cabinet_id, watts) in zip(points, streets.tolist(), lamps, strict=True):
            lamp_id = f"L-L-{len(luminaires) + 1:05d}"
            luminaires.append(feature(lamp_id, "luminaire", "lighting", district, xy, parent=cabinet_id,
                                      nominal_power_w=watts, report_period_s=900,
                                      street=network.streets[street].name,
                                      aliases=[ngsi_id("Streetlight", lamp_id)]))
    return cabinets + luminaires


def settle_on_streets(features: list[dict], network: StreetNetwork, pavements: dict[str, Pavements]) -> None:
    """Move every asset to the nearest street of its district, set back as its kind stands; name it."""
    by_district: dict[str, list[dict]] = {}
    for f in features:
        by_district.setdefault(f["properties"]["district"], []).append(f)
    for district, group in by_district.items():
        lon, lat = np.array([f["geometry"]["coordinates"] for f in group]).T
        setback = np.array([SETBACK_KM[f["properties"]["kind"]] for f in group])
        moved, streets = pavements[district].settle(np.column_stack(to_km(lon, lat)), setback)
        lon, lat = to_lonlat(moved[:, 0], moved[:, 1])
        for f, a, b, street in zip(group, lon.tolist(), lat.tolist(), streets.tolist(), strict=True):
            f["geometry"]["coordinates"] = [round(a, 6), round(b, 6)]
            f["properties"]["street"] = network.streets[street].name


def generate_inventory(seed: int = 2019) -> dict:
    """The whole city as a GeoJSON FeatureCollection."""
    rng = np.random.default_rng(seed)
    cells = DistrictCells(DISTRICTS)
    network = street_network(seed)
    pavements = district_pavements(network)
    features = lighting_assets(cells, rng, network, pavements)
    facilities = heating_assets(cells, rng) + waste_assets(cells, rng) + water_assets(cells, rng)
    settle_on_streets(facilities, network, pavements)
    features += facilities
    return {"type": "FeatureCollection", "name": "Dijon Métropole (simulated)", "features": features}


def encode(doc: dict) -> bytes:
    """Compact JSON with sorted keys, so equal documents give equal bytes."""
    return orjson.dumps(doc, option=orjson.OPT_SORT_KEYS)


def write_inventory(path: Path, seed: int = 2019) -> int:
    """Write the inventory file; returns its size in bytes."""
    data = encode(generate_inventory(seed))
    path.write_bytes(data)
    return len(data)
