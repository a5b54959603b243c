"""A flood of messages for unknown assets through the real engine costs bounded disk, memory and log."""

from __future__ import annotations

import asyncio
import gc
import logging
import sqlite3
import time
import tracemalloc
from pathlib import Path

import orjson
import pytest

from feeds.bus import InProcessBus
from feeds.links import Links
from hypervisor.engine.rejection_log import RejectionLog
from hypervisor.historian.quarantine import DEFAULT_BUDGET, OTHER_KEY
from tests.engine_harness import running_engine, small_inventory, wait_for

FIRST, THEN = 12_000, 38_000
"""The first messages fill the key budget; the following ones must not cost memory per message."""


def traced_bytes() -> int:
    """Memory held by objects the project's code allocated, leaving out the test bus, which keeps a route
    per topic, and the topics this test makes."""
    gc.collect()
    snapshot = tracemalloc.take_snapshot().filter_traces([
        tracemalloc.Filter(True, "*/hypervisor/*"), tracemalloc.Filter(True, "*/alerts/*"),
        tracemalloc.Filter(True, "*/feeds/*"), tracemalloc.Filter(False, "*/feeds/bus.py")])
    return sum(stat.size for stat in snapshot.statistics("filename"))


def test_a_flood_of_unknown_assets_stays_within_the_quarantine_budget(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING, logger="hypervisor.engine.service")
    bus = InProcessBus()
    db = tmp_path / "h.sqlite"
    body = orjson.dumps({"ts": time.time_ns() // 1_000_000, "metrics": {"temp_c": 21.5, "fill_pct": 40}})

    async def flood(field: object, engine: object, start: int, count: int) -> None:
        for n in range(start, start + count):
            field.publish_nowait(f"hv/v1/waste/X-{n:06d}/telemetry", body, 1)
            if n % 1000 == 0:
                await asyncio.sleep(0)
        await wait_for(lambda: engine.health.received == start + count, 120)
        engine.historian.flush(60)

    async def scenario() -> tuple[int, int, dict]:
        async with running_engine("bus://", small_inventory(), db, tmp_path, links=Links(bus=bus)) as engine, \
                bus.client("field") as field:
            await flood(field, engine, 0, FIRST)
            before = traced_bytes()
            await flood(field, engine, FIRST, THEN)
            after = traced_bytes()
            return before, after, engine.historian.quarantine_stats

    tracemalloc.start()
    started = time.monotonic()
    try:
        before, after, stats = asyncio.run(scenario())
    finally:
        tracemalloc.stop()
    minutes = (time.monotonic() - started) / 60

    total = FIRST + THEN
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT key, count, length(sample), length(detail) FROM quarantine"
                            " WHERE reason = 'unknown_asset'").fetchall()
    assert len(rows) == DEFAULT_BUDGET.max_keys + 1, "at most max_keys keys, plus the reason's other entry"
    assert sum(count for _, count, _, _ in rows) == total, "every message is counted"
    assert dict((key, count) for key, count, _, _ in rows)[OTHER_KEY] == total - DEFAULT_BUDGET.max_keys
    assert max(sample for _, _, sample, _ in rows) <= DEFAULT_BUDGET.sample_bytes
    assert stats["keys"] == DEFAULT_BUDGET.max_keys and stats["other"] == {"unknown_asset": total - 10_000}
    growth = after - before
    assert growth < 1_000_000, f"{growth} bytes more after {THEN} more messages: memory grows per message"
    warnings = [r.getMessage() for r in caplog.records if "unknown_asset" in r.getMessage()]
    assert warnings[0].startswith("rejected unknown_asset on hv/v1/waste/X-000000/telemetry")
    assert all(" more unknown_asset messages " in line for line in warnings[1:])
    assert len(warnings) <= 1 + minutes, "one warning for the reason, then a summary at most every minute"


def test_rejection_warnings_are_one_per_reason_then_a_summary_a_minute(caplog: pytest.LogCaptureFixture) -> None:
    clock = [0.0]
    logger = logging.getLogger("tests.rejections")
    caplog.set_level(logging.WARNING, logger=logger.name)
    rejections = RejectionLog(logger, clock=lambda: clock[0])
    for n in range(100_000):
        clock[0] = n / 1000  # 1,000 a second for 100 s
        rejections.rejected("unknown_asset", f"hv/v1/waste/X-{n}/telemetry", f"no asset X-{n}")
        if n % 5000 == 0:
            rejections.rejected("bad_json", "hv/v1/waste/D-1/telemetry", "not JSON")
    clock[0] = 200.0
    rejections.tick()
    rejections.tick()
    lines = [r.getMessage() for r in caplog.records]
    assert lines[0].startswith("rejected unknown_asset on hv/v1/waste/X-0/telemetry: no asset X-0")
    assert lines[1].startswith("rejected bad_json on hv/v1/waste/D-1/telemetry")
    assert [" ".join(line.split(" ")[1:4]) for line in lines[2:]] == [
        "60000 more unknown_asset", "12 more bad_json", "39999 more unknown_asset", "7 more bad_json"]
    assert "the last on hv/v1/waste/X-99999/telemetry: no asset X-99999" in lines[4]
