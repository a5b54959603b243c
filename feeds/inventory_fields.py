"""From a GIS record (its own field names, any geometry) to an asset, listing every problem found.

A raw export names its fields its own way (``IDENT``, ``COMMUNE``, ``TYPE_LUM``). A field mapping says
which column gives each of our fields, or a constant: ``id=IDENT,kind=luminaire,district=COMMUNE``
(a value that names no column of the file is a constant), or the same in a TOML file's ``[map]``
table. A missing ``domain`` follows from the kind.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from feeds.geometry import position
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

OUR_FIELDS = ("id", "domain", "kind", "district", "commune", "parent", "aliases")
_REQUIRED = ("id", "kind", "district")
_DOMAINS = frozenset(d.value for d in Domain)


@dataclass(frozen=True, slots=True)
class Problem:
    """One problem of an inventory: which feature (number and id), which field, what is wrong."""

    feature: str
    field: str
    message: str
    category: str

    def __str__(self) -> str:
        return f"{self.feature}: field '{self.field}' {self.message}"


@dataclass(frozen=True, slots=True)
class FieldMapping:
    """Our field -> the export's column, or a constant for every feature."""

    columns: dict[str, str] = field(default_factory=dict)

    @classmethod
    def parse(cls, text: str) -> FieldMapping:
        """``id=IDENT,kind=luminaire,district=COMMUNE``."""
        columns = {}
        for item in filter(None, (part.strip() for part in text.split(","))):
            ours, sep, theirs = item.partition("=")
            if not sep or ours.strip() not in (*OUR_FIELDS, "lon", "lat") or not theirs.strip():
                known = ", ".join((*OUR_FIELDS, "lon", "lat"))
                raise ValueError(f"mapping item {item!r}: write OURS=THEIRS with OURS one of {known}")
            columns[ours.strip()] = theirs.strip()
        return cls(columns)

    @classmethod
    def load(cls, path: Path) -> FieldMapping:
        """A TOML file with a ``[map]`` table: ``id = "IDENT"``, ``kind = "luminaire"``..."""
        doc = tomllib.loads(path.read_text(encoding="utf-8"))
        table = doc.get("map")
        if not isinstance(table, dict) or not all(isinstance(v, str) for v in table.values()):
            raise ValueError(f"{path}: expected a [map] table of strings (our field = their column or a value)")
        return cls.parse(",".join(f"{k}={v}" for k, v in table.items()))

    def apply(self, props: dict[str, Any]) -> dict[str, Any]:
        """The record's properties with our fields filled from their columns or constants."""
        if not self.columns:
            return props
        mapped = dict(props)
        for ours, theirs in self.columns.items():
            mapped[ours] = props.get(theirs, theirs)
            if theirs in props and theirs != ours:
                del mapped[theirs]
        return mapped


@dataclass(slots=True)
class AssetDraft:
    """What a record gives once checked: the asset's fields, or the problems that stop it."""

    fields: dict[str, Any]
    problems: list[Problem]


def check_record(where: str, props: dict[str, Any], geometry: dict[str, Any] | None) -> AssetDraft:
    """Our fields from one record's properties and WGS 84 geometry, with every problem found."""
    ident = props.get("id")
    feature = f"{where} ({ident})" if isinstance(ident, str | int) and str(ident) else where
    problems: list[Problem] = []

    def problem(name: str, message: str, category: str) -> None:
        problems.append(Problem(feature, name, message, category))

    values = {k: _text(props[k]) for k in OUR_FIELDS if k in props}
    if not values.get("domain") and values.get("kind") in KINDS:
        values["domain"] = KINDS[values["kind"]].value
    for name in (*_REQUIRED, "domain"):
        if not values.get(name):
            problem(name, "is missing or empty", "missing")
    if any(c in values.get("id", "") for c in "/+#"):
        problem("id", "must not contain '/', '+' or '#'", "invalid")
    kind, domain = values.get("kind"), values.get("domain")
    if domain and domain not in _DOMAINS:
        problem("domain", f"is {domain!r}, expected one of {[d.value for d in Domain]}", "unknown value")
    elif kind in KINDS and domain and KINDS[kind] != domain:
        problem("kind", f"{kind!r} belongs to domain {KINDS[kind].value!r}", "invalid")
    lon, lat, outline = _place(geometry, problem)
    aliases = props.get("aliases") or []
    if isinstance(aliases, str):
        aliases = [a for a in aliases.split(";") if a]
    if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
        problem("aliases", "must be a list of strings", "invalid")
        aliases = []
    attrs = {k: v for k, v in props.items() if k not in OUR_FIELDS and v not in (None, "")}
    if outline is not None:
        attrs["outline"] = outline
    fields = {**values, "lon": lon, "lat": lat, "aliases": tuple(aliases), "attrs": attrs}
    return AssetDraft(fields, problems)


def _place(geometry: dict[str, Any] | None, problem: Callable[[str, str, str], None]) -> tuple[float, float, Any]:
    """Position and, for lines and polygons, the outline kept for the map."""
    if geometry is None:
        problem("geometry", "is missing (a point, or lon/lat columns)", "missing")
        return 0.0, 0.0, None
    coords = geometry.get("coordinates")
    if geometry.get("type") == "Point" and isinstance(coords, list) and not all(
        isinstance(c, int | float) for c in coords[:2]
    ):
        problem("lon/lat", f"must be numbers, got {coords[:2]}", "not a number")
        return 0.0, 0.0, None
    try:
        lon, lat = position(geometry)
    except (ValueError, TypeError, IndexError, KeyError):
        problem("geometry", f"is not a usable {geometry.get('type', 'geometry')}", "invalid")
        return 0.0, 0.0, None
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        problem("coordinates", f"out of range ({lon}, {lat}): is the CRS declared?", "out of range")
    return lon, lat, None if geometry.get("type") == "Point" else geometry


def _text(value: Any) -> str:
    if type(value) is str:
        return value.strip()
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()
