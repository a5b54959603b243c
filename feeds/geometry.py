"""Geometries of GIS exports: WKB to GeoJSON, reprojection to WGS 84, and the position of an outline.

A city's GIS exports buildings as polygons and streets as lines, often in a national projection
(Lambert-93, EPSG:2154, in France). The map keeps the outline; the asset's position is its centroid.
"""

from __future__ import annotations

import struct
from collections.abc import Callable
from typing import Any

Coordinates = Any
"""GeoJSON coordinates: a position, or nested lists of positions."""

_WKB_TYPES = {1: "Point", 2: "LineString", 3: "Polygon", 4: "MultiPoint", 5: "MultiLineString", 6: "MultiPolygon"}


def wkb_to_geojson(data: bytes) -> dict[str, Any]:
    """A GeoJSON geometry from (ISO or extended) WKB, as GDAL and pyogrio hand it out; Z and M dropped."""
    geometry, _ = _read_wkb(memoryview(data), 0)
    return geometry


def _read_wkb(data: memoryview, at: int) -> tuple[dict[str, Any], int]:
    order = "<" if data[at] == 1 else ">"
    (code,) = struct.unpack_from(order + "I", data, at + 1)
    at += 5
    dims = 2
    if code & 0x80000000 or code & 0x40000000:  # EWKB Z / M flags
        dims += bool(code & 0x80000000) + bool(code & 0x40000000)
        code &= 0xFFFF
    if code & 0x20000000:  # EWKB SRID
        at += 4
        code &= ~0x20000000
    if code >= 1000:  # ISO WKB: 1000s Z, 2000s M, 3000s ZM
        dims += {1: 1, 2: 1, 3: 2}[code // 1000]
        code %= 1000
    kind = _WKB_TYPES.get(code)
    if kind is None:
        raise ValueError(f"unsupported WKB geometry type {code}")

    def points(at: int) -> tuple[list[list[float]], int]:
        (count,) = struct.unpack_from(order + "I", data, at)
        values = struct.unpack_from(f"{order}{count * dims}d", data, at + 4)
        return [list(values[i : i + 2]) for i in range(0, count * dims, dims)], at + 4 + 8 * dims * count

    if kind == "Point":
        values = struct.unpack_from(f"{order}{dims}d", data, at)
        return {"type": kind, "coordinates": list(values[:2])}, at + 8 * dims
    if kind == "LineString":
        coords, at = points(at)
        return {"type": kind, "coordinates": coords}, at
    (count,) = struct.unpack_from(order + "I", data, at)
    at += 4
    parts = []
    for _ in range(count):
        if kind == "Polygon":
            part, at = points(at)
            parts.append(part)
        else:
            sub, at = _read_wkb(data, at)
            parts.append(sub["coordinates"])
    return {"type": kind, "coordinates": parts}, at


def transform_coordinates(coords: Coordinates, project: Callable[[float, float], tuple[float, float]]) -> Coordinates:
    """The same nesting of coordinates with every position projected."""
    if coords and isinstance(coords[0], int | float):
        x, y = project(float(coords[0]), float(coords[1]))
        return [round(x, 7), round(y, 7)]
    return [transform_coordinates(c, project) for c in coords]


def position(geometry: dict[str, Any]) -> tuple[float, float]:
    """Where an asset stands: a point itself, a polygon's area centroid, else the mean of the vertices."""
    kind, coords = geometry.get("type"), geometry.get("coordinates")
    if kind == "Point":
        return float(coords[0]), float(coords[1])
    polygons = [coords] if kind == "Polygon" else coords if kind == "MultiPolygon" else None
    if polygons:
        found = _area_centroid([p[0] for p in polygons if p and len(p[0]) >= 3])
        if found is not None:
            return found
    flat = list(_positions(coords))
    if not flat:
        raise ValueError("empty geometry")
    return sum(p[0] for p in flat) / len(flat), sum(p[1] for p in flat) / len(flat)


def _positions(coords: Coordinates):
    if coords and isinstance(coords[0], int | float):
        yield coords
        return
    for c in coords or ():
        yield from _positions(c)


def _area_centroid(rings: list[list[list[float]]]) -> tuple[float, float] | None:
    """Area-weighted centroid of exterior rings (shoelace formula); None when every ring is degenerate."""
    weight = cx = cy = 0.0
    for ring in rings:
        area = rx = ry = 0.0
        for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True):
            cross = x0 * y1 - x1 * y0
            area += cross
            rx += (x0 + x1) * cross
            ry += (y0 + y1) * cross
        if abs(area) > 1e-18:
            weight += abs(area)
            cx += rx / (3 * area) * abs(area)
            cy += ry / (3 * area) * abs(area)
    if weight == 0.0:
        return None
    return cx / weight, cy / weight
