"""The asset inventory: what exists in the city, where, and under which ids other systems know it."""

from __future__ import annotations

import csv
import gzip
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from feeds.model import Domain

KINDS: dict[str, Domain] = {
    "luminaire": Domain.LIGHTING,
    "cabinet": Domain.LIGHTING,
    "building": Domain.HEATING,
    "boiler": Domain.HEATING,
    "substation": Domain.HEATING,
    "container": Domain.WASTE,
    "pressure_sensor": Domain.WATER,
    "flow_meter": Domain.WATER,
    "reservoir": Domain.WATER,
    "quality_probe": Domain.WATER,
}

_CORE_FIELDS = ("id", "domain", "kind", "district")
_CSV_RESERVED = {"id", "domain", "kind", "district", "commune", "parent", "aliases", "lon", "lat"}


class InventoryError(ValueError):
    """A feature or row that cannot be loaded; the message names the feature and the field."""


@dataclass(frozen=True, slots=True)
class Asset:
    """One supervised thing: a luminaire, a cabinet, a building, a container, a sensor..."""

    id: str
    domain: str
    kind: str
    district: str
    lon: float
    lat: float
    commune: str = ""
    parent: str | None = None
    aliases: tuple[str, ...] = ()
    attrs: dict[str, Any] = field(default_factory=dict)

    @property
    def report_period_s(self) -> float:
        """How often the device is expected to report; longer silence means its values are stale."""
        return float(self.attrs.get("report_period_s", 900))


class Inventory:
    """Assets by id and alias, plus column arrays for fast drawing and selection."""

    def __init__(self, assets: Iterable[Asset]) -> None:
        self.assets: list[Asset] = list(assets)
        self._by_id: dict[str, Asset] = {}
        self._alias: dict[str, str] = {}
        self._children: dict[str, list[str]] = {}
        for asset in self.assets:
            if asset.id in self._by_id:
                raise InventoryError(f"asset {asset.id!r}: duplicate id")
            self._by_id[asset.id] = asset
        for asset in self.assets:
            for alias in asset.aliases:
                other = self._alias.get(alias)
                if other is not None and other != asset.id:
                    raise InventoryError(f"asset {asset.id!r}: alias {alias!r} already names {other!r}")
                self._alias[alias] = asset.id
            if asset.parent is not None:
                if asset.parent not in self._by_id:
                    raise InventoryError(f"asset {asset.id!r}: field 'parent' names unknown asset {asset.parent!r}")
                self._children.setdefault(asset.parent, []).append(asset.id)
        self.index: dict[str, int] = {a.id: i for i, a in enumerate(self.assets)}
        self.lon = np.fromiter((a.lon for a in self.assets), dtype=np.float64, count=len(self.assets))
        self.lat = np.fromiter((a.lat for a in self.assets), dtype=np.float64, count=len(self.assets))

    def __len__(self) -> int:
        return len(self.assets)

    def __iter__(self) -> Iterator[Asset]:
        return iter(self.assets)

    def __contains__(self, asset_id: object) -> bool:
        return asset_id in self._by_id

    def get(self, asset_id: str) -> Asset | None:
        return self._by_id.get(asset_id)

    def __getitem__(self, asset_id: str) -> Asset:
        return self._by_id[asset_id]

    def resolve(self, id_or_alias: str) -> Asset | None:
        """Find an asset by our id or by any id it has in another system (NGSI-LD, DevEUI, SenML name)."""
        asset = self._by_id.get(id_or_alias)
        if asset is not None:
            return asset
        own = self._alias.get(id_or_alias)
        return self._by_id[own] if own is not None else None

    def children(self, parent_id: str) -> list[str]:
        return self._children.get(parent_id, [])

    def of_kind(self, kind: str) -> list[Asset]:
        return [a for a in self.assets if a.kind == kind]

    def districts(self) -> list[str]:
        return sorted({a.district for a in self.assets})


def load_inventory(path: str | Path) -> Inventory:
    """Load GeoJSON (``.geojson``/``.json``, optionally gzipped) or CSV with lon/lat columns."""
    path = Path(path)
    name = path.name.lower().removesuffix(".gz")
    if name.endswith(".csv"):
        return Inventory(_read_csv(path))
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as fh:
        try:
            doc = json.load(fh)
        except json.JSONDecodeError as exc:
            raise InventoryError(f"{path}: not valid JSON (line {exc.lineno}, column {exc.colno}): {exc.msg}") from exc
    return Inventory(assets_from_geojson(doc, source=str(path)))


