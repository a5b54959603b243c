"""View ▸ Reset layout puts every panel back, with the alarm list's room; Unshelve only for shelved alarms."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QItemSelectionModel, QSettings, Qt

from feeds.links import Links
from hypervisor.app import build_console
from hypervisor.console.window import ALARM_LIST_SHARE
from hypervisor.deployment import BrokerDeployment
from tests.engine_harness import small_inventory
from widgets.alarms.row import AlarmRow


def test_reset_layout_brings_every_panel_back_with_its_starting_size(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    settings = QSettings(str(tmp_path / "layout.ini"), QSettings.Format.IniFormat)
    window, _ = build_console(BrokerDeployment(Links(), "mqtt://127.0.0.1:1"), small_inventory(), "alice",
                              settings=settings)
    qtbot.addWidget(window)
    window.resize(1920, 1080)
    window.show()
    alarms = window._docks["alarms"]
    qtbot.waitUntil(lambda: alarms.height() > window.height() * (ALARM_LIST_SHARE - 0.1))
    window._docks["water"].setFloating(True)
    window._docks["asset"].hide()
    window.resizeDocks([alarms], [120], Qt.Orientation.Vertical)
    qtbot.waitUntil(lambda: alarms.height() < 200)
    reset = next(a for m in window.menuBar().actions() for a in (m.menu().actions() if m.menu() else [])
                 if a.text() == "Reset layout")
    reset.trigger()
    qtbot.waitUntil(lambda: alarms.height() > window.height() * (ALARM_LIST_SHARE - 0.1))
    assert not window._docks["water"].isFloating()
    assert all(not dock.isHidden() for dock in window._docks.values())
    rows = window.alarms.table.verticalHeader().defaultSectionSize()
    assert window.alarms.table.viewport().height() // rows >= 12, "12 alarm rows or more at 1080p"


def _row(state: str) -> AlarmRow:
    return AlarmRow(f"r:{state}", "r", f"A-{state}", "water", "Centre", "high", state, "m", None, 1, 1)


def test_unshelve_is_offered_only_for_shelved_alarms(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from widgets.alarms.view import AlarmPanel

    panel = AlarmPanel()
    qtbot.addWidget(panel)
    panel.proxy.set_states(None)
    panel.apply([_row("unack"), _row("shelved")])
    flags = QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
    for number in range(panel.proxy.rowCount()):
        panel.table.selectionModel().select(panel.proxy.index(number, 0), flags)
        shelved = panel.proxy.row(number).state == "shelved"
        assert panel.unshelve_action.isEnabled() == shelved
        assert panel.ack_action.isEnabled() == (not shelved)
