"""LoRaWAN network-server uplinks: The Things Stack v3 and ChirpStack v4, after their payload decoders.

We read what the network server's payload formatter (TTS) or device-profile codec (ChirpStack) decoded:
``uplink_message.decoded_payload`` or ``object``. Its keys are mapped to our metrics through the asset's
kind; keys that already are our metric names pass unchanged.
"""

from __future__ import annotations

from feeds.codecs.context import ForeignContext, MeasurementBatch
from feeds.codecs.metric_names import map_metric
from feeds.codecs.schema import json_type, shorten
from feeds.inventory import Asset
from feeds.model import Reading
from feeds.rejection import Reason, Rejected


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
    decoded = uplink.get("decoded_payload")
    if decoded is None:
        detail = "uplink has no 'decoded_payload': set a payload formatter on the device"
        raise Rejected(Reason.NO_METRICS, detail, asset.id)
    received = uplink.get("received_at", message.get("received_at"))
    return _measurements(decoded, "decoded_payload", context.timestamp(received, asset.id), asset)


def decode_chirpstack(doc: object, context: ForeignContext) -> list[Reading]:
    """A ChirpStack v4 uplink event (``deviceInfo``, ``time``, ``object``)."""
    event = _object(doc, "ChirpStack event")
    info = event.get("deviceInfo")
    if type(info) is not dict:
        raise Rejected(Reason.BAD_SCHEMA, "'deviceInfo' is missing or not an object")
    asset = _device(context, info.get("devEui"), info.get("deviceName"))
    decoded = event.get("object")
    if decoded is None:
        raise Rejected(Reason.NO_METRICS, "uplink has no 'object': set a codec in the device profile", asset.id)
    return _measurements(decoded, "object", context.timestamp(event.get("time"), asset.id), asset)


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


def _measurements(decoded: object, field: str, ts_ms: int, asset: Asset) -> list[Reading]:
    if type(decoded) is not dict:
        raise Rejected(Reason.BAD_SCHEMA, f"'{field}' must be an object, got {json_type(decoded)}", asset.id)
    batch = MeasurementBatch()
    for key, value in decoded.items():
        nested = type(value) is dict or type(value) is list
        mapped = None if nested else map_metric(asset.kind, key, value, None, asset.id)
        if mapped is None:
            batch.ignore(asset, key)
        else:
            batch.add(asset, ts_ms, *mapped)
    return batch.measurements("uplink")
