"""The alarm list never moves a row under the operator; the flood grouping does not flap."""

from __future__ import annotations

from pathlib import Path

import pytest

from feeds.links import Links
from feeds.mosquitto import Mosquitto
from hypervisor.deployment import BrokerDeployment
from tests.console_harness import EngineBeside, open_console, pressure, publish, row_of, select_alarm
from tests.engine_harness import small_inventory

pytestmark = pytest.mark.broker


def _shown(window) -> list[str]:  # type: ignore[no-untyped-def]
    proxy = window.alarms.proxy
    return [proxy.row(r).asset_id for r in range(proxy.rowCount())]


def test_new_alarms_wait_while_a_row_is_selected(qtbot, mosquitto: Mosquitto, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    inventory = small_inventory()
    with EngineBeside(mosquitto.url, inventory, tmp_path):
        window, source = open_console(qtbot, BrokerDeployment(Links(), mosquitto.url), inventory, "alice", tmp_path)
        try:
            qtbot.waitUntil(lambda: window.last_snapshot is not None and window.last_snapshot.link.engine_online,
                            timeout=15_000)
            publish(mosquitto.url, [pressure(f"W-P-{n:03d}", 1.2) for n in range(1, 4)])
            qtbot.waitUntil(lambda: len(_shown(window)) == 3, timeout=10_000)
            window.activateWindow()
            chosen = row_of(window, "W-P-002")
            select_alarm(window, chosen.alarm_id)
            before = _shown(window)
            place = before.index("W-P-002")
            publish(mosquitto.url, [pressure(f"W-P-{n:03d}", 1.2) for n in range(10, 13)])
            qtbot.waitUntil(window.alarms.new_button.isVisible, timeout=10_000)
            qtbot.waitUntil(lambda: window.alarms.new_button.text() == "▲ 3 new", timeout=5_000)
            assert _shown(window) == before, "no row moved while one was selected"
            assert [r.alarm_id for r in window.alarms.selected_rows()] == [chosen.alarm_id]
            assert _shown(window)[place] == "W-P-002"
            window.alarms.table.clearSelection()
            window.map.setFocus()
            qtbot.waitUntil(lambda: len(_shown(window)) == 6, timeout=5_000)
            assert not window.alarms.new_button.isVisible()
        finally:
            window.close()
            source.stop()


def test_flood_grouping_waits_before_leaving(qtbot, mosquitto: Mosquitto, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    window, source = open_console(qtbot, BrokerDeployment(Links(), mosquitto.url), small_inventory(), "alice",
                                  tmp_path)
    try:
        panel = window.alarms
        panel.set_flood(True, 11, 0)
        assert panel.stack.currentWidget() is panel.tree
        for active in (False, True, False, False):
            panel.set_flood(active, 9 + active * 2, 0)
            assert panel.stack.currentWidget() is panel.tree, "crossing the limit back and forth keeps the groups"
        panel.leave_after_ms = 50
        qtbot.waitUntil(lambda: (panel.set_flood(False, 3, 0), panel.stack.currentWidget() is panel.table)[1],
                        timeout=5_000)
    finally:
        window.close()
        source.stop()
