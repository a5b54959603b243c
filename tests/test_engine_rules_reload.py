"""Rules edited on disk take effect without restarting the engine, and no edit ever loses an alarm.

Each case stands an acknowledged, latched, critical fire alarm first, then edits the rule file the way
administrators do: a syntax error, an unknown field, a file written in two steps, a rule removed.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import orjson
import pytest

from feeds.bus import InProcessBus
from feeds.inventory import Asset, Inventory
from feeds.links import Links
from hypervisor.engine.service import Engine
from tests.engine_harness import RULES, running_engine, small_inventory, wait_for

FIRE_RULE = """
[[rule]]
id = "container_fire"
description = "Container temperature above 70 °C: probable fire"
priority = "critical"
kind = "threshold"
target = { domain = "waste", kind = "container" }
metric = "temp_c"
hi = 70
deadband = 10
latching = true
"""
FIRE_RULES = RULES + FIRE_RULE
FIRE = "container_fire:D-C-001"


def city() -> Inventory:
    containers = [Asset(f"D-C-00{i}", "waste", "container", "Centre-ville", 5.04, 47.32) for i in (1, 2)]
    return Inventory([*small_inventory().assets, *containers])


class Room:
    """The engine, a field device and a console watching the retained alarm records and health."""

    def __init__(self, engine: Engine, field: object) -> None:
        self.engine = engine
        self.field = field
        self.retained: dict[str, dict | None] = {}
        self.health: list[dict] = []
        self.rules_file = engine.rule_paths[0]

    def on(self, topic: str, payload: bytes) -> None:
        if topic.startswith("hv/v1/alarms/"):
            self.retained[topic.rsplit("/", 1)[1]] = orjson.loads(payload) if payload else None
        elif topic == "hv/v1/engine/health":
            self.health.append(orjson.loads(payload))

    async def temperature(self, asset_id: str, value: float) -> None:
        body = orjson.dumps({"ts": time.time_ns() // 1_000_000, "metrics": {"temp_c": value}})
        await self.field.publish(f"hv/v1/waste/{asset_id}/telemetry", body, 1)

    async def command(self, verb: str, alarm_id: str) -> None:
        body = orjson.dumps({"alarm_id": alarm_id, "request_id": f"{verb}-{alarm_id}"})
        await self.field.publish(f"hv/v1/cmd/alice/{verb}", body, 1)

    def state(self, alarm_id: str) -> str | None:
        record = self.engine.alarms.record(alarm_id)
        return None if record is None else str(record.state)

    async def ticks(self, n: int) -> None:
        """Wait until the engine has polled the rule files ``n`` more times (one health message each)."""
        seen = len(self.health)
        await wait_for(lambda: len(self.health) >= seen + n, 10)

    async def fire_acknowledged_and_latched(self) -> None:
        await self.temperature("D-C-001", 85.0)
        await wait_for(lambda: self.state(FIRE) == "unack")
        await self.command("ack", FIRE)
        await self.temperature("D-C-001", 20.0)
        await wait_for(lambda: self.state(FIRE) == "acked" and not self.engine.alarms.record(FIRE).active)
        assert self.engine.alarms.record(FIRE).latched
        await wait_for(lambda: (self.retained.get(FIRE) or {}).get("state") == "acked")

    def fire_untouched(self) -> None:
        record = self.engine.alarms.record(FIRE)
        assert record is not None, "the fire alarm must never leave the list by itself"
        assert (record.state, record.latched, record.acked_by, record.orphaned) == ("acked", True, "alice", None)
        assert self.retained[FIRE]["state"] == "acked", "its retained record must stay"

    def rules_health(self) -> dict:
        return self.health[-1]["rules"]


def in_control_room(tmp_path: Path, scenario: Callable[[Room], Awaitable[None]]) -> None:
    bus = InProcessBus()

    async def run() -> None:
        async with running_engine("bus://", city(), tmp_path / "h.sqlite", tmp_path, links=Links(bus=bus),
                                  rules_text=FIRE_RULES) as engine, \
                bus.client("field") as field, bus.client("console") as console:
            room = Room(engine, field)
            await console.subscribe("hv/v1/alarms/#")
            await console.subscribe("hv/v1/engine/health")

            async def watch() -> None:
                async for batch in console.batches():
                    for message in batch:
                        room.on(message.topic, message.payload)

            watcher = asyncio.create_task(watch())
            try:
                await room.fire_acknowledged_and_latched()
                await scenario(room)
            finally:
                watcher.cancel()
                await asyncio.gather(watcher, return_exceptions=True)

    asyncio.run(run())


async def broken_then_fixed(room: Room, broken: str, line: int, words: str) -> None:
    """While the file is broken the last good rules run (a new fire raises), and the error is reported."""
    room.rules_file.write_text(broken)
    await wait_for(lambda: room.health and not room.rules_health().get("ok", True), 10)
    [error] = room.rules_health()["errors"]
    assert (error["file"], error["line"]) == (str(room.rules_file), line)
    assert words in error["message"] and "last good version keeps running" in error["message"]
    await room.temperature("D-C-002", 85.0)
    await wait_for(lambda: room.state("container_fire:D-C-002") == "unack")
    room.fire_untouched()
    room.rules_file.write_text(FIRE_RULES)
    await wait_for(lambda: room.rules_health().get("ok"), 10)
    room.fire_untouched()
    assert room.state("container_fire:D-C-002") == "unack"


def test_a_syntax_error_keeps_the_last_good_rules_and_every_alarm(tmp_path: Path) -> None:
    broken = FIRE_RULES.replace("hi = 70", "hi = = 70")
    line = broken.splitlines().index("hi = = 70") + 1
    in_control_room(tmp_path, lambda room: broken_then_fixed(room, broken, line, "TOML syntax error"))


def test_an_unknown_field_in_one_rule_keeps_the_whole_file_as_it_was(tmp_path: Path) -> None:
    broken = FIRE_RULES.replace("deadband = 10", "deadband = 10\nlatchng = true")
    line = broken.splitlines().index("latchng = true") + 1
    in_control_room(tmp_path, lambda room: broken_then_fixed(room, broken, line, "unknown field"))


def test_a_file_written_in_two_steps_is_read_only_once_complete(tmp_path: Path) -> None:
    async def scenario(room: Room) -> None:
        events = room.engine.health.alarm_events
        with room.rules_file.open("w") as truncated:  # cp and many editors: truncate, then write
            truncated.flush()
            await room.ticks(2)
            assert not room.rules_health()["ok"] and "empty" in room.rules_health()["errors"][0]["message"]
            truncated.write(FIRE_RULES.replace("lo = 2.0", "lo = 3.0"))
        await wait_for(lambda: room.rules_health().get("ok"), 10)
        assert room.engine.alarms.ruleset.get("pressure-low").limits == (("lo", 3.0),)
        assert room.engine.health.alarm_events == events, "no alarm changed state during the write"
        room.fire_untouched()

    in_control_room(tmp_path, scenario)


def test_a_removed_rule_orphans_its_alarm_until_acknowledged_and_reset(tmp_path: Path) -> None:
    async def scenario(room: Room) -> None:
        room.rules_file.write_text(RULES)
        await wait_for(lambda: room.engine.alarms.ruleset.get("container_fire") is None, 10)
        await wait_for(lambda: (room.retained.get(FIRE) or {}).get("orphaned") == "removed")
        record = room.engine.alarms.record(FIRE)
        assert (record.state, record.latched, record.orphaned) == ("unack", True, "removed")
        assert room.retained[FIRE]["state"] == "unack", "operators must acknowledge the removal"
        await room.temperature("D-C-001", 95.0)
        await room.ticks(1)
        assert room.state(FIRE) == "unack", "an orphan is no longer evaluated"
        await room.command("ack", FIRE)
        await wait_for(lambda: room.state(FIRE) == "acked")
        assert (room.retained.get(FIRE) or {}).get("orphaned") == "removed"
        await room.command("reset", FIRE)
        await wait_for(lambda: room.state(FIRE) is None)
        await wait_for(lambda: FIRE in room.retained and room.retained[FIRE] is None)

    in_control_room(tmp_path, scenario)


def test_edited_rules_apply_without_restart(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="hypervisor.engine.service")
    bus = InProcessBus()

    async def scenario() -> None:
        async with running_engine("bus://", small_inventory(), tmp_path / "h.sqlite", tmp_path,
                                  links=Links(bus=bus)) as engine, bus.client("field") as field:
            rules = engine.rule_paths[0]

            async def pressure(value: float) -> None:
                body = orjson.dumps({"ts": time.time_ns() // 1_000_000, "metrics": {"pressure_bar": value}})
                await field.publish("hv/v1/water/W-P-002/telemetry", body, 1)

            await pressure(2.5)
            await wait_for(lambda: engine.health.accepted >= 1)
            assert engine.alarms.records() == {}
            rules.write_text(RULES.replace("lo = 2.0", "lo = 3.0"))
            await wait_for(lambda: "rules reloaded" in caplog.text, 10)
            await pressure(2.5)
            await wait_for(lambda: "pressure-low:W-P-002" in engine.alarms.records(), 10)
            rules.write_text(RULES + '\n[[rule]]\nid = "broken"\npriority = "urgent"\n')
            await wait_for(lambda: "rule file error" in caplog.text, 10)
            accepted = engine.health.accepted
            await pressure(2.4)
            await wait_for(lambda: engine.health.accepted > accepted)
            assert "pressure-low:W-P-002" in engine.alarms.records(), "the good rule still runs"

    asyncio.run(scenario())
