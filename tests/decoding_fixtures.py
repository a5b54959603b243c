"""A small city for decoding tests: one asset of each kind, with the ids other systems know them by."""

from __future__ import annotations

from typing import Any

import orjson

from feeds.decoding import Decoder
from feeds.inventory import Asset, Inventory
from feeds.model import Message

NOW_MS = 1_717_243_200_000
"""2024-06-01T12:00:00Z, the fixed time of every decoding test."""

STREETLIGHT_URN = "urn:ngsi-ld:Streetlight:streetlight:guadalajara:4567"
WASTE_URN = "urn:ngsi-ld:wastecontainer:1021:AAWD"
WATER_URN = "urn:ngsi-ld:WaterQualityObserved:waterqualityobserved:Sevilla:D1"
TTS_DEVICE_ID = "bin-sensor-0101"
TTS_DEV_EUI = "70B3D57ED005B89A"
CHIRPSTACK_DEV_EUI = "A84041000181C61A"


class FixedClock:
    """A clock that does not move, so timestamps in expectations are exact."""

    def __init__(self, now_ms: int = NOW_MS) -> None:
        self.now = now_ms

    def now_ms(self) -> int:
        return self.now


def _asset(asset_id: str, domain: str, kind: str, **extra: Any) -> Asset:
    return Asset(id=asset_id, domain=domain, kind=kind, district="Centre", lon=5.04, lat=47.32, **extra)


def city_inventory() -> Inventory:
    return Inventory(
        [
            _asset("L-C-044", "lighting", "cabinet"),
            _asset("L-000001", "lighting", "luminaire", parent="L-C-044", aliases=(STREETLIGHT_URN,)),
            _asset("L-000002", "lighting", "luminaire", parent="L-C-044"),
            _asset("H-B-001", "heating", "building"),
            _asset("H-K-001", "heating", "boiler", parent="H-B-001"),
            _asset("W-C-0101", "waste", "container", aliases=(WASTE_URN, TTS_DEVICE_ID, TTS_DEV_EUI)),
            _asset("W-C-0102", "waste", "container", aliases=(CHIRPSTACK_DEV_EUI,)),
            _asset("W-P-012", "water", "pressure_sensor", aliases=("urn:dev:hv:W-P-012",)),
            _asset("W-F-003", "water", "flow_meter", aliases=("urn:dev:ow:10e2073a01080063",)),
            _asset("W-R-001", "water", "reservoir"),
            _asset("W-Q-007", "water", "quality_probe", aliases=(WATER_URN,)),
        ]
    )


def make_decoder(**options: Any) -> Decoder:
    return Decoder(city_inventory(), clock=FixedClock(), **options)


def message(topic: str, doc: Any) -> Message:
    """A message whose payload is ``doc`` as JSON, or ``doc`` itself when it already is bytes."""
    return Message(topic, doc if isinstance(doc, bytes) else orjson.dumps(doc))
