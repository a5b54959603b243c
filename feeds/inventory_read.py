"""Reading what a city's GIS exports: GeoJSON, CSV, Shapefile, GeoPackage, KML, in any CRS.

Every file becomes records (where, properties, WGS 84 geometry). GeoJSON is read directly (it is
the shipped inventory's format, and the fastest); the other GIS formats through ``pyogrio`` (GDAL),
reprojected with ``pyproj``. CSV files come in whatever encoding and delimiter the export used: UTF-8
with or without a byte-order mark, else Windows-1252/Latin-1; ``,``, ``;``, tab or ``|``; decimal
commas in numbers.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import math
import struct
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from feeds.geometry import transform_coordinates, wkb_to_geojson

GIS_SUFFIXES = (".shp", ".gpkg", ".kml", ".kmz", ".zip", ".fgb", ".gml", ".sqlite")
_DELIMITERS = ",;\t|"
WGS84 = "EPSG:4326"


class InventoryFileError(ValueError):
    """The file as a whole cannot be read (not the format it claims, no such layer...)."""


@dataclass(frozen=True, slots=True)
class Record:
    """One feature or row: where it is in the file, its properties, its geometry in WGS 84.

    ``decimal_comma`` is set for CSV rows, whose values are still text: None for typed formats.
    """

    where: str
    props: dict[str, Any]
    geometry: dict[str, Any] | None
    decimal_comma: bool | None = None


def read_records(path: Path) -> tuple[list[Record], list[str] | None]:
    """The records of an inventory file, geometries in WGS 84 (lon, lat), and a CSV file's columns."""
    name = path.name.lower().removesuffix(".gz")
    if name.endswith(".csv") or name.endswith(".txt"):
        return _csv_records(path)
    if name.endswith((".geojson", ".json")):
        return _geojson_records(path), None
    if name.endswith(GIS_SUFFIXES):
        return _gis_records(path), None
    raise InventoryFileError(f"{path}: unknown inventory format; use GeoJSON, CSV, Shapefile, GeoPackage or KML")


def _geojson_records(path: Path) -> list[Record]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rb") as fh:
        raw = fh.read()
    try:
        doc = orjson.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise InventoryFileError(f"{path}: GeoJSON must be UTF-8 ({exc.reason} at byte {exc.start})") from None
    except json.JSONDecodeError as exc:
        raise InventoryFileError(
            f"{path}: not valid JSON (line {exc.lineno}, column {exc.colno}): {exc.msg}"
        ) from None
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection":
        raise InventoryFileError(f"{path}: expected a GeoJSON FeatureCollection")
    features = doc.get("features")
    if not isinstance(features, list):
        raise InventoryFileError(f"{path}: 'features' must be a list")
    project = _projector(_geojson_crs(doc))
    records = []
    for number, feature in enumerate(features):
        where = f"{path.name}: feature #{number}"
        if not isinstance(feature, dict):
            records.append(Record(where, {}, None))
            continue
        props = feature.get("properties") if isinstance(feature.get("properties"), dict) else {}
        geometry = feature.get("geometry") if isinstance(feature.get("geometry"), dict) else None
        if geometry is not None and project is not None and "coordinates" in geometry:
            geometry = {**geometry, "coordinates": transform_coordinates(geometry["coordinates"], project)}
        records.append(Record(where, props, geometry))
    return records


def _geojson_crs(doc: dict) -> str | None:
    """The legacy GeoJSON ``crs`` member (``urn:ogc:def:crs:EPSG::2154``) that some exports still write."""
    crs = doc.get("crs")
    name = crs.get("properties", {}).get("name") if isinstance(crs, dict) else None
    if not isinstance(name, str) or name.endswith(("CRS84", "EPSG::4326")):
        return None
    return name


def _projector(crs: str | None):
    if crs is None:
        return None
    from pyproj import CRS, Transformer
    from pyproj.exceptions import CRSError

    try:
        source = CRS.from_user_input(crs)
    except CRSError as exc:
        raise InventoryFileError(f"unknown coordinate reference system {crs!r}: {exc}") from None
    if source.equals(CRS.from_epsg(4326), ignore_axis_order=True):
        return None
    return Transformer.from_crs(source, WGS84, always_xy=True).transform


def _gis_records(path: Path) -> list[Record]:
    import pyogrio
    from pyogrio.errors import DataLayerError, DataSourceError

    try:
        layers = [str(name) for name, _ in pyogrio.list_layers(path)]
    except (DataSourceError, DataLayerError, OSError) as exc:
        raise InventoryFileError(f"{path}: cannot be read as a GIS file: {exc}") from None
    records = []
    for layer in layers:
        try:
            meta, _, geometries, columns = pyogrio.raw.read(path, layer=layer)
        except (DataSourceError, DataLayerError, OSError) as exc:
            raise InventoryFileError(f"{path}: layer {layer!r} cannot be read: {exc}") from None
        project = _projector(meta.get("crs"))
        names = list(meta["fields"])
        prefix = f"{path.name}" + (f" layer {layer}" if len(layers) > 1 else "")
        for number, wkb in enumerate(geometries):
            props = {n: _plain(col[number]) for n, col in zip(names, columns, strict=True)}
            geometry = _geometry(wkb)
            if geometry is not None and project is not None:
                geometry = {**geometry, "coordinates": transform_coordinates(geometry["coordinates"], project)}
            records.append(Record(f"{prefix}: feature #{number}", props, geometry))
    return records


def _geometry(wkb: bytes | None) -> dict[str, Any] | None:
    """The GeoJSON of a feature's WKB; an unreadable one becomes a geometry the checks report."""
    if wkb is None:
        return None
    try:
        return wkb_to_geojson(bytes(wkb))
    except (ValueError, struct.error, IndexError):
        return {"type": "unreadable geometry", "coordinates": []}


def _plain(value: Any) -> Any:
    """numpy scalars and strings as Python values; empty text as None."""
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value if value != "" else None


def decode_text(raw: bytes) -> str:
    """UTF-8 (a byte-order mark dropped) when the bytes are valid UTF-8, else Windows-1252 (Latin-1)."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def _csv_records(path: Path) -> tuple[list[Record], list[str]]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rb") as fh:
        text = decode_text(fh.read())
    first = text.split("\n", 1)[0]
    delimiter = max(_DELIMITERS, key=first.count)
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = [name.strip() for name in reader.fieldnames or ()]
    records = []
    for line, row in enumerate(reader, start=2):
        props = {k.strip(): (v.strip() or None if v is not None else None) for k, v in row.items() if k is not None}
        records.append(Record(f"{path.name}: line {line}", props, None, delimiter != ","))
    return records, header


def csv_value(text: Any, decimal_comma: bool) -> Any:
    """A CSV cell as a number when it reads as one (``3,5`` too in a ``;`` file), else the text."""
    if not isinstance(text, str):
        return text
    number = text.replace(",", ".", 1) if decimal_comma and text.count(",") == 1 and "." not in text else text
    for convert in (int, float):
        try:
            return convert(number)
        except ValueError:
            continue
    return text
