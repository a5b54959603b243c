"""The real commune outlines and Divia stops, in the generator's kilometre grid.

Read from ``assets/dijon/reference`` (IGN ADMIN EXPRESS and OpenStreetMap, see its SOURCES.md): the
streets are generated inside the communes' true borders and lined up on the stops where there are some.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
import orjson

from feeds.citygen.communes import to_km

REFERENCE = Path(__file__).resolve().parents[2] / "assets" / "dijon" / "reference"


def _rings(geometry: dict) -> list[np.ndarray]:
    polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    rings = []
    for polygon in polygons:
        for ring in polygon:
            lon, lat = np.asarray(ring, dtype=np.float64)[:, :2].T
            rings.append(np.column_stack(to_km(lon, lat)))
    return rings


@dataclass(frozen=True, slots=True)
class Outline:
    """A commune's border rings (km); holes and islands by the even-odd rule."""

    rings: tuple[np.ndarray, ...]

    def contains(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        """Which of the points (km) lie inside, by casting a ray east from each."""
        x, y = np.ravel(x), np.ravel(y)
        inside = np.zeros(x.size, bool)
        for ring in self.rings:
            x0, y0 = ring[:-1, 0], ring[:-1, 1]
            x1, y1 = ring[1:, 0], ring[1:, 1]
            straddles = (y0[None, :] > y[:, None]) != (y1[None, :] > y[:, None])
            with np.errstate(divide="ignore", invalid="ignore"):
                cross_x = x0 + (y[:, None] - y0) * (x1 - x0) / (y1 - y0)
            inside ^= (straddles & (x[:, None] < cross_x)).sum(axis=1) % 2 == 1
        return inside


@cache
def commune_outlines(reference: Path = REFERENCE) -> dict[str, Outline]:
    """Every commune's outline by name."""
    doc = orjson.loads((reference / "communes_dijon_metropole.geojson").read_bytes())
    return {f["properties"]["nom"]: Outline(tuple(_rings(f["geometry"]))) for f in doc["features"]}


@cache
def stop_lines(reference: Path = REFERENCE) -> tuple[np.ndarray, ...]:
    """Each tram or bus line as its stops in line order (N x 2, km)."""
    doc = orjson.loads((reference / "divia_stops.geojson").read_bytes())
    lines: dict[str, list[tuple[int, float, float]]] = {}
    for f in doc["features"]:
        lon, lat = f["geometry"]["coordinates"][:2]
        lines.setdefault(f["properties"]["line"], []).append((f["properties"]["seq"], lon, lat))
    result = []
    for name in sorted(lines):
        _, lon, lat = np.array(sorted(lines[name])).T
        result.append(np.column_stack(to_km(lon, lat)))
    return tuple(result)
