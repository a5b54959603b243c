"""REPLAY on the real window: a fault recorded through the real engine, seen as it was."""

from __future__ import annotations

import math
import sqlite3
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QAction

from feeds.inventory import Inventory
from hypervisor.app import build_replay
from hypervisor.console.window import ConsoleWindow
from hypervisor.feed.address import ReplayAddress
from hypervisor.feed.contract import Capability
from hypervisor.replay.source import ReplaySource
from tests.engine_harness import small_inventory
from tests.replay_harness import ALARM_ID, SENSOR, RecordedFault, record_fault


@pytest.fixture(scope="module")
def inventory() -> Inventory:
    return small_inventory()


@pytest.fixture(scope="module")
def fault(inventory: Inventory, tmp_path_factory: pytest.TempPathFactory) -> RecordedFault:
    return record_fault(inventory, tmp_path_factory.mktemp("recorded"))


def open_replay(qtbot, inventory: Inventory, address: ReplayAddress, tmp_path: Path):  # type: ignore[no-untyped-def]
    settings = QSettings(str(tmp_path / "director.ini"), QSettings.Format.IniFormat)
    window, source = build_replay(address, inventory, "director", settings)
    qtbot.addWidget(window)
    window.resize(1400, 900)
    window.show()
    source.start()
    return window, source


@pytest.fixture
def replay(qtbot, inventory: Inventory, fault: RecordedFault, tmp_path: Path):  # type: ignore[no-untyped-def]
    window, source = open_replay(qtbot, inventory, ReplayAddress(fault.path), tmp_path)
    qtbot.waitUntil(lambda: window.last_snapshot is not None, timeout=10_000)
    yield window, source
    window.close()
    source.stop()


def show(qtbot, window: ConsoleWindow, source: ReplaySource, at_ms: int) -> None:  # type: ignore[no-untyped-def]
    source.seek(at_ms)
    qtbot.waitUntil(lambda: window.last_snapshot.now_ms == at_ms and window.timeline_position() == at_ms,
                    timeout=10_000)


def picture(window: ConsoleWindow, inventory: Inventory) -> tuple[object, ...]:
    """What a director sees: alarm rows with who did what, key figures, map states, asset values."""
    rows = sorted((r.alarm_id, r.state, r.acked_by, r.acked_ms, r.last_comment, r.last_comment_by)
                  for r in window.alarms.model.rows())
    kpis = {k: (None if v is None or (isinstance(v, float) and math.isnan(v)) else round(v, 6))
            for k, v in window.last_snapshot.kpis.items()}
    states = [window.map.asset_state(i) for i in range(len(inventory))]
    latest = [window.latest_of(a.id) for a in inventory.assets]
    return rows, kpis, states, latest


def test_the_fault_is_seen_before_during_and_after_with_who_did_what(replay, qtbot, fault, inventory) -> None:  # type: ignore[no-untyped-def]
    window, source = replay
    index = inventory.index[SENSOR]
    assert window.band.mode() == "replay" and window.band.title() == "REPLAY"
    assert window.band.background().name() != "#17a58c", "REPLAY's band is not LIVE's colour"

    show(qtbot, window, source, fault.before_ms)
    assert window.alarms.model.get(ALARM_ID) is None
    assert window.latest_of(SENSOR)[1]["pressure_bar"] == 4.5

    show(qtbot, window, source, fault.raised_ms)
    row = window.alarms.model.get(ALARM_ID)
    assert (row.state, row.acked_by, row.last_comment) == ("unack", None, None)
    assert window.map.asset_state(index)[:2] == (3, True), "high priority, blinking until acknowledged"
    assert window.latest_of(SENSOR)[1]["pressure_bar"] == 1.2

    show(qtbot, window, source, fault.acked_ms)
    row = window.alarms.model.get(ALARM_ID)
    assert (row.state, row.acked_by, row.acked_ms) == ("acked", "alice", fault.acked_ms)
    assert row.last_comment is None

    show(qtbot, window, source, fault.commented_ms)
    row = window.alarms.model.get(ALARM_ID)
    assert (row.acked_by, row.last_comment, row.last_comment_by) == ("alice", "crew sent to the valve", "bob")
    assert window.map.asset_state(index)[:2] == (3, False)

    show(qtbot, window, source, fault.cleared_ms)
    assert window.alarms.model.get(ALARM_ID) is None
    assert window.map.asset_state(index)[0] == 0
    assert window.latest_of(SENSOR)[1]["pressure_bar"] >= 4.4

    show(qtbot, window, source, fault.acked_ms)
    assert window.alarms.model.get(ALARM_ID).acked_by == "alice", "back in time, the alarm is listed again"


def test_the_band_gives_the_instant_with_its_date_in_the_city_zone(replay, qtbot, fault) -> None:  # type: ignore[no-untyped-def]
    window, source = replay
    show(qtbot, window, source, fault.raised_ms)
    from datetime import datetime
    from zoneinfo import ZoneInfo

    local = datetime.fromtimestamp(fault.raised_ms / 1000, ZoneInfo("Europe/Paris"))
    detail = window.band.detail()
    assert local.strftime("%H:%M:%S") in detail and str(local.year) in detail and local.tzname() in detail


