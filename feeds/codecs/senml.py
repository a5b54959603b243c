"""SenML (RFC 8428) JSON packs: base fields, relative times, several assets in one pack.

Each record's name is ``bn + n``. The asset is found from the base name (``urn:dev:hv:W-P-012:``), from
the whole name, or from the part before the last ``:`` or ``/``; what remains names the measurement,
which with the unit (``u``/``bu``) and the asset's kind gives our metric. LwM2M gateways name resources
by IPSO path (``3303/0/5700``: object, instance, resource), mapped through ``IPSO_RESOURCES``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from feeds.codecs.context import ForeignContext, MeasurementBatch
from feeds.codecs.mapping import Mapped, map_metric, metric_for_unit
from feeds.codecs.schema import json_type, shorten
from feeds.inventory import Asset
from feeds.model import MetricValue, Reading
from feeds.rejection import Reason, Rejected
from feeds.units import unit_named

RELATIVE_TIME_LIMIT_S = 2**28
"""RFC 8428 section 4.5.3: resolved times below 2**28 s are relative to now."""

_VALUE_FIELDS = ("v", "vs", "vb", "vd")
_IPSO_PATH = re.compile(r"^(.*?)/?(\d+)/\d+/(\d+)$")

IPSO_RESOURCES: dict[tuple[int, int], tuple[str, str | None]] = {
    (3303, 5700): ("temperature", "Cel"),
    (3323, 5700): ("pressure", None),
    (3320, 5700): ("filllevel", "%"),
    (3330, 5700): ("distance", "m"),
    (3316, 5700): ("voltage", "V"),
    (3328, 5700): ("power", "W"),
    (3, 9): ("battery", "%"),
}
"""IPSO/LwM2M (object, resource) -> our foreign name and the unit the object defines (None: from ``u``)."""
_FAR_S = 1e15  # far beyond any accepted time; keeps the arithmetic in integers


@dataclass(slots=True)
class _Base:
    """Base fields in force: they apply to every following record until a record changes them."""

    name: str = ""
    time: float = 0.0
    unit: str | None = None
    value: float = 0.0


def decode_senml(doc: object, context: ForeignContext) -> list[Reading]:
    """Measurements of every asset named in the pack, grouped by asset and resolved time."""
    if type(doc) is not list:
        raise Rejected(Reason.BAD_SCHEMA, f"a SenML pack is a JSON array of records, got {json_type(doc)}")
    pack = _Pack(context)
    for index, record in enumerate(doc):
        pack.read(record, index)
    return pack.batch.measurements("SenML pack")


class _Pack:
    """Reads records in order, carrying the base fields from one record to the next."""

    def __init__(self, context: ForeignContext) -> None:
        self.context = context
        self.base = _Base()
        self.batch = MeasurementBatch()

    def read(self, record: object, index: int) -> None:
        if type(record) is not dict:
            raise Rejected(Reason.BAD_SCHEMA, f"record {index} must be an object, got {json_type(record)}")
        _check_fields(record, index)
        _update_base(self.base, record, index)
        field_name = next((f for f in _VALUE_FIELDS if f in record), None)
        if field_name is not None:
            self._add(record, index, field_name)

    def _add(self, record: dict, index: int, field_name: str) -> None:
        base = self.base
        name = record.get("n", "")
        if type(name) is not str:
            raise Rejected(Reason.BAD_SCHEMA, f"record {index}: 'n' must be a string, got {json_type(name)}")
        asset, measurement = _resolve(self.context, base.name, name, index)
        unit = record.get("u", base.unit)
        if unit is not None and type(unit) is not str:
            raise Rejected(Reason.BAD_SCHEMA, f"record {index}: 'u' must be a string", asset.id)
        ipso = _IPSO_PATH.match(base.name + name)
        if ipso is not None:
            measurement, implied = IPSO_RESOURCES.get((int(ipso[2]), int(ipso[3])), (measurement, None))
            unit = unit or implied
        value = _value(record, field_name, base, index, asset)
        ts_ms = _time_ms(self.context, base, record, index, asset)
        mapped = [] if field_name == "vd" else _map(asset, measurement, value, unit)
        self.batch.add_all(asset, ts_ms, base.name + name or f"record {index} ({unit})", mapped)


def _map(asset: Asset, measurement: str, value: MetricValue, unit: str | None) -> list[Mapped]:
    mapped = map_metric(asset, measurement, value, unit) if measurement else []
    if not mapped and unit is not None and (not measurement or not _is_ratio(unit)):
        # A record named only by its unit (or by a name we do not know, in an unambiguous unit).
        metric = metric_for_unit(asset.kind, unit)
        if metric is not None:
            mapped = map_metric(asset, metric, value, unit)
    return mapped


def _is_ratio(unit: str) -> bool:
    known = unit_named(unit)
    return known is None or known.quantity == "ratio"


def _check_fields(record: dict, index: int) -> None:
    for key in record:
        if key.endswith("_"):
            detail = f"record {index}: field {shorten(key, 40)!r} must be understood and is not"
            raise Rejected(Reason.BAD_SCHEMA, detail)


def _update_base(base: _Base, record: dict, index: int) -> None:
    if "bn" in record:
        if type(record["bn"]) is not str:
            raise Rejected(Reason.BAD_SCHEMA, f"record {index}: 'bn' must be a string")
        base.name = record["bn"]
    if "bt" in record:
        base.time = _number(record["bt"], "bt", index, Reason.BAD_TIMESTAMP)
    if "bu" in record:
        if type(record["bu"]) is not str:
            raise Rejected(Reason.BAD_SCHEMA, f"record {index}: 'bu' must be a string")
        base.unit = record["bu"]
    if "bv" in record:
        base.value = _number(record["bv"], "bv", index, Reason.WRONG_TYPE)


def _resolve(context: ForeignContext, base_name: str, name: str, index: int) -> tuple[Asset, str]:
    """The asset a record belongs to, and the measurement part of its name."""
    if base_name:
        for candidate in (base_name, base_name.rstrip(":/")):
            asset = context.resolve(candidate)
            if asset is not None:
                return asset, name
    full = base_name + name
    if not full:
        raise Rejected(Reason.BAD_SCHEMA, f"record {index} has no name ('bn' + 'n' is empty)")
    asset = context.resolve(full)
    if asset is not None:
        return asset, ""
    ipso = _IPSO_PATH.match(full)
    if ipso is not None and ipso[1]:
        for candidate in (ipso[1], ipso[1].rstrip(":/")):
            asset = context.resolve(candidate)
            if asset is not None:
                return asset, full[len(ipso[1]) :].lstrip("/")
    cut = max(full.rfind(":"), full.rfind("/"))
    if cut > 0:
        for candidate in (full[: cut + 1], full[:cut]):
            asset = context.resolve(candidate)
            if asset is not None:
                return asset, full[cut + 1 :]
    raise Rejected(Reason.UNKNOWN_ASSET, f"SenML name {shorten(full)!r} names no asset of the inventory")


def _value(record: dict, field_name: str, base: _Base, index: int, asset: Asset) -> MetricValue:
    value = record[field_name]
    if field_name == "v":
        number = _number(value, "v", index, Reason.WRONG_TYPE, asset)
        return number + base.value if base.value else number
    expected, described = (bool, "a boolean") if field_name == "vb" else (str, "a string")
    if type(value) is not expected:
        detail = f"record {index}: {field_name!r} must be {described}, got {json_type(value)}"
        raise Rejected(Reason.WRONG_TYPE, detail, asset.id)
    return value


def _time_ms(context: ForeignContext, base: _Base, record: dict, index: int, asset: Asset) -> int:
    seconds = base.time + _number(record.get("t", 0), "t", index, Reason.BAD_TIMESTAMP, asset)
    seconds = max(-_FAR_S, min(seconds, _FAR_S))
    if seconds < RELATIVE_TIME_LIMIT_S:
        return context.check_ms(context.now_ms + round(seconds * 1000), asset.id)
    return context.check_ms(round(seconds * 1000), asset.id)


def _number(value: object, field_name: str, index: int, reason: Reason, asset: Asset | None = None) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise Rejected(
            reason,
            f"record {index}: {field_name!r} must be a number, got {json_type(value)}",
            asset.id if asset else None,
        )
    return value
