"""Timestamps of incoming payloads: epoch milliseconds or ISO 8601, checked against the clock."""

from __future__ import annotations

import math
from datetime import UTC, datetime

from feeds.codecs.schema import json_type, shorten
from feeds.rejection import Reason, Rejected

EPOCH_2000_MS = 946_684_800_000
"""Anything older is a device with an unset clock, not a measurement."""

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MAX_ISO_CHARS = 64


def parse_timestamp(value: object, now_ms: int, max_future_ms: int, asset_id: str | None = None) -> int:
    """Epoch milliseconds from a number (epoch ms) or an ISO 8601 string; naive times are UTC."""
    if isinstance(value, str):
        ms = iso_to_ms(value, asset_id)
    elif isinstance(value, bool) or not isinstance(value, int | float):
        raise Rejected(
            Reason.BAD_TIMESTAMP,
            f"timestamp must be epoch milliseconds or an ISO 8601 string, got {json_type(value)}",
            asset_id,
        )
    elif not math.isfinite(value):
        raise Rejected(Reason.NOT_FINITE, f"timestamp is {value}", asset_id)
    else:
        ms = int(value)
    return check_range(ms, now_ms, max_future_ms, asset_id)


def iso_to_ms(text: str, asset_id: str | None = None) -> int:
    """Parse ISO 8601 (``Z`` or offset, fractions down to nanoseconds) to epoch milliseconds."""
    try:
        if len(text) > _MAX_ISO_CHARS:
            raise ValueError("too long")
        moment = datetime.fromisoformat(text)
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        delta = moment - _EPOCH
    except (ValueError, OverflowError):
        raise Rejected(
            Reason.BAD_TIMESTAMP, f"timestamp {shorten(text, _MAX_ISO_CHARS)!r} is not ISO 8601", asset_id
        ) from None
    return (delta.days * 86_400 + delta.seconds) * 1000 + delta.microseconds // 1000


def check_range(ms: int, now_ms: int, max_future_ms: int, asset_id: str | None = None) -> int:
    """Refuse times before 2000 (unset device clocks) and times too far ahead of our clock."""
    if ms < EPOCH_2000_MS:
        hint = " (it looks like seconds; milliseconds are expected)" if ms >= EPOCH_2000_MS // 1000 else ""
        raise Rejected(Reason.BAD_TIMESTAMP, f"timestamp {ms} is before 2000-01-01{hint}", asset_id)
    if ms > now_ms + max_future_ms:
        raise Rejected(
            Reason.FUTURE_TIMESTAMP,
            f"timestamp {describe_ms(ms)} is {(ms - now_ms) / 1000:.0f} s ahead of the clock "
            f"(limit {max_future_ms / 1000:.0f} s)",
            asset_id,
        )
    return ms


def describe_ms(ms: int) -> str:
    """ISO 8601 for humans, or the raw number when it is beyond the calendar."""
    try:
        return datetime.fromtimestamp(ms / 1000, tz=UTC).isoformat(timespec="milliseconds")
    except (ValueError, OverflowError, OSError):
        return str(ms)
