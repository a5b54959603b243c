"""Every worked example of docs/integrators-devices.md stores what the page says it stores."""

from __future__ import annotations

import re
from pathlib import Path

import orjson
import pytest

from feeds.decoding import Decoder
from feeds.inventory import Asset, Inventory
from tests.decoding_fixtures import FixedClock, city_inventory, message

PAGE = (Path(__file__).parents[1] / "docs" / "integrators-devices.md").read_text(encoding="utf-8")
EXAMPLES = re.findall(r"topic `([^`]+)`, stores `([^`]+)`:\n\n```json\n(.*?)```", PAGE, re.DOTALL)


def _decoder() -> Decoder:
    assets = [*city_inventory(), Asset("W-P-013", "water", "pressure_sensor", "Centre", 5.04, 47.32,
                                       aliases=("em500-pp-12",))]
    return Decoder(Inventory(assets), clock=FixedClock())


def test_the_page_has_an_example_per_system() -> None:
    assert {topic.split("/")[3] for topic, _, _ in EXAMPLES} == {"tts", "chirpstack", "ngsi-ld", "senml"}


@pytest.mark.parametrize(("topic", "stored", "payload"), EXAMPLES, ids=[e[0] for e in EXAMPLES])
def test_worked_example_stores_what_the_page_says(topic: str, stored: str, payload: str) -> None:
    readings = _decoder().decode(message(topic, orjson.loads(payload)))
    merged: dict = {}
    for reading in readings:
        merged.update(reading.metrics)  # type: ignore[union-attr]
    assert merged == orjson.loads(stored)
