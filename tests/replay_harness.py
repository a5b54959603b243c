"""A fault recorded through the real engine into a historian, for the REPLAY tests.

W-P-001's pressure falls below its limit (raised), alice acknowledges it, bob comments on it, the
pressure comes back (cleared). Commands go through the engine's command topics, as consoles send them.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from pathlib import Path

import orjson

from feeds.bus import InProcessBus
from feeds.inventory import Inventory
from feeds.links import Links
from feeds.topics import Topics
from hypervisor.engine.commands import command_payload
from tests.engine_harness import running_engine, wait_for

SENSOR = "W-P-001"
ALARM_ID = f"pressure-low:{SENSOR}"


@dataclass(frozen=True)
class RecordedFault:
    path: Path
    before_ms: int
    raised_ms: int
    acked_ms: int
    commented_ms: int
    cleared_ms: int
    end_ms: int


def _telemetry(asset_id: str, ts_ms: int, bar: float) -> bytes:
    return orjson.dumps({"ts": ts_ms, "metrics": {"pressure_bar": bar}})


def _after(ms: int) -> int:
    """The first wall-clock millisecond after ``ms``, so that each step of the story has its own instant."""
    while (now := int(time.time() * 1000)) <= ms:
        time.sleep(0.001)
    return now


async def _record(inventory: Inventory, tmp_path: Path) -> RecordedFault:
    topics = Topics()
    bus = InProcessBus()
    path = tmp_path / "recorded.sqlite"
    sensors = [a.id for a in inventory.assets if a.kind == "pressure_sensor"]
    async with running_engine("bus://test", inventory, path, tmp_path, links=Links(bus=bus)) as engine, \
            bus.client("devices") as devices, bus.client("alice-console") as alice, bus.client("bob-console") as bob:
        used = [0]

        def instant(at_least: int = 0) -> int:
            """A wall-clock instant after every instant used so far in the story."""
            used[0] = _after(max(used[0], at_least))
            return used[0]

        async def send(bar: float) -> int:
            ts = instant()
            for asset_id in sensors:
                value = bar if asset_id == SENSOR else 4.5
                await devices.publish(topics.telemetry("water", asset_id), _telemetry(asset_id, ts, value), 1, False)
            return ts

        def record() -> object:
            return engine.alarms.records().get(ALARM_ID)

        await send(4.5)
        await wait_for(lambda: engine.historian.stats["rows_written"] >= len(sensors))
        before = instant()
        await send(1.2)
        await wait_for(lambda: record() is not None and record().state == "unack")
        raised = record().changed_ms
        instant(raised)
        await alice.publish(topics.command("alice", "ack"), command_payload(ALARM_ID, "r1", "alice-console"), 1, False)
        await wait_for(lambda: record().state == "acked")
        acked = record().acked_ms
        instant(acked)
        await bob.publish(topics.command("bob", "comment"),
                          command_payload(ALARM_ID, "r2", "bob-console", "crew sent to the valve"), 1, False)
        await wait_for(lambda: bool(record().comments))
        commented = record().comments[-1][0]
        instant(commented)
        await send(4.4)
        await wait_for(lambda: record() is None or record().state == "normal")
        cleared = instant(int(time.time() * 1000))
        end = await send(4.5)
        await wait_for(lambda: engine.historian.stats["queue_len"] == 0 and engine.historian.stats["rows_written"]
                       >= 4 * len(sensors))
        engine.historian.flush()
    return RecordedFault(path, before, raised, acked, commented, cleared, end)


def record_fault(inventory: Inventory, tmp_path: Path) -> RecordedFault:
    return asyncio.run(_record(inventory, tmp_path))
