"""Contract version 1: ``{"ts": ..., "metrics": {...}}`` telemetry and ``{"ts": ..., "online": ...}`` status.

This is the hot path of ingest (every luminaire of the city reports through it), so checks are plain
type tests and set lookups; the metric-name pattern runs once per distinct name. A metric of the
catalogue (feeds/catalogue.py) must have its type (a number, not the string ``"85"``; a boolean) and
lie in its physical range.

Telemetry first tries ``fast_telemetry``: msgspec parses the document into a struct made from the
catalogue for the asset's kind (each metric typed and bounded by its physical range), so types and
ranges are checked in the same C pass as the parsing. It only accepts what the checks below accept,
with the same values; for anything else (a metric of another kind, a free-form metric, a value out of
range) it steps aside, and the checks below decide, with their reasons.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Annotated, Any

import msgspec

from feeds.catalogue import KIND_METRICS, METRICS, Metric
from feeds.codecs.schema import json_type, shorten
from feeds.codecs.timestamps import EPOCH_2000_MS, parse_timestamp
from feeds.inventory import Asset
from feeds.model import Measurement, StatusUpdate
from feeds.rejection import Reason, Rejected

MAX_STRING_CHARS = 128
_METRIC_NAME = re.compile(r"[A-Za-z0-9_]{1,64}")
_KNOWN_NAMES_LIMIT = 4096

_Int64 = Annotated[int, msgspec.Meta(ge=-(2**63), le=2**63 - 1)]
"""orjson reads integers beyond 64 bits as floats; those go the reference way, where they do."""
_ShortStr = Annotated[str, msgspec.Meta(max_length=MAX_STRING_CHARS)]




def _field_type(metric: Metric) -> object:
    if not metric.is_number:
        return bool | msgspec.UnsetType
    bounds = msgspec.Meta(ge=metric.low, le=metric.high)
    return Annotated[int, bounds] | Annotated[float, bounds] | msgspec.UnsetType


def _telemetry_decoder(name: str, metrics: frozenset[str]) -> msgspec.json.Decoder:
    """A decoder of plain v1 telemetry carrying only ``metrics``, each of its catalogue type and range."""
    fields = [(m, _field_type(METRICS[m]), msgspec.UNSET) for m in sorted(metrics)]
    values = msgspec.defstruct(f"{name}Metrics", fields, forbid_unknown_fields=True, gc=False)
    document = msgspec.defstruct(
        f"{name}Telemetry", [("metrics", values), ("ts", _Int64 | None, None)], forbid_unknown_fields=True, gc=False
    )
    return msgspec.json.Decoder(document)


_FAST_TELEMETRY: dict[str, msgspec.json.Decoder] = {
    kind: _telemetry_decoder(kind.title().replace("_", ""), metrics) for kind, metrics in KIND_METRICS.items()
}
_FAST_ANY_KIND = _telemetry_decoder("AnyKind", frozenset(METRICS))
FAST_ERRORS = (msgspec.MsgspecError, ValueError, RecursionError)  # invalid UTF-8 raises a ValueError
fields_dict = msgspec.to_builtins
"""A fast-decoded document's metrics as a dict (its set fields, in C)."""


def fast_decoder(kind: str) -> Callable[[bytes], Any]:
    """The plain-telemetry decoder of an asset kind: ``.metrics`` (a struct) and ``.ts``, or FAST_ERRORS."""
    return _FAST_TELEMETRY.get(kind, _FAST_ANY_KIND).decode


