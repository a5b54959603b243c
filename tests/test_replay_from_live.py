"""A director opens REPLAY from a LIVE console: LIVE goes on, unchanged, beside it."""

from __future__ import annotations

from pathlib import Path

from feeds.inventory import Inventory
from hypervisor import paths
from hypervisor.console.replay_menu import HOUR_MS
from hypervisor.deployment import EmbeddedCity
from hypervisor.replay.history import open_read_only, recorded_period
from tests.console_harness import open_console


def _has_history(path: Path) -> bool:
    if not path.exists():
        return False
    db = open_read_only(path)
    try:
        first, last = recorded_period(db)
        return last > first
    except ValueError:
        return False
    finally:
        db.close()


def test_replay_opened_from_live_leaves_live_running_and_unchanged(qtbot, dijon: Inventory, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    history = tmp_path / "historian.sqlite"
    deployment = EmbeddedCity(dijon, [paths.DEFAULT_RULES], history, speed=60.0, faults_per_hour=0)
    live, source = open_console(qtbot, deployment, dijon, "alice", tmp_path)
    replay = None
    try:
        source.inject_fault("pressure_drop", "W-P-012")
        qtbot.waitUntil(lambda: any(r.asset_id == "W-P-012" for r in live.alarms.model.rows()), timeout=30_000)
        qtbot.waitUntil(lambda: _has_history(history), timeout=20_000)
        assert "&Alarms" in [a.text() for a in live.menuBar().actions()], "LIVE keeps its commands"
        replay = live.replay_menu.open_last(HOUR_MS)
        assert replay is not None and replay.band.mode() == "replay" and live.band.mode() == "live"
        qtbot.waitUntil(lambda: replay.last_snapshot is not None, timeout=20_000)
        replay.source.seek(replay.source.start_ms)
        qtbot.waitUntil(lambda: replay.last_snapshot.now_ms == replay.source.start_ms, timeout=20_000)
        seen = live.last_snapshot.now_ms
        qtbot.waitUntil(lambda: live.last_snapshot.now_ms > seen + 10_000, timeout=20_000)
        assert live.band.mode() == "live" and live.alarms.toolbar.isVisible(), "LIVE still offers its actions"
        assert any(r.asset_id == "W-P-012" for r in live.alarms.model.rows())
        qtbot.waitUntil(lambda: {r.alarm_id for r in live.alarms.model.rows()} == set(source.state.alarms),
                        timeout=10_000)
        assert live.last_snapshot.kpis["water_min_pressure_bar"] is not None
        assert replay.source.end_ms <= live.last_snapshot.now_ms
    finally:
        if replay is not None:
            replay.close()
        live.close()
        source.stop()
