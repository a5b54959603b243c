"""A reading the broker delivers again after a crash is stored again but raises no alarm a second time."""

from __future__ import annotations

import asyncio
import sqlite3
import time
from pathlib import Path

import orjson

from feeds.bus import InProcessBus
from feeds.clock import WallClock
from feeds.decoding import Decoder
from feeds.model import Message
from feeds.topics import Topics
from hypervisor.engine.service import Engine
from hypervisor.engine_builder import build_alarm_engine
from hypervisor.historian.writer import Historian
from tests.engine_harness import RULES, small_inventory

TOPICS = Topics()


def pressure(ts: int, bar: float) -> Message:
    body = orjson.dumps({"ts": ts, "metrics": {"pressure_bar": bar}})
    return Message(TOPICS.telemetry("water", "W-P-001"), body, False, 1)


def engine_session(historian_path: Path, rules: Path, batches: list[list[Message]]) -> None:
    """One engine's life: start on the historian (restoring what it holds), process, commit, stop."""
    async def run() -> None:
        clock = WallClock()
        inventory = small_inventory()
        historian = Historian(historian_path)
        historian.start()
        try:
            alarms = build_alarm_engine(inventory, [rules], clock, historian_path)
            engine = Engine(InProcessBus().client("engine"), Decoder(inventory, TOPICS, clock), alarms, historian,
                            clock, TOPICS, [rules])
            for batch in batches:
                await engine.process(batch)
            await asyncio.to_thread(historian.flush)
        finally:
            historian.close()

    asyncio.run(run())


def counts(historian_path: Path) -> tuple[int, list[str]]:
    with sqlite3.connect(historian_path) as db:
        rows = db.execute("SELECT count(*) FROM telemetry").fetchone()[0]
        events = [to for (to,) in db.execute("SELECT to_state FROM alarm_events ORDER BY rowid")]
    return rows, events


def test_a_low_then_normal_pressure_delivered_again_raises_and_clears_once(tmp_path: Path) -> None:
    rules = tmp_path / "rules.toml"
    rules.write_text(RULES)
    historian = tmp_path / "historian.sqlite"
    t = time.time_ns() // 1_000_000 - 60_000
    delivered = [pressure(t, 1.2), pressure(t + 1000, 4.5)]

    engine_session(historian, rules, [delivered])
    assert counts(historian) == (2, ["unack", "rtn_unack"])

    # The engine crashed before acknowledging: the broker delivers both again to the next engine.
    engine_session(historian, rules, [delivered])
    assert counts(historian) == (4, ["unack", "rtn_unack"])

    # A later reading still drives the alarm.
    engine_session(historian, rules, [[pressure(t + 2000, 1.1)]])
    assert counts(historian) == (5, ["unack", "rtn_unack", "unack"])


def test_within_one_session_a_late_reading_is_stored_but_drives_no_alarm(tmp_path: Path) -> None:
    rules = tmp_path / "rules.toml"
    rules.write_text(RULES)
    historian = tmp_path / "historian.sqlite"
    t = time.time_ns() // 1_000_000 - 60_000

    engine_session(historian, rules, [[pressure(t + 1000, 4.5)], [pressure(t, 1.2)]])

    assert counts(historian) == (2, [])
