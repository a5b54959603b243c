"""Readings as contract-v1 messages (what devices and the simulator publish)."""

from __future__ import annotations

import orjson

from feeds.model import Measurement, Message, Reading
from feeds.topics import Topics


def encode_reading(reading: Reading, topics: Topics, qos: int = 1) -> Message:
    """A measurement becomes telemetry; a status update becomes a retained status message."""
    if isinstance(reading, Measurement):
        body = orjson.dumps({"ts": reading.ts_ms, "metrics": reading.metrics})
        return Message(topics.telemetry(reading.domain, reading.asset_id), body, False, qos)
    body = orjson.dumps({"ts": reading.ts_ms, "online": reading.online})
    return Message(topics.status(reading.domain, reading.asset_id), body, True, qos)
