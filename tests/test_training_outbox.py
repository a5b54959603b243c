"""The sandbox city's outbox: what the drill's loop hands over leaves in order, and nothing is left at its end."""

from __future__ import annotations

import asyncio

from feeds.broker import BrokerSettings
from feeds.links import Links
from feeds.mosquitto import Mosquitto
from feeds.mqtt import MqttTransport
from hypervisor.training.outbox import Outbox
from tests.engine_harness import wait_for


def test_every_message_handed_over_reaches_the_broker_in_order(mosquitto: Mosquitto) -> None:
    count = 3000
    received: list[bytes] = []

    async def main() -> None:
        spy = MqttTransport(BrokerSettings.from_url(mosquitto.url), "outbox-spy", persistent=False)
        async with spy:
            await spy.subscribe("hv/train/o/#", 1)
            await spy.wait_connected(10)

            async def listen() -> None:
                async for message in spy.messages():
                    received.append(message.payload)

            listening = asyncio.create_task(listen())
            async with Outbox(Links(), mosquitto.url, "hv-train-o-city") as outbox:
                for n in range(count):  # never yields to the loop: the outbox sends from its own
                    outbox.publish_nowait("hv/train/o/lighting/L-1/telemetry", str(n).encode(), 1)
            assert outbox.backlog == 0 and outbox.sent == count
            await wait_for(lambda: len(received) == count)
            listening.cancel()
            await asyncio.gather(listening, return_exceptions=True)

    asyncio.run(main())
    assert received == [str(n).encode() for n in range(count)]
