"""FIWARE Smart Data Models over NGSI-LD and NGSI v2: entities, notifications, GeoJSON representations.

Accepted documents: one entity, an array of entities, a notification ``{"type": "Notification",
"data": [...]}`` (NGSI v2: ``{"subscriptionId": ..., "data": [...]}``), or the GeoJSON representation
(a Feature or a FeatureCollection whose properties are the entity's attributes). Normalized attributes
are ``{"type": "Property", "value": ..., "observedAt": ..., "unitCode": ...}`` (NGSI v2: ``metadata``
with ``TimeInstant`` and ``unitCode``); keyValues attributes are plain values; a multi-instance
attribute is an array of instances told apart by ``datasetId``. Relationships and geo-properties are
skipped. In a notification, an entity that names no asset is refused on its own: the others are used.
"""

from __future__ import annotations

from feeds.codecs.context import ForeignContext, MeasurementBatch
from feeds.codecs.mapping import map_metric
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
_SKIPPED_TYPES = frozenset({"Relationship", "GeoProperty", "geo:json", "geo:point", "LanguageProperty"})


def decode_ngsi(doc: object, context: ForeignContext) -> list[Reading]:
    """Measurements of every entity in the document; one per entity and observation time."""
    entities, notified_at = _entities(doc)
    reader = _EntityReader(context, context.timestamp(_plain(notified_at), None))
    several = len(entities) > 1
    for index, entity in enumerate(entities):
        try:
            reader.read(entity, index)
        except Rejected as exc:
            if not several or exc.reason is not Reason.UNKNOWN_ASSET:
                raise
            context.parts_rejected.append(exc)
    if not reader.batch.groups and context.parts_rejected:
        raise context.parts_rejected.pop(0)
    return reader.batch.measurements("NGSI document")


def _entities(doc: object) -> tuple[list, object]:
    if type(doc) is list:
        return doc, None
    if type(doc) is not dict:
        raise Rejected(Reason.BAD_SCHEMA, f"expected an NGSI entity or notification, got {json_type(doc)}")
    if doc.get("type") == "FeatureCollection":
        features = doc.get("features")
        if type(features) is not list:
            raise Rejected(Reason.BAD_SCHEMA, f"'features' must be an array, got {json_type(features)}")
        return [_from_feature(f) for f in features], None
    if doc.get("type") == "Feature":
        return [_from_feature(doc)], None
    if ("data" in doc and "id" not in doc) or doc.get("type") == "Notification":
        data = doc.get("data")
        if type(data) is not list:
            raise Rejected(Reason.BAD_SCHEMA, f"notification 'data' must be an array, got {json_type(data)}")
        return data, doc.get("notifiedAt")
    return [doc], None


def _from_feature(feature: object) -> object:
    """The entity a GeoJSON Feature represents: its id, and its properties as attributes."""
    if type(feature) is not dict or type(feature.get("properties")) is not dict:
        return feature
    return {"id": feature.get("id"), **feature["properties"]}


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
                if type(attribute) is list and attribute and all(type(i) is dict for i in attribute):
                    self._read_instances(_short_name(name), attribute, asset, entity_ms)
                else:
                    self._read_attribute(_short_name(name), attribute, asset, entity_ms)

    def _read_instances(self, name: str, instances: list[dict], asset: Asset, entity_ms: int) -> None:
        """A multi-instance attribute: every instance is read; the default one (no ``datasetId``) last,
        so that it is the value kept when two instances share one time."""
        ordered = sorted(instances, key=lambda i: "datasetId" not in i)
        for instance in ordered:
            self._read_attribute(name, instance, asset, entity_ms)

    def _read_attribute(self, name: str, attribute: object, asset: Asset, entity_ms: int) -> None:
        unit = None
        ts_ms = entity_ms
        if type(attribute) is dict:
            if attribute.get("type") in _SKIPPED_TYPES or "value" not in attribute:
                return
            value = _plain(attribute["value"])
            unit = _unit_code(attribute)
            observed = attribute.get("observedAt", _metadata_value(attribute, "TimeInstant"))
            if observed is not None:
                ts_ms = self.context.timestamp(_interval_end(observed), asset.id)
        else:
            value = attribute
        if type(value) is dict or type(value) is list:
            return
        self.batch.add_all(asset, ts_ms, name, map_metric(asset, name, value, unit))

    def _entity_time(self, entity: dict, asset: Asset) -> int:
        for name in _OBSERVATION_TIMES:
            if name in entity:
                attribute = entity[name]
                value = _plain(attribute.get("value") if type(attribute) is dict else attribute)
                if value is None:
                    return self.default_ms
                return self.context.timestamp(_interval_end(value), asset.id)
        return self.default_ms


def _unit_code(attribute: dict) -> str | None:
    unit = attribute.get("unitCode", _metadata_value(attribute, "unitCode"))
    return unit if type(unit) is str else None


def _metadata_value(attribute: dict, name: str) -> object:
    """NGSI v2 metadata: ``"metadata": {"TimeInstant": {"type": "DateTime", "value": ...}}``."""
    metadata = attribute.get("metadata")
    item = metadata.get(name) if type(metadata) is dict else None
    return item.get("value") if type(item) is dict else None


def _interval_end(value: object) -> object:
    """``start/end`` (an ISO 8601 interval, as ``dateObserved`` may be): the observation ended at ``end``."""
    if type(value) is str and "/" in value:
        return value.rpartition("/")[2]
    return value


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
