"""Engine health tells the truth: alarm counts after a restart, lag from receipt, messages apart from
measurements, the state of the rule files."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import orjson
import pytest

from feeds.bus import InProcessBus
from feeds.inbox import Inbox
from feeds.links import Links
from feeds.model import Message
from tests.engine_harness import running_engine, small_inventory, wait_for


def now_ms() -> int:
    return time.time_ns() // 1_000_000


def pressure(value: float, ts_ms: int) -> bytes:
    return orjson.dumps({"ts": ts_ms, "metrics": {"pressure_bar": value}})


async def retained_health(bus: InProcessBus, predicate: object = lambda body: True) -> dict:
    """The engine's retained health message as a console joining now reads it."""
    async with bus.client("console") as console:
        await console.subscribe("hv/v1/engine/health")
        async for batch in console.batches():
            for message in batch:
                body = orjson.loads(message.payload)
                if predicate(body):
                    return body
    raise AssertionError("no health message")


def test_alarms_active_counts_the_alarms_restored_after_a_restart(tmp_path: Path) -> None:
    db = tmp_path / "h.sqlite"

    async def before_restart() -> None:
        bus = InProcessBus()
        async with running_engine("bus://", small_inventory(), db, tmp_path, links=Links(bus=bus)) as engine, \
                bus.client("field") as field:
            for asset in ("W-P-001", "W-P-002", "W-P-003"):
                await field.publish(f"hv/v1/water/{asset}/telemetry", pressure(1.0, now_ms()), 1)
            await wait_for(lambda: engine.alarms.open_count() == 3)
            engine.historian.flush()

    async def after_restart() -> dict:
        bus = InProcessBus()
        async with running_engine("bus://", small_inventory(), db, tmp_path, links=Links(bus=bus)) as engine:
            assert engine.alarms.open_count() == 3
            return await retained_health(bus)

    asyncio.run(before_restart())
    health = asyncio.run(after_restart())
    assert health["alarms_active"] == 3, "the first health after a restart counts the restored alarms"


def test_lag_is_measured_from_receipt_not_from_device_clocks(tmp_path: Path) -> None:
    bus = InProcessBus()
    year_2010_ms = 1_262_304_000_000

    async def scenario() -> tuple[dict, float]:
        async with running_engine("bus://", small_inventory(), tmp_path / "h.sqlite", tmp_path,
                                  links=Links(bus=bus)) as engine, bus.client("field") as field:
            await field.publish("hv/v1/water/W-P-001/telemetry", pressure(4.0, year_2010_ms), 1)
            await wait_for(lambda: engine.health.accepted == 1)
            health = await retained_health(bus, lambda body: body["accepted"] == 1)
            waited = [Message("hv/v1/water/W-P-002/telemetry", pressure(4.0, now_ms()), False, 1)]
            await engine.process(waited, received_ns=time.monotonic_ns() - 3_000_000_000)
            return health, engine.health.lag_ms

    health, waited_lag = asyncio.run(scenario())
    assert health["lag_ms"] < 1_000, "a device sending 2010 data must not make the engine look years behind"
    assert 3_000 <= waited_lag < 4_000, "a message that waited 3 s before evaluation is 3 s late"


def test_inbox_knows_when_the_oldest_message_of_each_batch_arrived(monkeypatch: pytest.MonkeyPatch) -> None:
    clock = [1_000_000_000]
    monkeypatch.setattr("feeds.inbox.time.monotonic_ns", lambda: clock[0])
    inbox = Inbox(max_batch=2)
    message = Message("t", b"{}")
    inbox.put(message)
    clock[0] += 500_000_000
    inbox.extend([message, message])
    clock[0] += 500_000_000
    inbox.put(message)

    async def take() -> list[int]:
        received = []
        async for batch in inbox.batches():
            received.append((len(batch), inbox.batch_received_ns))
            if len(received) == 2:
                return received
        return received

    assert asyncio.run(take()) == [(2, 1_000_000_000), (2, 1_500_000_000)]


def test_messages_and_measurements_are_counted_apart(tmp_path: Path) -> None:
    bus = InProcessBus()
    pack = orjson.dumps([{"bn": "urn:dev:hv:", "bt": now_ms() / 1000, "n": "W-P-001:pressure", "u": "bar", "v": 2.9},
                         {"n": "W-P-002:pressure", "u": "bar", "v": 3.1},
                         {"n": "W-P-003:pressure", "u": "bar", "v": 3.3}])

    async def scenario() -> dict:
        async with running_engine("bus://", small_inventory(), tmp_path / "h.sqlite", tmp_path,
                                  links=Links(bus=bus)) as engine, bus.client("field") as field:
            await field.publish("hv/v1/in/senml/gateway-1", pack, 1)
            await field.publish("hv/v1/water/W-P-004/telemetry", pressure(4.0, now_ms()), 1)
            await field.publish("hv/v1/water/W-P-005/status", orjson.dumps({"ts": now_ms(), "online": True}), 1)
            await field.publish("hv/v1/water/W-P-999/telemetry", pressure(4.0, now_ms()), 1)
            await field.publish("hv/v1/water/W-P-006/telemetry", b"{not json", 1)
            await wait_for(lambda: engine.health.received == 5)
            return await retained_health(bus, lambda body: body["received"] == 5)

    health = asyncio.run(scenario())
    assert (health["received"], health["accepted"], health["rejected"]) == (5, 3, 2)
    assert health["accepted"] + health["rejected"] == health["received"]
    assert (health["measurements"], health["status_updates"]) == (4, 1)
    assert health["rejected_by_reason"] == {"unknown_asset": 1, "bad_json": 1}


def test_health_reports_the_rule_files(tmp_path: Path) -> None:
    bus = InProcessBus()

    async def scenario() -> dict:
        async with running_engine("bus://", small_inventory(), tmp_path / "h.sqlite", tmp_path,
                                  links=Links(bus=bus)):
            return await retained_health(bus)

    rules = asyncio.run(scenario())["rules"]
    assert (rules["ok"], rules["files"], rules["rules"], rules["errors"], rules["error_count"]) == (True, 1, 1, [], 0)
    assert rules["applied_ms"] > 0
