"""Where a console's data comes from: the embedded city, or a real broker."""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from feeds.bus import InProcessBus
from feeds.clock import Clock, FollowedClock, SimClock, WallClock
from feeds.decoding import Decoder
from feeds.inventory import Inventory
from feeds.links import Links
from feeds.simulator import CitySimulator
from feeds.topics import Topics
from hypervisor.console.feed import ConsoleFeed
from hypervisor.engine.subscriptions import engine_filters
from hypervisor.simulate import SimulatorRunner

if TYPE_CHECKING:
    from hypervisor.embedded_engine import EmbeddedEngine
    from hypervisor.engine.service import Engine

log = logging.getLogger(__name__)


class Deployment(Protocol):
    """Runs whatever must run for a console to have data, until cancelled."""

    clock: Clock
    historian_path: Path | None
    source_label: str

    async def run(self, console: ConsoleFeed) -> None: ...


class EmbeddedCity:
    """Simulator, engine and console in one process over the in-process bus: no broker, no setup.

    The historian file is kept between runs (within ``embedded_engine.DEMO_HISTORY``'s size cap).
    """

    source_label = "bus://embedded"

    def __init__(self, inventory: Inventory, rule_paths: Sequence[Path], historian_path: Path,
                 speed: float = 1.0, seed: int = 0, faults_per_hour: float = 6.0,
                 start_ms: int | None = None, topics: Topics = Topics()) -> None:
        self.inventory = inventory
        self.rule_paths = list(rule_paths)
        self.historian_path = historian_path
        self.speed = speed
        self.seed = seed
        self.faults_per_hour = faults_per_hour
        self.topics = topics
        self.clock = SimClock(start_ms, speed)
        self.bus = InProcessBus()
        self.engine: Engine | None = None
        self.simulator: CitySimulator | None = None

    async def run(self, console: ConsoleFeed) -> None:
        """The console and the simulator start at once; the engine side (historian, incident chain, rule
        index: seconds for a whole city) is loaded and built on a worker thread once the console shows
        the first values, and then takes what was sent from its inbox."""
        building: asyncio.Future[EmbeddedEngine] | None = None
        engine_run: asyncio.Task[None] | None = None
        self.simulator = CitySimulator(self.inventory, seed=self.seed, start_ms=self.clock.now_ms())
        if self.faults_per_hour > 0:
            self.simulator.enable_random_faults(self.faults_per_hour)
        engine_link = self.bus.client("engine")
        runner = SimulatorRunner(self.bus.client("simulator"), self.simulator, self.inventory, self.clock,
                                 self.topics, speed=self.speed)
        try:
            async with engine_link, runner.link, self.bus.client(f"console-{console.console_id}") as console_link:
                # Subscribed before the simulator's first step: nothing sent while the engine is built is lost.
                for filter_ in engine_filters(Decoder(self.inventory, self.topics, self.clock), self.topics, False):
                    await engine_link.subscribe(filter_, 1)
                city = asyncio.gather(console.run(console_link), runner.run())
                try:
                    shown = asyncio.ensure_future(console.values_out.wait())
                    await asyncio.wait([shown, city], return_when=asyncio.FIRST_COMPLETED)
                    shown.cancel()
                    if city.done():
                        await city  # the console or the simulator ended before the first values: say why
                        return
                    building = asyncio.ensure_future(asyncio.to_thread(self._engine_side, engine_link))
                    self.engine = (await asyncio.shield(building)).engine
                    engine_run = asyncio.create_task(self.engine.run(), name="embedded-engine")
                    # Shielded: closing the window stops the simulator and the console at once, the engine cleanly.
                    await asyncio.gather(asyncio.shield(engine_run), city)
                except BaseException as exc:
                    city.cancel()
                    await asyncio.gather(city, return_exceptions=True)
                    if engine_run is not None and isinstance(exc, asyncio.CancelledError):
                        await self._stop_engine(engine_run)
                    raise
        finally:
            if building is not None:
                await self._close_engine_side(building)

    @staticmethod
    async def _close_engine_side(building: asyncio.Future[EmbeddedEngine]) -> None:
        """Close the historian and the chain, once built: a window closed while they were being built
        waits for the build rather than leave their threads running."""
        try:
            engine_side = await building
        except Exception:  # the build failed: it said why, and opened nothing that stays open
            return
        engine_side.close()

    def _engine_side(self, link: object) -> EmbeddedEngine:
        from hypervisor.embedded_engine import EmbeddedEngine  # loads the historian: see that module

        return EmbeddedEngine(link, self.inventory, self.rule_paths, self.clock, self.historian_path, self.topics)

    async def _stop_engine(self, engine_run: asyncio.Task[None]) -> None:
        """Let the engine finish what the simulator sent and commit it, as a broker engine does on SIGTERM."""
        assert self.engine is not None
        self.engine.stop()
        try:
            await asyncio.wait_for(engine_run, 10)
        except (TimeoutError, asyncio.CancelledError):
            log.error("the embedded engine did not finish within 10 s; readings not yet stored are lost")


class BrokerDeployment:
    """A console joining a real deployment: engine and devices (or simulator) are elsewhere."""

    signs_in = True
    """Its user signs in to the broker, so the console offers Sign out."""

    def __init__(self, links: Links, address: str, historian_path: Path | None = None,
                 follow_sim_clock: bool = False, rule_paths: Sequence[Path] = ()) -> None:
        self.links = links
        self.rule_paths = list(rule_paths)
        """The rules the engine runs, read for the gauges' limits (the shipped rules when empty)."""
        self.address = address
        self.historian_path = historian_path
        self.source_label = address
        self.clock: Clock = FollowedClock() if follow_sim_clock else WallClock()
        self._follow = follow_sim_clock

    async def run(self, console: ConsoleFeed) -> None:
        client_id = f"hv-console-{console.user}-{uuid.uuid4().hex[:6]}"
        if self._follow:
            console.router.on_sim_clock = self._update_clock
        async with self.links.open(self.address, client_id=client_id, persistent=False) as link:
            if self._follow:
                await link.subscribe(console.topics.sim_clock, 0)
            await console.run(link)

    def _update_clock(self, payload: bytes) -> None:
        assert isinstance(self.clock, FollowedClock)
        try:
            self.clock.follow(payload)
        except ValueError as exc:
            log.warning("%s", exc)
