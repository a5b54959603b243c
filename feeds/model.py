"""Value objects that flow from the field to the engine: measurements, status updates, raw messages.

They are made for every message a city sends, so they are plain slotted dataclasses: a frozen one
costs four times as much to build. Nothing changes them once made.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

MetricValue = float | int | bool | str


class Domain(StrEnum):
    """The four city networks the console supervises."""

    LIGHTING = "lighting"
    HEATING = "heating"
    WASTE = "waste"
    WATER = "water"


@dataclass(slots=True)
class Message:
    """A payload as it arrived on a topic, from MQTT or the in-process bus."""

    topic: str
    payload: bytes
    retain: bool = False
    qos: int = 0


@dataclass(slots=True)
class Measurement:
    """Metrics of one asset at one instant (epoch milliseconds, UTC)."""

    asset_id: str
    domain: str
    ts_ms: int
    metrics: dict[str, MetricValue] = field(default_factory=dict)


@dataclass(slots=True)
class StatusUpdate:
    """Whether a device is connected, from its retained status topic or last will."""

    asset_id: str
    domain: str
    ts_ms: int
    online: bool


Reading = Measurement | StatusUpdate
