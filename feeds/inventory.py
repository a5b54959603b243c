"""The asset inventory: what exists in the city, where, and under which ids other systems know it.

Files are read by feeds/inventory_read.py (GeoJSON, CSV, Shapefile, GeoPackage, KML), their fields
mapped and checked by feeds/inventory_fields.py; every problem is listed with its feature and field.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from feeds.inventory_fields import KINDS, OUR_FIELDS, FieldMapping, Problem, check_record
from feeds.inventory_read import InventoryFileError, Record, csv_value, read_records

__all__ = ["KINDS", "Asset", "FieldMapping", "Inventory", "InventoryError", "Problem", "load_inventory"]

_SHOWN_PROBLEMS = 20


class InventoryError(ValueError):
    """An inventory that cannot be loaded: every problem, each naming its feature and field."""

    def __init__(self, message: str, problems: list[Problem] | None = None) -> None:
        self.problems = problems or []
        shown = "; ".join(str(p) for p in self.problems[:_SHOWN_PROBLEMS])
        more = len(self.problems) - _SHOWN_PROBLEMS
        super().__init__(message + (f": {shown}" if shown else "") + (f"; and {more} more" if more > 0 else ""))


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


@dataclass(slots=True)
class InventoryReading:
    """What a file gives: the assets that passed, and every problem of the others."""

    assets: list[Asset]
    problems: list[Problem]
    features: int

    def counts(self) -> dict[str, Counter]:
        """Assets by kind and by district, problems by field and kind of problem."""
        return {
            "kind": Counter(a.kind for a in self.assets),
            "district": Counter(a.district for a in self.assets),
            "problem": Counter(f"{p.field}: {p.category}" for p in self.problems),
        }


def load_inventory(path: str | Path, mapping: FieldMapping | None = None) -> Inventory:
    """The inventory of a GeoJSON (optionally gzipped), CSV, Shapefile, GeoPackage or KML file.

    Raises ``InventoryError`` listing every problem when any feature cannot be loaded.
    """
    reading = read_inventory(path, mapping)
    if reading.problems:
        raise InventoryError(f"{path}: {len(reading.problems)} problem(s)", reading.problems)
    return Inventory(reading.assets)


def read_inventory(path: str | Path, mapping: FieldMapping | None = None) -> InventoryReading:
    """Every feature of the file checked: the good ones as assets, the others as problems."""
    path = Path(path)
    try:
        records, columns = read_records(path)
    except InventoryFileError as exc:
        raise InventoryError(str(exc)) from None
    mapping = mapping or FieldMapping()
    if columns is not None:
        _check_columns(path, columns, mapping)
    assets: list[Asset] = []
    problems: list[Problem] = []
    for record in records:
        draft = check_record(record.where, *_mapped(record, mapping))
        problems += draft.problems
        if not draft.problems:
            assets.append(_asset(draft.fields))
    problems += _cross_check(assets)
    return InventoryReading(assets, problems, len(records))


def _mapped(record: Record, mapping: FieldMapping) -> tuple[dict[str, Any], dict[str, Any] | None]:
    props = mapping.apply(record.props)
    geometry = record.geometry
    if record.decimal_comma is not None:
        props = {k: v if k in OUR_FIELDS else csv_value(v, record.decimal_comma) for k, v in props.items()}
        lon, lat = props.pop("lon", None), props.pop("lat", None)
        if isinstance(lon, int | float) and isinstance(lat, int | float) and not isinstance(lon, bool):
            geometry = {"type": "Point", "coordinates": [float(lon), float(lat)]}
        elif lon is not None or lat is not None:
            geometry = {"type": "Point", "coordinates": [lon, lat]}
    return props, geometry


def _check_columns(path: Path, columns: list[str], mapping: FieldMapping) -> None:
    present = set(mapping.apply(dict.fromkeys(columns)))
    missing = [c for c in ("id", "kind", "district", "lon", "lat") if c not in present]
    if missing:
        raise InventoryError(
            f"{path}: missing column(s) {missing}; its columns are {columns}. "
            "Name them with a field mapping (--map id=IDENT,kind=luminaire,district=COMMUNE,lon=X,lat=Y)"
        )


def _asset(fields: dict[str, Any]) -> Asset:
    return Asset(
        id=fields["id"], domain=fields["domain"], kind=fields["kind"], district=fields["district"],
        lon=fields["lon"], lat=fields["lat"], commune=fields.get("commune", ""),
        parent=fields.get("parent") or None, aliases=fields["aliases"], attrs=fields["attrs"],
    )


def _cross_check(assets: list[Asset]) -> list[Problem]:
    """Duplicate ids, aliases naming two assets, parents that do not exist."""
    problems = []
    ids: set[str] = set()
    aliases: dict[str, str] = {}
    for asset in assets:
        if asset.id in ids:
            problems.append(Problem(f"asset ({asset.id})", "id", "is a duplicate id", "duplicate"))
        ids.add(asset.id)
        for alias in asset.aliases:
            other = aliases.setdefault(alias, asset.id)
            if other != asset.id:
                problems.append(Problem(f"asset ({asset.id})", "aliases", f"{alias!r} already names {other!r}",
                                        "duplicate"))
    for asset in assets:
        if asset.parent is not None and asset.parent not in ids:
            problems.append(Problem(f"asset ({asset.id})", "parent", f"names unknown asset {asset.parent!r}",
                                    "unknown parent"))
    return problems
