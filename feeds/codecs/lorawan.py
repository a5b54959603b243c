"""LoRaWAN network-server uplinks: The Things Stack v3 and ChirpStack v4, after their payload decoders.

We read what the network server's payload formatter (TTS) or device-profile codec (ChirpStack) decoded:
``uplink_message.decoded_payload`` (else TTS's ``normalized_payload``) or ``object``. Its keys are
mapped through the device's profile (assets/devices/, matched by the asset's ``device_profile`` or by
the device model the network server names), else through the asset's kind; keys that already are our
metric names pass unchanged. A value given as ``{"value": ..., "unit": ...}`` carries its unit.
ChirpStack ``status`` events give the battery level; its other events carry no measurement.
"""

from __future__ import annotations

from feeds.codecs.context import ForeignContext, MeasurementBatch
from feeds.codecs.mapping import Mapped, map_metric
from feeds.codecs.schema import json_type, shorten
from feeds.inventory import Asset
from feeds.model import Reading
from feeds.rejection import Reason, Rejected

_ZERO_TIME = "0001-01-01T00:00:00Z"
"""What The Things Stack writes for an unset time (simulated uplinks have it in ``received_at``)."""

_CHIRPSTACK_EVENTS: tuple[tuple[str, str], ...] = (
    ("acknowledged", "ack"),
    ("downlinkId", "txack"),
    ("code", "log"),
    ("location", "location"),
    ("integrationName", "integration"),
    ("devAddr", "join"),
)
"""ChirpStack v4 events without a measurement, told apart by a field only they have (``up`` has ``fCnt``)."""


def decode_tts(doc: object, context: ForeignContext) -> list[Reading]:
    """A The Things Stack v3 uplink message (``end_device_ids``, ``uplink_message``)."""
    message = _object(doc, "The Things Stack message")
    ids = message.get("end_device_ids")
    if type(ids) is not dict:
        raise Rejected(Reason.BAD_SCHEMA, "'end_device_ids' is missing or not an object")
    uplink = message.get("uplink_message")
    if type(uplink) is not dict:
        raise Rejected(Reason.BAD_SCHEMA, "not an uplink: 'uplink_message' is missing or not an object")
    asset = _device(context, ids.get("device_id"), ids.get("dev_eui"))
    decoded, field = uplink.get("decoded_payload"), "decoded_payload"
    if decoded is None and uplink.get("normalized_payload") is not None:
        decoded, field = _normalized(uplink["normalized_payload"]), "normalized_payload"
    if decoded is None:
        detail = "uplink has no 'decoded_payload': set a payload formatter on the device"
        raise Rejected(Reason.NO_METRICS, detail, asset.id)
    received = uplink.get("received_at")
    if received in (None, _ZERO_TIME):
        received = message.get("received_at")
    versions = uplink.get("version_ids")
    model = f"{versions.get('brand_id')}/{versions.get('model_id')}" if type(versions) is dict else None
    return _measurements(decoded, field, context.timestamp(received, asset.id), asset, context, model)


def _normalized(normalized: object) -> object:
    """TTS's normalized payload: a list of measurements in its own schema (``air.temperature`` in °C,
    ``battery`` in V), flattened to dotted names with their documented units; the first one is used."""
    if type(normalized) is list:
        normalized = normalized[0] if normalized else {}
    if type(normalized) is not dict:
        return normalized
    flat: dict[str, object] = {}
    for group, values in normalized.items():
        if type(values) is dict:
            for name, value in values.items():
                flat[f"{group}.{name}"] = value
        else:
            flat[group] = values
    units = {"air.temperature": "Cel", "soil.temperature": "Cel", "water.temperature": "Cel", "battery": "V"}
    return {
        name.rpartition(".")[2] if name in units else name: {"value": value, "unit": units[name]}
        if name in units else value
        for name, value in flat.items()
    }


def decode_chirpstack(doc: object, context: ForeignContext) -> list[Reading]:
    """A ChirpStack v4 event: ``up`` (``object``), ``status`` (battery level); others are refused as such."""
    event = _object(doc, "ChirpStack event")
    info = event.get("deviceInfo")
    if type(info) is not dict:
        raise Rejected(Reason.BAD_SCHEMA, "'deviceInfo' is missing or not an object")
    asset = _device(context, info.get("devEui"), info.get("deviceName"))
    ts_ms = context.timestamp(event.get("time"), asset.id)
    if "fCnt" not in event and ("batteryLevel" in event or "margin" in event):
        return _status(event, ts_ms, asset)
    decoded = event.get("object")
    if decoded is None:
        kind = next((name for key, name in _CHIRPSTACK_EVENTS if key in event), None)
        if kind is not None and "fCnt" not in event:
            detail = f"a ChirpStack {kind} event carries no measurement; route only up and status events here"
            raise Rejected(Reason.NO_METRICS, detail, asset.id)
        raise Rejected(Reason.NO_METRICS, "uplink has no 'object': set a codec in the device profile", asset.id)
    model = info.get("deviceProfileName")
    return _measurements(decoded, "object", ts_ms, asset, context, model if type(model) is str else None)


def _status(event: dict, ts_ms: int, asset: Asset) -> list[Reading]:
    """A status event: ``batteryLevel`` is a percentage, unless the device is mains powered or cannot say."""
    if event.get("externalPowerSource") or event.get("batteryLevelUnavailable") or "batteryLevel" not in event:
        detail = "status event without a battery level (mains powered, or level unavailable)"
        raise Rejected(Reason.NO_METRICS, detail, asset.id)
    batch = MeasurementBatch()
    batch.add_all(asset, ts_ms, "batteryLevel", map_metric(asset, "battery_pct", event["batteryLevel"], "%"))
    return batch.measurements("status event")


def _object(doc: object, what: str) -> dict:
    if type(doc) is not dict:
        raise Rejected(Reason.BAD_SCHEMA, f"a {what} is a JSON object, got {json_type(doc)}")
    return doc


def _device(context: ForeignContext, *names: object) -> Asset:
    asset = context.resolve_device(*names)
    if asset is None:
        shown = [shorten(n, 40) for n in names if type(n) is str and n]
        if not shown:
            raise Rejected(Reason.BAD_SCHEMA, "the uplink names no device (no device id, name or DevEUI)")
        raise Rejected(Reason.UNKNOWN_ASSET, f"device {shown} is not in the inventory (by id or alias)")
    return asset


def _measurements(
    decoded: object, field: str, ts_ms: int, asset: Asset, context: ForeignContext, model: str | None
) -> list[Reading]:
    if type(decoded) is not dict:
        raise Rejected(Reason.BAD_SCHEMA, f"'{field}' must be an object, got {json_type(decoded)}", asset.id)
    profile = context.profiles.for_device(asset, model) if context.profiles is not None else None
    batch = MeasurementBatch()
    for key, given in decoded.items():
        value, unit = given, None
        if type(given) is dict and "value" in given:
            value, unit = given["value"], given.get("unit") if type(given.get("unit")) is str else None
        mapped: list[Mapped] | None = profile.map(asset, key, value, unit) if profile is not None else None
        if mapped is None:
            nested = type(value) is dict or type(value) is list
            mapped = [] if nested else map_metric(asset, key, value, unit)
        batch.add_all(asset, ts_ms, key, mapped)
    return batch.measurements("uplink")
