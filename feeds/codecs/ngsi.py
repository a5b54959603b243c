"""FIWARE Smart Data Models over NGSI-LD: entities (normalized or keyValues) and notifications.

Accepted documents: one entity, an array of entities, or a notification ``{"type": "Notification",
"data": [...]}``. Normalized attributes are ``{"type": "Property", "value": ..., "observedAt": ...,
"unitCode": ...}``; keyValues attributes are plain values. Relationships and geo-properties are skipped.
"""

from __future__ import annotations

from feeds.codecs.context import ForeignContext, MeasurementBatch
from feeds.codecs.metric_names import map_metric
from feeds.codecs.schema import json_type, shorten
from feeds.inventory import Asset
from feeds.model import Reading
from feeds.rejection import Reason, Rejected

ENTITY_DOMAINS: dict[str, str] = {
    "Streetlight": "lighting",
    "StreetlightGroup": "lighting",
    "StreetlightControlCabinet": "lighting",
    "WasteContainer": "waste",
    "WaterQualityObserved": "water",
    "WaterObserved": "water",
    "Building": "heating",
}
"""Smart Data Models entity types and the domain of the assets they can describe."""

_OBSERVATION_TIMES = ("dateObserved", "observationDateTime", "TimeInstant")
_NOT_MEASUREMENTS = frozenset({"id", "type", "@context", "location", "dateCreated", "dateModified"})
_SKIPPED_TYPES = frozenset({"Relationship", "GeoProperty", "geo:json"})


def decode_ngsi(doc: object, context: ForeignContext) -> list[Reading]:
    """Measurements of every entity in the document; one per entity and observation time."""
    entities, notified_at = _entities(doc)
    reader = _EntityReader(context, context.timestamp(_plain(notified_at), None))
    for index, entity in enumerate(entities):
        reader.read(entity, index)
    return reader.batch.measurements("NGSI-LD document")


def _entities(doc: object) -> tuple[list, object]:
    if type(doc) is list:
        return doc, None
    if type(doc) is not dict:
        raise Rejected(Reason.BAD_SCHEMA, f"expected an NGSI-LD entity or notification, got {json_type(doc)}")
    if ("data" in doc and "id" not in doc) or doc.get("type") == "Notification":
        data = doc.get("data")
        if type(data) is not list:
            raise Rejected(Reason.BAD_SCHEMA, f"notification 'data' must be an array, got {json_type(data)}")
        return data, doc.get("notifiedAt")
    return [doc], None


class _EntityReader:
    """Maps entities' attributes into one batch; ``default_ms`` is the notification's time, or now."""

    def __init__(self, context: ForeignContext, default_ms: int) -> None:
        self.context = context
        self.default_ms = default_ms
        self.batch = MeasurementBatch()

    def read(self, entity: object, index: int) -> None:
        if type(entity) is not dict:
            raise Rejected(Reason.BAD_SCHEMA, f"entity {index} must be an object, got {json_type(entity)}")
        entity_id = entity.get("id")
        if type(entity_id) is not str or not entity_id:
            raise Rejected(Reason.BAD_SCHEMA, f"entity {index} has no string 'id'")
        asset = self.context.resolve(entity_id)
        if asset is None:
            detail = f"entity {shorten(entity_id)!r} names no asset of the inventory"
            raise Rejected(Reason.UNKNOWN_ASSET, detail)
        _check_type(entity.get("type"), asset)
        entity_ms = self._entity_time(entity, asset)
        for name, attribute in entity.items():
            if name not in _NOT_MEASUREMENTS and name not in _OBSERVATION_TIMES:
                self._read_attribute(_short_name(name), attribute, asset, entity_ms)

    def _read_attribute(self, name: str, attribute: object, asset: Asset, entity_ms: int) -> None:
        unit = None
        ts_ms = entity_ms
        if type(attribute) is dict:
            if attribute.get("type") in _SKIPPED_TYPES or "value" not in attribute:
                return
            value = _plain(attribute["value"])
            unit = attribute.get("unitCode")
            if type(unit) is not str:
                unit = None
            if "observedAt" in attribute:
                ts_ms = self.context.timestamp(attribute["observedAt"], asset.id)
        else:
            value = attribute
        if type(value) is dict or type(value) is list:
            return
        mapped = map_metric(asset.kind, name, value, unit, asset.id)
        if mapped is None:
            self.batch.ignore(asset, name)
        else:
            self.batch.add(asset, ts_ms, *mapped)

    def _entity_time(self, entity: dict, asset: Asset) -> int:
        for name in _OBSERVATION_TIMES:
            if name in entity:
                attribute = entity[name]
                value = _plain(attribute.get("value") if type(attribute) is dict else attribute)
                return self.default_ms if value is None else self.context.timestamp(value, asset.id)
        return self.default_ms


def _check_type(entity_type: object, asset: Asset) -> None:
    if entity_type is not None and type(entity_type) is not str:
        detail = f"entity 'type' must be a string, got {json_type(entity_type)}"
        raise Rejected(Reason.BAD_SCHEMA, detail, asset.id)
    domain = ENTITY_DOMAINS.get(_short_name(entity_type)) if entity_type else None
    if domain is not None and domain != asset.domain:
        raise Rejected(
            Reason.DOMAIN_MISMATCH,
            f"a {entity_type} entity cannot describe {asset.kind} {asset.id} (domain {asset.domain})",
            asset.id,
        )


def _plain(value: object) -> object:
    """The value of a JSON-LD typed literal (``{"@type": "DateTime", "@value": ...}``)."""
    return value.get("@value") if type(value) is dict and "@value" in value else value


def _short_name(name: str) -> str:
    """``https://smartdatamodels.org/dataModel.WasteManagement/fillingLevel`` -> ``fillingLevel``."""
    if "/" in name or "#" in name:
        return name.rsplit("/", 1)[-1].rsplit("#", 1)[-1]
    return name
