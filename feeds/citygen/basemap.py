"""Draw the vector basemap of Dijon Métropole: communes, districts, streets, main roads, the Ouche, Lac Kir, trams.

The communes' outlines (IGN ADMIN EXPRESS) and the tram stops (OpenStreetMap) are real, read from
``assets/dijon/reference``; districts, streets, roads and water are drawn from the district centres and a few
hand-placed points, a plausible schematic of the city rather than survey data.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import orjson

from feeds.citygen.communes import DISTRICTS, OUTER_COMMUNES, to_km, to_lonlat
from feeds.citygen.geometry import DistrictCells
from feeds.citygen.inventory import encode
from feeds.citygen.outlines import REFERENCE
from feeds.citygen.streets import StreetNetwork, street_network

OUCHE = ((4.950, 47.339), (4.962, 47.337), (4.975, 47.333), (4.988, 47.3285), (4.9935, 47.3262),
         (5.0065, 47.3248), (5.012, 47.321), (5.019, 47.316), (5.027, 47.3115), (5.036, 47.3085),
         (5.046, 47.3045), (5.055, 47.2985), (5.064, 47.2925), (5.076, 47.2875), (5.092, 47.2840),
         (5.108, 47.2805), (5.124, 47.2765), (5.145, 47.2715), (5.165, 47.2670))
LAC_KIR = (4.9998, 47.3255, 0.62, 0.16, 0.12)
"""Centre lon/lat, semi-axes east-west and north-south in km, rotation in radians."""


ATTRIBUTION = "Communes: IGN – ADMIN EXPRESS (Licence Ouverte 2.0); tram stops: © OpenStreetMap contributors (ODbL)"

RING_ROAD_RADIUS_KM = 3.3


def _line(lon: np.ndarray, lat: np.ndarray) -> list[list[float]]:
    return [[round(float(a), 6), round(float(b), 6)] for a, b in zip(lon, lat, strict=True)]


def _feature(geometry_type: str, coordinates: list, **props: object) -> dict:
    return {"type": "Feature", "geometry": {"type": geometry_type, "coordinates": coordinates},
            "properties": props}


def district_features(cells: DistrictCells) -> list[dict]:
    """One polygon per district, with its commune and population."""
    features = []
    for i, district in enumerate(DISTRICTS):
        lon, lat = to_lonlat(*cells.outline(i))
        features.append(_feature("Polygon", [_line(lon, lat)], layer="district", name=district.name,
                                 commune=district.commune, population=district.population))
    return features


def road_features() -> list[dict]:
    """Radial routes from the centre to every commune, and the ring road around Dijon."""
    features = []
    t = np.linspace(0.0, 1.0, 9)
    for n, commune in enumerate(OUTER_COMMUNES):
        end = np.array(to_km(commune.lon, commune.lat))
        bend = np.array([-end[1], end[0]]) * 0.12 * np.sin(2.3 * n)
        points = np.outer(2 * t * (1 - t), end / 2 + bend) + np.outer(t**2, end)  # Bézier from the centre
        lon, lat = to_lonlat(points[:, 0], points[:, 1])
        features.append(_feature("LineString", _line(lon, lat), layer="road", name=f"Route de {commune.name}",
                                 road_class="primary"))
    angles = np.linspace(0.0, 2.0 * np.pi, 73)
    radius = RING_ROAD_RADIUS_KM + 0.45 * np.sin(2 * angles + 1.0) + 0.2 * np.cos(3 * angles)
    lon, lat = to_lonlat(0.3 + radius * np.cos(angles), 0.6 + radius * np.sin(angles))
    features.append(_feature("LineString", _line(lon, lat), layer="road", name="Rocade et LiNO (N274)",
                             road_class="ring"))
    return features


def water_features() -> list[dict]:
    """The Ouche river and Lac Kir."""
    lon, lat = np.array(OUCHE).T
    river = _feature("LineString", _line(lon, lat), layer="river", name="Ouche")
    centre_lon, centre_lat, a, b, rotation = LAC_KIR
    cx, cy = to_km(centre_lon, centre_lat)
    angles = np.linspace(0.0, 2.0 * np.pi, 49)
    x, y = a * np.cos(angles), b * np.sin(angles) * (1 + 0.25 * np.cos(angles))
    lon, lat = to_lonlat(cx + x * np.cos(rotation) - y * np.sin(rotation),
                         cy + x * np.sin(rotation) + y * np.cos(rotation))
    return [river, _feature("Polygon", [_line(lon, lat)], layer="lake", name="Lac Kir")]


def commune_features(reference: Path = REFERENCE) -> list[dict]:
    """The 23 communes' real outlines, named, for the map's commune layer and labels."""
    doc = orjson.loads((reference / "communes_dijon_metropole.geojson").read_bytes())
    return [_feature(f["geometry"]["type"], f["geometry"]["coordinates"], layer="commune",
                     name=f["properties"]["nom"], insee=f["properties"]["insee"],
                     population=f["properties"]["population_municipale"]) for f in doc["features"]]


def tram_features(reference: Path = REFERENCE) -> list[dict]:
    """Tram lines T1 and T2 through their real stops, in line order (a schematic of the track).

    The stops themselves are not drawn: their names would crowd the city view.
    """
    doc = orjson.loads((reference / "divia_stops.geojson").read_bytes())
    features = []
    for name in ("T1", "T2"):
        stops = sorted((f for f in doc["features"] if f["properties"]["line"] == name),
                       key=lambda f: f["properties"]["seq"])
        lon = np.array([f["geometry"]["coordinates"][0] for f in stops])
        lat = np.array([f["geometry"]["coordinates"][1] for f in stops])
        features.append(_feature("LineString", _line(lon, lat), layer="tram", name=name,
                                 terminus_a=stops[0]["properties"]["name"],
                                 terminus_b=stops[-1]["properties"]["name"]))
    return features


def street_features(network: StreetNetwork) -> list[dict]:
    """The generated streets the assets stand along, named, with their commune."""
    features = []
    for street in network.streets:
        lon, lat = to_lonlat(np.array([street.start[0], street.end[0]]), np.array([street.start[1], street.end[1]]))
        features.append(_feature("LineString", _line(lon, lat), layer="street", name=street.name,
                                 commune=street.commune))
    return features


def generate_basemap(seed: int = 2019) -> dict:
    """The basemap as a GeoJSON FeatureCollection; layers are told apart by ``properties.layer``.

    The streets are those of the inventory generated from the same seed.
    """
    features = commune_features() + district_features(DistrictCells(DISTRICTS))
    features += street_features(street_network(seed))
    features += water_features() + road_features() + tram_features()
    return {"type": "FeatureCollection", "name": "Dijon Métropole basemap", "attribution": ATTRIBUTION,
            "features": features}


def write_basemap(path: Path, seed: int = 2019) -> int:
    """Write the basemap file; returns its size in bytes."""
    data = encode(generate_basemap(seed))
    path.write_bytes(data)
    return len(data)
