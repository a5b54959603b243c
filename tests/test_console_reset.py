"""A latched alarm is reset from the console, by button, shortcut or menu, after a confirmation naming it."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from feeds.links import Links
from feeds.mosquitto import Mosquitto
from hypervisor.deployment import BrokerDeployment
from tests.console_harness import EngineBeside, open_console, pressure, publish, row_of, select_alarm
from tests.engine_harness import small_inventory
from widgets.alarms.dialogs import ResetDialog

pytestmark = pytest.mark.broker

LATCHING = """
[[rule]]
id = "pressure-collapse"
description = "Network pressure collapsed; stays until reset after checking on site"
priority = "critical"
kind = "threshold"
metric = "pressure_bar"
lo = 2.0
latching = true
[rule.target]
kind = "pressure_sensor"
"""


def test_a_latched_alarm_is_reset_from_the_console(qtbot, mosquitto: Mosquitto, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    inventory = small_inventory()
    with EngineBeside(mosquitto.url, inventory, tmp_path, LATCHING):
        window, source = open_console(qtbot, BrokerDeployment(Links(), mosquitto.url), inventory, "alice", tmp_path)
        try:
            qtbot.waitUntil(lambda: window.last_snapshot is not None and window.last_snapshot.link.engine_online,
                            timeout=15_000)
            publish(mosquitto.url, [pressure("W-P-004", 1.1)])
            qtbot.waitUntil(lambda: row_of(window, "W-P-004") is not None, timeout=10_000)
            alarm_id = row_of(window, "W-P-004").alarm_id
            select_alarm(window, alarm_id)
            assert not window.alarms.reset_action.isEnabled(), "no reset while the pressure is still low"
            publish(mosquitto.url, [pressure("W-P-004", 4.0)])
            qtbot.waitUntil(lambda: window.alarms.model.get(alarm_id).can_reset, timeout=10_000)
            assert window.alarms.model.get(alarm_id).state == "unack", "the latched alarm stays listed"
            qtbot.waitUntil(window.alarms.reset_action.isEnabled, timeout=2_000)
            [alarms_menu] = [a.menu() for a in window.menuBar().actions() if a.text() == "&Alarms"]
            menu_texts = [a.text() for a in alarms_menu.actions()]
            assert window.alarms.reset_action.text() in menu_texts
            qtbot.keyClick(window.alarms.table, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
            qtbot.waitUntil(lambda: window.alarms.findChild(ResetDialog) is not None, timeout=2_000)
            dialog = window.alarms.findChild(ResetDialog)
            assert any("W-P-004" in label.text() for label in dialog.findChildren(QLabel)), "it names the alarm"
            dialog.accept()
            qtbot.waitUntil(lambda: (row := window.alarms.model.get(alarm_id)) is None or not row.latched,
                            timeout=10_000)
        finally:
            window.close()
            source.stop()