class V1Codec:
    """Validates parsed v1 documents of a known asset into readings, ``now_ms`` bounding their timestamps."""

    def __init__(self, max_future_ms: int) -> None:
        self._max_future_ms = max_future_ms
        self._names: set[str] = set()

    def fast_telemetry(self, payload: bytes, asset: Asset, now_ms: int) -> Measurement | None:
        """The measurement of a plain, valid telemetry payload; None for anything ``telemetry`` must judge."""
        try:
            doc = fast_decoder(asset.kind)(payload)
        except FAST_ERRORS:
            return None
        metrics = fields_dict(doc.metrics)
        if not metrics:
            return None
        ts = doc.ts
        if ts is None:
            ts = now_ms
        elif not EPOCH_2000_MS <= ts <= now_ms + self._max_future_ms:
            return None
        return Measurement(asset.id, asset.domain, ts, metrics)

    def telemetry(self, doc: object, asset: Asset, now_ms: int) -> Measurement:
        """One measurement; values are numbers, booleans or short strings (JSON numbers are finite)."""
        if type(doc) is not dict:
            raise _bad_schema(f"telemetry must be a JSON object, got {json_type(doc)}", asset)
        metrics = doc.get("metrics")
        if type(metrics) is not dict:
            if "metrics" not in doc:
                raise _bad_schema("'metrics' is missing", asset)
            raise _bad_schema(f"'metrics' must be an object, got {json_type(metrics)}", asset)
        if not metrics:
            raise Rejected(Reason.NO_METRICS, "'metrics' is empty", asset.id)
        names = self._names
        for name, value in metrics.items():
            if name not in names:
                self._learn_name(name, asset)
            kind = type(value)
            if name in METRICS:
                _check_catalogued(name, value, asset)
            elif kind is str:
                if len(value) > MAX_STRING_CHARS:
                    raise Rejected(
                        Reason.WRONG_TYPE,
                        f"metric {name!r} is a string of {len(value)} characters (limit {MAX_STRING_CHARS})",
                        asset.id,
                    )
            elif kind is not float and kind is not int and kind is not bool:
                raise Rejected(
                    Reason.WRONG_TYPE,
                    f"metric {name!r} must be a number, boolean or string, got {json_type(value)}",
                    asset.id,
                )
        return Measurement(asset.id, asset.domain, self._timestamp(doc, asset, now_ms), metrics)

    def status(self, doc: object, asset: Asset, now_ms: int) -> StatusUpdate:
        """Whether the device is connected (its retained status or last will)."""
        if type(doc) is not dict:
            raise _bad_schema(f"status must be a JSON object, got {json_type(doc)}", asset)
        online = doc.get("online")
        if type(online) is not bool:
            if "online" not in doc:
                raise _bad_schema("'online' is missing", asset)
            detail = f"'online' must be a boolean, got {json_type(online)}"
            raise Rejected(Reason.WRONG_TYPE, detail, asset.id)
        return StatusUpdate(asset.id, asset.domain, self._timestamp(doc, asset, now_ms), online)

    def _timestamp(self, doc: dict, asset: Asset, now: int) -> int:
        ts = doc.get("ts")
        if ts is None:
            return now
        if type(ts) is int and EPOCH_2000_MS <= ts <= now + self._max_future_ms:
            return ts
        return parse_timestamp(ts, now, self._max_future_ms, asset.id)

    def _learn_name(self, name: str, asset: Asset) -> None:
        if _METRIC_NAME.fullmatch(name) is None:
            raise _bad_schema(f"metric name {shorten(name, 70)!r} is not 1-64 of [A-Za-z0-9_]", asset)
        if len(self._names) < _KNOWN_NAMES_LIMIT:
            self._names.add(name)


def _check_catalogued(name: str, value: object, asset: Asset) -> None:
    """A metric of the catalogue has its type, and a number lies in the metric's physical range."""
    metric = METRICS[name]
    if metric.is_number:
        if type(value) is bool or type(value) not in (int, float):
            detail = f"metric {name!r} must be a number ({metric.display_unit or 'no unit'}), got {_shown(value)}"
            raise Rejected(Reason.WRONG_TYPE, detail, asset.id)
        if not metric.low <= value <= metric.high:
            detail = f"metric {name!r} is {value:g} {metric.display_unit}, outside {metric.describe_range()}"
            raise Rejected(Reason.OUT_OF_RANGE, detail.replace("  ", " "), asset.id)
    elif type(value) is not bool:
        raise Rejected(Reason.WRONG_TYPE, f"metric {name!r} must be a boolean, got {_shown(value)}", asset.id)


def _shown(value: object) -> str:
    """``a string ("85")``: the JSON type, and a short string's text, which is usually the mistake."""
    if type(value) is str:
        return f"a string ({shorten(value, 40)!r})"
    return json_type(value)


def _bad_schema(detail: str, asset: Asset) -> Rejected:
    return Rejected(Reason.BAD_SCHEMA, detail, asset.id)
