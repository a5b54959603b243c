"""The processes that run without a screen: ``hypervisor engine`` and ``hypervisor simulate``."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import Coroutine
from pathlib import Path
from typing import Any

import orjson

from feeds.clock import Clock, FollowedClock, SimClock, WallClock
from feeds.inventory import Inventory
from feeds.links import Links
from feeds.model import Message
from feeds.simulator import CitySimulator
from feeds.topics import Topics
from hypervisor.engine.service import Engine
from hypervisor.engine_builder import build_engine
from hypervisor.historian.quarantine import QuarantineBudget
from hypervisor.historian.writer import Historian
from hypervisor.incident.chain import Signer
from hypervisor.incident.keeper import ChainKeeper
from hypervisor.incident.keys import deployment_key
from hypervisor.simulate import SimulatorRunner, clock_will

log = logging.getLogger(__name__)


def run_until_signalled(main: Coroutine[Any, Any, None]) -> None:
    """Run ``main``; SIGINT or SIGTERM cancels it so that it can close cleanly (the engine replaces this
    with a clean stop, see ``stop_engine_on_signals``)."""

    async def wrapper() -> None:
        task = asyncio.create_task(main)
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, task.cancel)
        with contextlib.suppress(asyncio.CancelledError):
            await task

    asyncio.run(wrapper())


def stop_engine_on_signals(engine: Engine) -> None:
    """SIGINT or SIGTERM stops the engine cleanly (what it read is stored and acknowledged); a second one
    cancels at once, leaving the broker to deliver again whatever was not acknowledged."""
    loop = asyncio.get_running_loop()
    task = asyncio.current_task()

    def on_signal() -> None:
        if engine.stopping and task is not None:
            log.warning("second stop signal: stopping now; unacknowledged messages stay with the broker")
            task.cancel()
        else:
            engine.stop()

    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, on_signal)


async def run_engine(links: Links, address: str, inventory: Inventory, historian_path: Path,
                     rule_paths: list[Path], client_id: str, follow_sim_clock: bool,
                     topics: Topics = Topics(), quarantine: QuarantineBudget | None = None,
                     key_path: Path | None = None) -> None:
    clock: Clock = FollowedClock() if follow_sim_clock else WallClock()
    historian = Historian(historian_path, quarantine=quarantine or QuarantineBudget())
    historian.start()
    keeper = ChainKeeper(historian_path, Signer(deployment_key(key_path)), clock.now_ms)
    keeper.start()
    session = historian.start_session("engine", {"broker": address, "client_id": client_id})
    try:
        will = Message(topics.health, orjson.dumps({"online": False}), True, 1)
        link = links.open(address, client_id=client_id, will=will, persistent=True)
        engine = build_engine(link, inventory, rule_paths, clock, historian, topics, restore_from=historian_path)
        alarms = engine.alarms
        stop_engine_on_signals(engine)
        async with link:
            log.info("engine %s on %s: %d assets, %d alarms restored", client_id, address, len(inventory),
                     len(alarms.records()))
            try:
                await engine.run()
            finally:
                with contextlib.suppress(Exception):
                    await asyncio.wait_for(link.publish(topics.health, will.payload, 1, True), 2)
    finally:
        historian.end_session(session)
        historian.close()
        keeper.close()


async def run_simulator(links: Links, address: str, inventory: Inventory, speed: float, seed: int,
                        faults_per_hour: float, client_id: str, topics: Topics = Topics()) -> None:
    clock = SimClock(speed=speed)
    simulator = CitySimulator(inventory, seed=seed, start_ms=clock.now_ms())
    if faults_per_hour > 0:
        simulator.enable_random_faults(faults_per_hour)
    async with links.open(address, client_id=client_id, will=clock_will(topics), persistent=False) as link:
        runner = SimulatorRunner(link, simulator, inventory, clock, topics, speed=speed)
        log.info("simulating %d assets at x%g on %s, %g faults per simulated hour; engines and consoles follow "
                 "its clock on %s", len(inventory), speed, address, faults_per_hour, topics.sim_clock)
        try:
            await runner.run()
        finally:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(runner.clear_clock(), 2)
