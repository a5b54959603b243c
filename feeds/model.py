"""Value objects that flow from the field to the engine: measurements, status updates, raw messages."""

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


@dataclass(frozen=True, slots=True)
class Message:
    """A payload as it arrived on a topic, from MQTT or the in-process bus."""

    topic: str
    payload: bytes
    retain: bool = False
    qos: int = 0


@dataclass(frozen=True, slots=True)
class Measurement:
    """Metrics of one asset at one instant (epoch milliseconds, UTC)."""

    asset_id: str
    domain: str
    ts_ms: int
    metrics: dict[str, MetricValue] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class StatusUpdate:
    """Whether a device is connected, from its retained status topic or last will."""

    asset_id: str
    domain: str
    ts_ms: int
    online: bool


Reading = Measurement | StatusUpdate
