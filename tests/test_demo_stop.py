"""Closing the demo stops the embedded engine cleanly: everything the simulator sent is stored."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from feeds.inventory import Inventory
from hypervisor import paths
from hypervisor.app import build_console
from hypervisor.deployment import EmbeddedCity


def test_closing_the_demo_stores_every_reading_the_engine_took(qtbot, dijon: Inventory,  # type: ignore[no-untyped-def]
                                                               tmp_path: Path) -> None:
    historian = tmp_path / "demo.sqlite"
    deployment = EmbeddedCity(dijon, [paths.DEFAULT_RULES], historian, faults_per_hour=0)
    window, source = build_console(deployment, dijon, "alice")
    qtbot.addWidget(window)
    source.start()
    # The simulator's first step reports every asset at once, and the engine is built while it goes out:
    # the engine is mid-flood when the window closes.
    qtbot.waitUntil(lambda: deployment.engine is not None and deployment.engine.health.received > 0, timeout=60_000)
    window.close()
    source.stop()

    engine = deployment.engine
    assert engine is not None
    assert len(engine.link.inbox) == 0  # type: ignore[attr-defined]
    with sqlite3.connect(historian) as db:
        stored = sum(db.execute(f"SELECT count(*) FROM {table}").fetchone()[0] for table in ("telemetry", "status"))
    assert stored == engine.health.accepted >= len(dijon)
