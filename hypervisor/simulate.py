"""Publish the simulated city on a transport, at real time or faster, and take fault injections."""

from __future__ import annotations

import asyncio
import logging

import orjson

from feeds.clock import Clock
from feeds.encoding import encode_reading
from feeds.inventory import Inventory
from feeds.model import Message
from feeds.simulator import CitySimulator, Fault
from feeds.topics import Topics

log = logging.getLogger(__name__)

PUBLISH_SLICE = 2000
"""Messages published between two turns of the event loop."""


SHORTEST_STEP_S = 0.25
LONGEST_STEP_S = 1.0


def step_for(speed: float) -> float:
    """Wall seconds between two steps: one simulated second, within a quarter of a second and a second.

    Each reading keeps the instant it was due; the step only decides when it is published. A step has a
    fixed cost of its own (the models advance, the clock is published and read by everyone), which at
    speed 1 four steps a second made a quarter of the quiet demo's CPU.
    """
    return min(LONGEST_STEP_S, max(SHORTEST_STEP_S, 1.0 / speed))


def clock_will(topics: Topics) -> Message:
    """A simulator's last will, clearing its retained clock: engines and consoles go back to the wall clock
    when it dies, rather than follow a simulation that no longer runs."""
    return Message(topics.sim_clock, b"", True, 1)


class SimulatorRunner:
    """Steps the simulator on its clock and publishes every reading it produces."""

    def __init__(self, link: object, simulator: CitySimulator, inventory: Inventory, clock: Clock,
                 topics: Topics = Topics(), step_s: float | None = None, speed: float = 1.0) -> None:
        self.link = link
        self.simulator = simulator
        self.inventory = inventory
        self.clock = clock
        self.topics = topics
        self.step_s = step_s if step_s is not None else step_for(speed)
        self.speed = speed
        self.published = 0

    async def run(self) -> None:
        await self.link.subscribe(self.topics.sim_faults, 1)
        faults = asyncio.create_task(self._take_faults(), name="simulator-faults")
        try:
            while True:
                now_ms = self.clock.now_ms()
                # The clock goes first, so an engine knows the simulated time before the readings stamped with it,
                # at QoS 1 so that an engine's persistent session keeps it in order within a backlog too.
                await self.link.publish(self.topics.sim_clock, orjson.dumps({"sim_ms": now_ms, "speed": self.speed}),
                                        1, True)
                await self._publish(self.simulator.step(now_ms))
                await asyncio.sleep(self.step_s)
        finally:
            faults.cancel()
            await asyncio.gather(faults, return_exceptions=True)

    async def clear_clock(self) -> None:
        """On a clean stop, do what the last will does on a crash: no simulated clock stays retained."""
        will = clock_will(self.topics)
        await self.link.publish(will.topic, will.payload, will.qos, will.retain)

    async def _publish(self, readings: list) -> None:
        """Publish in slices, letting the loop run between them: the whole city's first report is 76,000
        messages, and a console on the same loop shows the first slice's values while the rest is sent."""
        nowait = getattr(self.link, "publish_nowait", None)
        for start in range(0, len(readings), PUBLISH_SLICE):
            messages = [encode_reading(r, self.topics) for r in readings[start : start + PUBLISH_SLICE]]
            if nowait is not None:
                for m in messages:
                    nowait(m.topic, m.payload, m.qos, m.retain)
            else:
                await self.link.publish_many(messages)
            self.published += len(messages)
            if start + PUBLISH_SLICE < len(readings):
                await asyncio.sleep(0)

    async def _take_faults(self) -> None:
        async for message in self.link.messages():
            if message.topic == self.topics.sim_faults:
                self.inject(message)

    def inject(self, message: Message) -> None:
        try:
            fault = Fault.from_json(orjson.loads(message.payload), self.inventory)
        except (ValueError, orjson.JSONDecodeError) as exc:
            log.warning("fault injection refused: %s", exc)
            return
        self.simulator.inject(fault)
        log.info("fault injected: %s", fault)
