"""The sandbox's city: the simulator (or a recorded incident) with the drill's injections laid over it."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

import orjson

from feeds.inventory import Inventory
from feeds.model import Measurement, Reading, StatusUpdate
from feeds.scenario import Injection, Scenario
from feeds.scenario.clock import DrillClock
from feeds.scenario.injector import faults_for, override_for
from feeds.scenario.overrides import Overrides
from feeds.simulator import CitySimulator
from feeds.topics import Topics
from hypervisor.historian.timeline import ReadingEvent, StatusEvent, Timeline
from hypervisor.simulate import SimulatorRunner

log = logging.getLogger(__name__)


class DrillCity(SimulatorRunner):
    """Steps the city on the drill's clock and publishes under the session's root; injections apply at once."""

    def __init__(self, link: object, scenario: Scenario, inventory: Inventory, clock: DrillClock, topics: Topics,
                 step_s: float = 0.25) -> None:
        simulator = CitySimulator(inventory, seed=scenario.seed, start_ms=scenario.start_ms)
        simulator.weather.offset_c = scenario.conditions.outdoor_offset_c
        super().__init__(link, simulator, inventory, clock, topics, step_s, scenario.speed)
        self.drill_clock = clock
        self.overrides = Overrides()
        self.recording = _Recording(Path(scenario.recording), inventory) if scenario.recording else None
        self._last_ms: int | None = None

    async def run(self) -> None:
        try:
            while True:
                await self.step_now()
                await asyncio.sleep(self.step_s)
        finally:
            if self.recording is not None:
                self.recording.close()

    async def step_now(self) -> None:
        """Publish every reading due up to the clock's present, and the clock itself."""
        await self.send(self.take_due())

    def take_due(self) -> list[Reading]:
        """The readings due since the last step, with the drill's forced metrics laid over them."""
        now = self.drill_clock.now_ms()
        if self._last_ms is not None and now <= self._last_ms:
            return []
        after = self._last_ms if self._last_ms is not None else now - 1
        readings = self.recording.between(after, now) if self.recording else self.simulator.step(now)
        self._last_ms = now
        return self.overrides.apply(readings, after, now)

    async def send(self, readings: list[Reading]) -> None:
        """Hand readings to the transport, then say where the drill's clock stands."""
        await self._publish(readings)
        speed = 0.0 if self.drill_clock.paused else self.drill_clock.speed
        await self.link.publish(self.topics.sim_clock, orjson.dumps({"sim_ms": self.drill_clock.now_ms(),
                                                                     "speed": speed}), 0, True)

    def inject(self, injection: Injection, at_ms: int) -> None:  # type: ignore[override]
        """Apply an injection from ``at_ms`` (simulated); the next step publishes its effect.

        An injection reached late (a busy loop, a jump) starts just after the last published instant,
        so that none of its effect falls in the past where no step would publish it.
        """
        if self._last_ms is not None:
            at_ms = max(at_ms, self._last_ms + 1)
        override = override_for(injection, at_ms, self.inventory)
        if override is not None:
            self.overrides.add(override)
            return
        if self.recording is not None:
            raise ValueError("a recorded incident plays as it happened: only forced or ramped metrics apply")
        for fault in faults_for(injection, at_ms, self.inventory):
            self.simulator.inject(fault)


class _Recording:
    """Telemetry of a historian file, read a window at a time, as the feed of a drill from an incident."""

    def __init__(self, path: Path, inventory: Inventory) -> None:
        self.timeline = Timeline(path)
        self._domains = {a.id: a.domain for a in inventory}

    def between(self, after_ms: int, until_ms: int) -> list[Reading]:
        out: list[Reading] = []
        for event in self.timeline.events_between(after_ms + 1, until_ms + 1):
            domain = self._domains.get(getattr(event, "asset_id", ""))
            if domain is None:
                continue
            if isinstance(event, ReadingEvent):
                out.append(Measurement(event.asset_id, domain, event.ts_ms, event.metrics))
            elif isinstance(event, StatusEvent):
                out.append(StatusUpdate(event.asset_id, domain, event.ts_ms, event.online))
        return out

    def close(self) -> None:
        self.timeline.close()
