"""A running engine for tests: real transport, real historian, a small inventory of our own."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from pathlib import Path

from alerts import load_rules
from feeds.clock import WallClock
from feeds.inventory import Asset, Inventory
from feeds.links import Links
from feeds.model import Message
from feeds.topics import Topics
from hypervisor.engine.service import Engine
from hypervisor.engine_builder import build_engine
from hypervisor.historian.writer import Historian

RULES = """
[[rule]]
id = "pressure-low"
description = "Network pressure low"
priority = "high"
kind = "threshold"
metric = "pressure_bar"
lo = 2.0
deadband = 0.1
[rule.target]
kind = "pressure_sensor"
"""


def small_inventory(n_sensors: int = 20) -> Inventory:
    assets = [Asset(f"W-P-{i:03d}", "water", "pressure_sensor", "Centre-ville", 5.04 + i * 1e-3, 47.32,
                    aliases=(f"urn:dev:hv:W-P-{i:03d}",), attrs={"report_period_s": 60, "nominal_bar": 4.5})
              for i in range(n_sensors)]
    assets.append(Asset("L-C-001", "lighting", "cabinet", "Centre-ville", 5.041, 47.321))
    assets += [Asset(f"L-L-{i:05d}", "lighting", "luminaire", "Centre-ville", 5.041, 47.321, parent="L-C-001")
               for i in range(1, 6)]
    return Inventory(assets)


@contextlib.asynccontextmanager
async def running_engine(address: str, inventory: Inventory, historian_path: Path, tmp_path: Path,
                         client_id: str = "hv-engine-test", links: Links | None = None,
                         rules_text: str = RULES) -> AsyncIterator[Engine]:
    rules = tmp_path / "rules.toml"
    rules.write_text(rules_text)
    assert not load_rules([rules])[1]
    clock = WallClock()
    historian = Historian(historian_path, flush_interval_s=0.05)
    historian.start()
    topics = Topics()
    link = (links or Links()).open(address, client_id=client_id,
                                   will=Message(topics.health, b'{"online": false}', True, 1), persistent=True)
    engine = build_engine(link, inventory, [rules], clock, historian, topics, restore_from=historian_path,
                          health_period_s=0.2)
    try:
        async with link:
            task = asyncio.create_task(engine.run())
            await asyncio.wait_for(engine.ready.wait(), 10)
            try:
                yield engine
            finally:
                task.cancel()
                await asyncio.gather(task, return_exceptions=True)
    finally:
        historian.close()


async def wait_for(predicate: object, timeout_s: float = 20.0) -> None:
    """Wait until ``predicate()`` is true (checked every 20 ms), or fail after ``timeout_s``."""
    deadline = asyncio.get_running_loop().time() + timeout_s
    while not predicate():
        if asyncio.get_running_loop().time() > deadline:
            raise TimeoutError("condition not met in time")
        await asyncio.sleep(0.02)
