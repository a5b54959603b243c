"""The MQTT intake acknowledges a message only when its consumer says so, on the batching path and on
paho's stock path, which it takes (and says so) when a hooked paho name is missing or behaves otherwise."""

from __future__ import annotations

import asyncio
import logging

import aiomqtt
import pytest

import feeds.mqtt_probe as probe
from feeds.broker import BrokerSettings
from feeds.model import Message
from feeds.mosquitto import Mosquitto
from feeds.mqtt import MqttTransport
from feeds.mqtt_probe import private_hooks_problem

TOPIC = "hv/v1/water/W-P-001/telemetry"


def test_the_installed_paho_and_aiomqtt_have_and_do_what_the_intake_hooks() -> None:
    async def check() -> str | None:
        return private_hooks_problem(aiomqtt.Client("127.0.0.1", 1883))

    assert asyncio.run(check()) is None


def test_a_paho_whose_packet_state_looks_otherwise_is_not_trusted() -> None:
    async def check() -> str | None:
        client = aiomqtt.Client("127.0.0.1", 1883)
        client._client._in_packet = [0, b""]  # type: ignore[assignment]
        return private_hooks_problem(client)

    assert "_in_packet" in (asyncio.run(check()) or "")


async def take(link: MqttTransport, count: int) -> list[Message]:
    taken: list[Message] = []
    async for batch in link.batches():
        taken += batch
        if len(taken) >= count:
            break
    return taken


async def round_of(mosquitto: Mosquitto, acknowledge: bool, publish: list[bytes]) -> list[bytes]:
    """Connect the consumer's persistent session, publish, take what comes, acknowledge it or not, leave."""
    settings = BrokerSettings.from_url(mosquitto.url)
    async with MqttTransport(settings, "hv-intake", persistent=True) as link, \
            MqttTransport(settings, "hv-intake-field", persistent=False) as field:
        link.settle_by_consumer()
        await link.subscribe(TOPIC, 1)
        await link.wait_connected(10)
        await field.wait_connected(10)
        for payload in publish:
            await field.publish(TOPIC, payload, qos=1)
        taken = await asyncio.wait_for(take(link, 3), 20)
        owed = link.owed()
        assert sum(receipt.count for receipt in owed) == len(taken)
        if acknowledge:
            link.acknowledge(owed)
        return [m.payload for m in taken]


@pytest.mark.parametrize("path", ["batching", "stock"])
def test_only_acknowledged_messages_are_not_delivered_again(
        mosquitto: Mosquitto, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture, path: str) -> None:
    if path == "stock":  # as if a paho release had renamed a method the batching path replaces
        monkeypatch.setattr(probe, "_PAHO_METHODS", (*probe._PAHO_METHODS, "_handle_publish_renamed"))
    caplog.set_level(logging.WARNING, "feeds.mqtt_wire")
    first = [b'{"n": 1}', b'{"n": 2}', b'{"n": 3}']

    async def scenario() -> tuple[list[bytes], list[bytes], list[bytes]]:
        taken = await round_of(mosquitto, False, first)
        again = await round_of(mosquitto, True, [])
        after = await round_of(mosquitto, True, [b'{"n": 4}', b'{"n": 5}', b'{"n": 6}'])
        return taken, again, after

    taken, again, after = asyncio.run(scenario())

    assert taken == first
    assert again == first  # not acknowledged: the broker kept them
    assert after == [b'{"n": 4}', b'{"n": 5}', b'{"n": 6}']  # acknowledged: gone from the session
    fell_back = [r for r in caplog.records if "falls back to paho's stock path" in r.getMessage()]
    assert bool(fell_back) == (path == "stock")
    if fell_back:
        assert "_handle_publish_renamed" in fell_back[0].getMessage()