@pytest.mark.parametrize("stop", ["raised_ms", "acked_ms", "commented_ms", "cleared_ms", "end_ms"])
def test_seeking_backwards_and_forwards_gives_the_picture_of_playing_through(  # type: ignore[no-untyped-def]
        replay, qtbot, inventory, fault, tmp_path, stop) -> None:
    at = getattr(fault, stop)
    window, source = open_replay(qtbot, inventory, ReplayAddress(fault.path, None, at), tmp_path)
    try:
        qtbot.waitUntil(lambda: window.last_snapshot is not None, timeout=10_000)
        source.set_speed(1.0)
        source.play()
        qtbot.waitUntil(lambda: not source.playing and window.last_snapshot.now_ms == at, timeout=10_000)
        played = picture(window, inventory)
    finally:
        window.close()
        source.stop()
    seeking, whole = replay
    show(qtbot, seeking, whole, whole.end_ms)
    show(qtbot, seeking, whole, at)
    assert picture(seeking, inventory) == played, "seeking back to where playing stopped"
    show(qtbot, seeking, whole, whole.start_ms)
    show(qtbot, seeking, whole, at)
    assert picture(seeking, inventory) == played, "seeking forward to where playing stopped"


def test_no_command_can_be_sent_from_replay(replay, qtbot, fault) -> None:  # type: ignore[no-untyped-def]
    window, source = replay
    show(qtbot, window, source, fault.raised_ms)
    assert Capability.COMMAND not in source.capabilities and Capability.INJECT not in source.capabilities
    assert not any(hasattr(source.feed, name) for name in ("command", "publish", "inject_fault", "link"))
    assert not any(hasattr(source, name) for name in ("command", "inject_fault"))
    menus = [a.text() for a in window.menuBar().actions()]
    assert "&Alarms" not in menus
    texts = {a.text() for a in window.findChildren(QAction) if a.isEnabled() and a.isVisible()}
    assert not texts & {"Acknowledge", "Acknowledge all visible", "Comment…", "Shelve…", "Unshelve", "Reset…"}
    assert not window.alarms.toolbar.isVisible()
    window.alarms.table.selectRow(0)
    qtbot.keyClick(window.alarms.table, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    assert window.alarms.model.get(ALARM_ID).state == "unack"
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        source.feed._db.execute("DELETE FROM alarm_events")


def test_the_timeline_steps_through_alarm_transitions_by_keyboard(replay, qtbot, fault) -> None:  # type: ignore[no-untyped-def]
    window, source = replay
    timeline = window.replay.timeline
    qtbot.waitUntil(lambda: timeline.transitions.size == 4, timeout=10_000)
    show(qtbot, window, source, fault.before_ms)
    timeline.setFocus()
    qtbot.keyClick(timeline, Qt.Key.Key_Right)
    qtbot.waitUntil(lambda: window.last_snapshot.now_ms == fault.raised_ms, timeout=5_000)
    qtbot.keyClick(timeline, Qt.Key.Key_Right)
    qtbot.waitUntil(lambda: window.last_snapshot.now_ms == fault.acked_ms, timeout=5_000)
    assert window.alarms.model.get(ALARM_ID).acked_by == "alice"
    qtbot.keyClick(timeline, Qt.Key.Key_Left)
    qtbot.waitUntil(lambda: window.last_snapshot.now_ms == fault.raised_ms, timeout=5_000)
    qtbot.keyClick(timeline, Qt.Key.Key_End)
    qtbot.waitUntil(lambda: window.last_snapshot.now_ms == source.end_ms, timeout=5_000)
    qtbot.keyClick(timeline, Qt.Key.Key_Home)
    qtbot.waitUntil(lambda: window.last_snapshot.now_ms == source.start_ms, timeout=5_000)
    qtbot.keyClick(timeline, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: timeline.is_playing() or window.last_snapshot.now_ms == source.end_ms, timeout=5_000)


def test_bookmarks_are_kept_for_the_next_replay_of_the_file(qtbot, inventory, fault, tmp_path) -> None:  # type: ignore[no-untyped-def]
    window, source = open_replay(qtbot, inventory, ReplayAddress(fault.path), tmp_path)
    window.replay.add_bookmark(fault.acked_ms, "alice takes it")
    window.close()
    source.stop()
    again, source = open_replay(qtbot, inventory, ReplayAddress(fault.path), tmp_path)
    try:
        assert again.replay.timeline.bookmarks() == [(fault.acked_ms, "alice takes it")]
        again.replay.timeline.bookmark_box.activated.emit(1)
        qtbot.waitUntil(lambda: again.last_snapshot is not None and again.last_snapshot.now_ms == fault.acked_ms,
                        timeout=5_000)
    finally:
        again.close()
        source.stop()


def test_a_single_bookmark_saved_by_an_earlier_run_opens_with_the_file(qtbot, inventory, fault,  # type: ignore[no-untyped-def]
                                                                     tmp_path) -> None:
    """Another run of the program wrote the settings file; one bookmark is read back as a plain string."""
    import hashlib

    key = hashlib.sha1(str(fault.path.resolve()).encode()).hexdigest()[:16]
    (tmp_path / "director.ini").write_text(
        f"[replay-bookmarks]\n{key}={fault.acked_ms}\\tcasse\nother=not-a-bookmark\n")
    window, source = open_replay(qtbot, inventory, ReplayAddress(fault.path), tmp_path)
    try:
        assert window.replay.timeline.bookmarks() == [(fault.acked_ms, "casse")]
    finally:
        window.close()
        source.stop()


def test_gauges_take_the_limits_of_the_rules_the_recording_engine_ran(replay) -> None:  # type: ignore[no-untyped-def]
    window, _ = replay
    gauge = window.domain_panels["water"].gauges["water_min_pressure_bar"]
    # The recording engine ran a low-pressure rule without the shipped rules' 1.5 bar "lolo" limit.
    assert gauge.limits() == {"lo": 2.0}
