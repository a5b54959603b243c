"""Rules edited on disk take effect without restarting the engine; a broken edit keeps the good rules."""

from __future__ import annotations

import asyncio
import logging
import time
from pathlib import Path

import orjson
import pytest

from feeds.bus import InProcessBus
from feeds.links import Links
from tests.engine_harness import RULES, running_engine, small_inventory, wait_for


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
