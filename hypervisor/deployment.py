"""Where a console's data comes from: the embedded city, or a real broker."""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

from feeds.bus import InProcessBus
from feeds.clock import Clock, FollowedClock, SimClock, WallClock
from feeds.decoding import Decoder
from feeds.inventory import Inventory
from feeds.links import Links
from feeds.simulator import CitySimulator
from feeds.topics import Topics
from hypervisor.console.feed import ConsoleFeed
from hypervisor.engine.service import Engine, engine_filters
from hypervisor.engine_builder import build_engine
from hypervisor.historian import Historian
from hypervisor.historian.maintenance import HistorySettings
from hypervisor.incident import ChainKeeper, Signer
from hypervisor.incident.keys import deployment_key
from hypervisor.simulate import SimulatorRunner

log = logging.getLogger(__name__)


class Deployment(Protocol):
    """Runs whatever must run for a console to have data, until cancelled."""

    clock: Clock
    historian_path: Path | None
    source_label: str

    async def run(self, console: ConsoleFeed) -> None: ...


DEMO_HISTORY = HistorySettings(size_cap_bytes=1_000_000_000, disk_budget_bytes=1_000_000_000)
"""The demo keeps its history between runs, so that there is something to replay, within 1 GB: the
oldest days of readings leave first (their rollups stay)."""


class EmbeddedCity:
    """Simulator, engine and console in one process over the in-process bus: no broker, no setup.

    The historian file is kept between runs (within ``DEMO_HISTORY``'s size cap).
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
        """The console and the simulator start at once; the engine, whose rule index takes seconds to build
        for a whole city, is built on a worker thread once the first report is going out, and then takes
        what was sent from its inbox."""
        self.historian_path.parent.mkdir(parents=True, exist_ok=True)
        historian = Historian(self.historian_path, history=DEMO_HISTORY)
        historian.start()
        keeper = ChainKeeper(self.historian_path, Signer(deployment_key()), self.clock.now_ms)
        keeper.start()
        engine_run: asyncio.Task[None] | None = None
        try:
            self.simulator = CitySimulator(self.inventory, seed=self.seed, start_ms=self.clock.now_ms())
            if self.faults_per_hour > 0:
                self.simulator.enable_random_faults(self.faults_per_hour)
            engine_link = self.bus.client("engine")
            runner = SimulatorRunner(self.bus.client("simulator"), self.simulator, self.inventory, self.clock,
                                     self.topics, speed=self.speed)
            async with engine_link, runner.link, self.bus.client(f"console-{console.console_id}") as console_link:
                # Subscribed before the simulator's first step: nothing sent while the engine is built is lost.
                for filter_ in engine_filters(Decoder(self.inventory, self.topics, self.clock), self.topics, False):
                    await engine_link.subscribe(filter_, 1)
                city = asyncio.gather(console.run(console_link), runner.run())
                try:
                    # The first values before the engine: building it on a thread slows the first report.
                    reporting = asyncio.ensure_future(runner.reporting.wait())
                    await asyncio.wait([reporting, city], return_when=asyncio.FIRST_COMPLETED)
                    reporting.cancel()
                    if city.done():
                        await city  # the console or the simulator ended before the first report: say why
                        return
                    self.engine = await asyncio.to_thread(build_engine, engine_link, self.inventory, self.rule_paths,
                                                          self.clock, historian, self.topics)
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
            historian.close()
            keeper.close()

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
