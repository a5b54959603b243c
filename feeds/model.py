"""Value objects that flow from the field to the engine: measurements, status updates, raw messages.

They are made for every message a city sends, so they are msgspec structs that the garbage collector
does not track: they hold no other object that could refer back to them, and a backlog makes hundreds
of thousands a second, each tracked one counting towards a collection. They also build in half the time
of a slotted dataclass. Nothing changes them once made. Readings encode as JSON arrays (``[asset_id,
domain, ts_ms, metrics]``), the compact form in which the historian hands thousands at once to SQLite.
"""

from __future__ import annotations

from enum import StrEnum

import msgspec

MetricValue = float | int | bool | str


class Domain(StrEnum):
    """The four city networks the console supervises."""

    LIGHTING = "lighting"
    HEATING = "heating"
    WASTE = "waste"
    WATER = "water"


class Message(msgspec.Struct, gc=False):
    """A payload as it arrived on a topic, from MQTT or the in-process bus."""

    topic: str
    payload: bytes
    retain: bool = False
    qos: int = 0


class Measurement(msgspec.Struct, gc=False, array_like=True):
    """Metrics of one asset at one instant (epoch milliseconds, UTC)."""

    asset_id: str
    domain: str
    ts_ms: int
    metrics: dict[str, MetricValue] = msgspec.field(default_factory=dict)


class StatusUpdate(msgspec.Struct, gc=False, array_like=True):
    """Whether a device is connected, from its retained status topic or last will."""

    asset_id: str
    domain: str
    ts_ms: int
    online: bool


Reading = Measurement | StatusUpdate
