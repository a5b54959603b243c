"""Acknowledged means stored: the engine process killed or stopped while it drains its session's backlog.

A real mosquitto queues a backlog for the engine's persistent session; the engine (``python -m
hypervisor engine``) is stopped halfway through by ``kill -9`` or ``kill -TERM``, then started again.
Every reading the broker acknowledged to the publisher must be in the historian after the restart, and every
fire reading must have raised its alarm exactly once. After a clean stop each reading is stored exactly
once (what the engine stored it acknowledged, and nothing else); after ``kill -9`` readings stored but not
yet acknowledged come again and may be stored twice.

Every wait is on a condition, with bounds generous enough for a loaded machine.
"""

from __future__ import annotations

import signal
from collections import Counter
from pathlib import Path

import pytest

from feeds.mosquitto import Mosquitto
from tests.fault_harness import (
    EngineProcess,
    backlog,
    container_inventory,
    fire_raises,
    prepare_session,
    stored_keys,
    telemetry_count,
    wait_until,
)

CONTAINERS = 500
PER_CONTAINER = 120  # 60,000 messages
FIRES = 20
CLIENT_ID = "hv-engine-fault"
INTERRUPTED_WINDOW = 100


def drain_interrupted(mosquitto: Mosquitto, tmp_path: Path, sig: int) -> tuple[set[tuple[str, int]], Path, int]:
    """Queue the backlog, start the engine, send ``sig`` halfway; returns what was published, the historian
    and how many rows it held when the engine was gone."""
    inventory_path = tmp_path / "containers.csv"
    inventory = container_inventory(inventory_path, CONTAINERS)
    messages, published = backlog(inventory, PER_CONTAINER, FIRES)
    prepare_session(mosquitto.url, CLIENT_ID, inventory, mosquitto.port, messages)
    historian = tmp_path / "historian.sqlite"
    # A narrow in-flight window keeps the drain going for seconds even on a fast, idle machine, so the signal
    # always lands halfway through it.
    engine = EngineProcess(f"{mosquitto.url}?inflight={INTERRUPTED_WINDOW}", inventory_path, historian, CLIENT_ID,
                           tmp_path / "engine.log")
    try:
        wait_until(lambda: telemetry_count(historian) >= len(messages) // 6, 300, "the drain to be under way", engine)
        code = engine.kill(sig)
    finally:
        engine.stop()
    assert telemetry_count(historian) < len(messages), "the engine finished before it could be interrupted"
    if sig == signal.SIGTERM:
        assert code == 0, (tmp_path / "engine.log").read_text()[-3000:]
    return published, historian, telemetry_count(historian)


def restart_and_drain(mosquitto: Mosquitto, tmp_path: Path, published: set[tuple[str, int]],
                      historian: Path) -> list[tuple[str, int]]:
    engine = EngineProcess(mosquitto.url, tmp_path / "containers.csv", historian, CLIENT_ID, tmp_path / "engine.log")
    try:
        wait_until(lambda: published <= set(stored_keys(historian)), 600, "every reading to be stored", engine)
        assert engine.kill(signal.SIGTERM) == 0
    finally:
        engine.stop()
    return stored_keys(historian)


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM], ids=["kill-9", "kill-TERM"])
def test_an_interrupted_drain_loses_no_reading_and_raises_each_fire_once(
        mosquitto: Mosquitto, tmp_path: Path, sig: int) -> None:
    published, historian, _ = drain_interrupted(mosquitto, tmp_path, sig)

    stored = restart_and_drain(mosquitto, tmp_path, published, historian)

    assert set(stored) == published, f"{len(published - set(stored))} acknowledged readings missing"
    if sig == signal.SIGTERM:
        # A clean stop acknowledged everything it stored and nothing else: no reading came twice.
        twice = [key for key, n in Counter(stored).items() if n > 1]
        assert twice == [], f"{len(twice)} readings stored twice, e.g. {twice[:3]}"
        assert "messages unacknowledged" not in (tmp_path / "engine.log").read_text()
    fires = fire_raises(historian)
    assert sorted(fires) == [f"B-{i:05d}" for i in range(FIRES)]
    assert set(fires.values()) == {1}
