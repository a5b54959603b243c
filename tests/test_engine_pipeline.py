"""The engine on a real mosquitto: receive, validate, store; health; nothing lost across a broker restart."""

from __future__ import annotations

import asyncio
import sqlite3
import time
from pathlib import Path

import orjson
import pytest

from feeds.broker import BrokerSettings
from feeds.mosquitto import Mosquitto
from feeds.mqtt import MqttTransport
from tests.engine_harness import running_engine, small_inventory, wait_for

pytestmark = pytest.mark.broker


def _count(path: Path, table: str) -> int:
    with sqlite3.connect(path) as db:
        return int(db.execute(f"select count(*) from {table}").fetchone()[0])


def _telemetry(i: int, ts: int) -> bytes:
    return orjson.dumps({"ts": ts, "metrics": {"pressure_bar": 4.0 + (i % 10) / 100}})


def test_published_telemetry_is_stored_and_health_is_published(mosquitto: Mosquitto, tmp_path: Path) -> None:
    db = tmp_path / "historian.sqlite"

    async def scenario() -> dict:
        async with running_engine(mosquitto.url, small_inventory(), db, tmp_path) as engine, \
                MqttTransport(BrokerSettings.from_url(mosquitto.url), "watcher") as watcher:
            await watcher.subscribe("hv/v1/engine/health", 1)
            now = time.time_ns() // 1_000_000
            for i in range(500):
                await watcher.publish(f"hv/v1/water/W-P-{i % 20:03d}/telemetry", _telemetry(i, now + i), qos=1)
            await watcher.publish("hv/v1/water/W-P-999/telemetry", _telemetry(0, now), qos=1)
            await wait_for(lambda: engine.health.received >= 501)
            engine.historian.flush()
            health: dict = {}
            async for batch in watcher.batches():
                health = orjson.loads(batch[-1].payload)
                if health.get("received", 0) >= 501:
                    return health
            return health

    health = asyncio.run(scenario())
    assert _count(db, "telemetry") == 500
    assert health["accepted"] == 500
    assert health["rejected"] == 1 and health["rejected_by_reason"] == {"unknown_asset": 1}
    assert "lag_ms" in health and health["online"] is True


def test_engine_loses_nothing_when_the_broker_restarts(mosquitto: Mosquitto, tmp_path: Path) -> None:
    db = tmp_path / "historian.sqlite"
    total = 3000

    async def scenario() -> None:
        settings = BrokerSettings.from_url(mosquitto.url)
        async with running_engine(mosquitto.url, small_inventory(), db, tmp_path) as engine, \
                MqttTransport(settings, "field-gateway", backoff_s=(0.05, 0.5)) as gateway:
            await gateway.wait_connected(5)
            now = time.time_ns() // 1_000_000

            def send(i: int) -> asyncio.Task[None]:
                topic = f"hv/v1/water/W-P-{i % 20:03d}/telemetry"
                return asyncio.create_task(gateway.publish(topic, _telemetry(i, now + i), qos=1))

            await asyncio.gather(*(send(i) for i in range(1000)))
            mosquitto.stop()
            in_outage = [send(i) for i in range(1000, 2000)]
            mosquitto.start()
            await asyncio.wait_for(asyncio.gather(*in_outage), 30)
            await asyncio.gather(*(send(i) for i in range(2000, total)))
            await wait_for(lambda: engine.health.accepted >= total, 30)
            engine.historian.flush()

    asyncio.run(scenario())
    with sqlite3.connect(db) as conn:
        stored = {row[0] for row in conn.execute("select distinct ts_ms from telemetry")}
    assert len(stored) == total
