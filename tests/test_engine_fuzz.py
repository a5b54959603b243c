"""Thousands of unusable messages among valid ones: nothing crashes, every valid one is stored,
every bad one is quarantined with its reason."""

from __future__ import annotations

import asyncio
import random
import sqlite3
import time
from pathlib import Path

import orjson

from feeds.bus import InProcessBus
from feeds.model import Message
from tests.engine_harness import running_engine, small_inventory, wait_for

VALID_EVERY = 3


def _bad_payloads(rng: random.Random, now: int) -> list[tuple[str, bytes, str]]:
    """(topic, payload, expected reason) for each kind of damage a field network produces."""
    good = orjson.dumps({"ts": now, "metrics": {"pressure_bar": 4.2}})
    topic = "hv/v1/water/W-P-001/telemetry"
    cut = rng.randrange(1, len(good) - 1)
    return [
        (topic, b"\xff" + bytes(rng.randrange(256) for _ in range(rng.randrange(0, 60))), "bad_json"),
        (topic, good[:cut], "bad_json"),
        (topic, b'{"ts": 1, "metrics": {"pressure_bar": NaN}}', "bad_json"),
        (topic, b'{"ts": %d, "metrics": {"pressure_bar": 1e999}}' % now, "not_finite"),
        (topic, orjson.dumps({"ts": now, "metrics": {"pressure_bar": [1, 2]}}), "wrong_type"),
        (topic, orjson.dumps({"ts": now, "metrics": "4.2"}), "bad_schema"),
        (topic, orjson.dumps([1, 2, 3]), "bad_schema"),
        ("hv/v1/water/W-P-404/telemetry", good, "unknown_asset"),
        ("hv/v1/heating/W-P-001/telemetry", good, "domain_mismatch"),
        (topic, orjson.dumps({"ts": now + 3_600_000, "metrics": {"pressure_bar": 4.2}}), "future_timestamp"),
        (topic, orjson.dumps({"ts": "yesterday", "metrics": {"pressure_bar": 4.2}}), "bad_timestamp"),
        (topic, b'{"ts": %d, "metrics": {"x": "%s"}}' % (now, b"a" * 100_000), "oversize"),
    ]


def test_fuzzed_stream_valid_stored_bad_quarantined(tmp_path: Path) -> None:
    rng = random.Random(20261122)
    db = tmp_path / "historian.sqlite"
    now = time.time_ns() // 1_000_000
    stream: list[Message] = []
    expected_reasons: dict[str, int] = {}
    valid = 0
    for i in range(6000):
        if i % VALID_EVERY == 0:
            sensor = f"W-P-{rng.randrange(20):03d}"
            body = orjson.dumps({"ts": now - i, "metrics": {"pressure_bar": round(rng.uniform(3, 5), 3)}})
            stream.append(Message(f"hv/v1/water/{sensor}/telemetry", body, False, 1))
            valid += 1
        else:
            topic, payload, reason = rng.choice(_bad_payloads(rng, now))
            stream.append(Message(topic, payload, False, 1))
            expected_reasons[reason] = expected_reasons.get(reason, 0) + 1
    bus = InProcessBus()

    async def scenario() -> dict[str, int]:
        async with running_engine("bus://", small_inventory(), db, tmp_path, links=_links(bus)) as engine:
            async with bus.client("field") as field:
                for message in stream:
                    await field.publish(message.topic, message.payload, 1)
            await wait_for(lambda: engine.health.received + engine.health.commands >= len(stream))
            engine.historian.flush()
            return dict(engine.health.rejected_by_reason)

    counted = asyncio.run(scenario())
    assert counted == expected_reasons
    with sqlite3.connect(db) as conn:
        assert conn.execute("select count(*) from telemetry").fetchone()[0] == valid
        stored = dict(conn.execute("select reason, sum(count) from quarantine group by reason").fetchall())
    assert stored == expected_reasons


def _links(bus: InProcessBus) -> object:
    from feeds.links import Links

    return Links(bus=bus)