def assets_from_geojson(doc: dict[str, Any], source: str = "inventory") -> list[Asset]:
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection":
        raise InventoryError(f"{source}: expected a GeoJSON FeatureCollection")
    features = doc.get("features")
    if not isinstance(features, list):
        raise InventoryError(f"{source}: 'features' must be a list")
    return [_asset_from_feature(f, i, source) for i, f in enumerate(features)]


def _asset_from_feature(feature: Any, number: int, source: str) -> Asset:
    where = f"{source}: feature #{number}"
    if not isinstance(feature, dict):
        raise InventoryError(f"{where}: not an object")
    props = feature.get("properties")
    if not isinstance(props, dict):
        raise InventoryError(f"{where}: missing 'properties'")
    if isinstance(props.get("id"), str):
        where = f"{source}: feature #{number} ({props['id']})"
    geometry = feature.get("geometry")
    if not isinstance(geometry, dict) or geometry.get("type") != "Point":
        raise InventoryError(f"{where}: field 'geometry' must be a Point")
    coords = geometry.get("coordinates")
    if not (isinstance(coords, list) and len(coords) >= 2 and all(isinstance(c, int | float) for c in coords[:2])):
        raise InventoryError(f"{where}: field 'geometry.coordinates' must be [lon, lat]")
    attrs = {k: v for k, v in props.items() if k not in (*_CORE_FIELDS, "commune", "parent", "aliases")}
    return _make_asset(where, props, float(coords[0]), float(coords[1]), attrs)


def _make_asset(where: str, props: dict[str, Any], lon: float, lat: float, attrs: dict[str, Any]) -> Asset:
    for key in _CORE_FIELDS:
        if not isinstance(props.get(key), str) or not props[key]:
            raise InventoryError(f"{where}: field '{key}' is missing or not a string")
    if any(c in props["id"] for c in "/+#"):
        raise InventoryError(f"{where}: field 'id' must not contain '/', '+' or '#'")
    kind, domain = props["kind"], props["domain"]
    if domain not in Domain.__members__.values():
        raise InventoryError(f"{where}: field 'domain' is {domain!r}, expected one of {[d.value for d in Domain]}")
    if kind in KINDS and KINDS[kind] != domain:
        raise InventoryError(f"{where}: field 'kind' {kind!r} belongs to domain {KINDS[kind].value!r}")
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        raise InventoryError(f"{where}: field 'coordinates' out of range ({lon}, {lat})")
    aliases = props.get("aliases") or []
    if isinstance(aliases, str):
        aliases = [a for a in aliases.split(";") if a]
    if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
        raise InventoryError(f"{where}: field 'aliases' must be a list of strings")
    parent = props.get("parent") or None
    if parent is not None and not isinstance(parent, str):
        raise InventoryError(f"{where}: field 'parent' must be a string")
    return Asset(
        id=props["id"], domain=domain, kind=kind, district=props["district"], lon=lon, lat=lat,
        commune=str(props.get("commune") or ""), parent=parent, aliases=tuple(aliases), attrs=attrs,
    )


def _read_csv(path: Path) -> list[Asset]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        missing = {"id", "domain", "kind", "district", "lon", "lat"} - set(reader.fieldnames or [])
        if missing:
            raise InventoryError(f"{path}: missing column(s) {sorted(missing)}")
        assets = []
        for line, row in enumerate(reader, start=2):
            where = f"{path}: line {line} ({row.get('id') or '?'})"
            try:
                lon, lat = float(row["lon"]), float(row["lat"])
            except (TypeError, ValueError) as exc:
                raise InventoryError(f"{where}: fields 'lon'/'lat' must be numbers") from exc
            attrs = {k: _csv_value(v) for k, v in row.items() if k not in _CSV_RESERVED and v not in (None, "")}
            assets.append(_make_asset(where, row, lon, lat, attrs))
        return assets


def _csv_value(text: str) -> Any:
    for convert in (int, float):
        try:
            return convert(text)
        except ValueError:
            continue
    return text
