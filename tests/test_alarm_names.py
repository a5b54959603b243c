"""Operators read names, not internal ids; a selected row keeps its priority colour; a click opens the asset."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, QPoint, Qt
from PySide6.QtGui import QColor

from alerts.records import AlarmRecord
from hypervisor.console.alarm_rows import alarm_row
from hypervisor.console.panels.status import StatusPanel
from widgets import theme
from widgets.alarms.grouping import Grouping, group_alarms
from widgets.alarms.model import Column
from widgets.alarms.view import AlarmPanel

RECORD = AlarmRecord.from_json({
    "alarm_id": "main_burst_pressure:district:Talant", "rule_id": "main_burst_pressure",
    "asset_id": "district:Talant", "asset_kind": "district", "domain": "water", "district": "Talant",
    "priority": "critical", "state": "unack", "active": True, "raised_ms": 1_760_000_000_000,
    "changed_ms": 1_760_000_000_000,
    "description": "Pressure low on several sensors of a district: probable main burst",
    "descriptions": {"fr": "Pression basse sur plusieurs capteurs d'un quartier : casse de conduite probable"}})


def test_district_alarms_and_flood_groups_are_named_for_operators(qtbot) -> None:  # type: ignore[no-untyped-def]
    row = alarm_row(RECORD)
    panel = AlarmPanel()
    qtbot.addWidget(panel)
    panel.apply([row])
    assert panel.proxy.index(0, Column.ASSET).data() == "District Talant"
    [group] = group_alarms([row], Grouping.RULE_DISTRICT)
    assert group.label(Grouping.RULE_DISTRICT) == (
        "Pressure low on several sensors of a district: probable main burst · Talant")


def test_the_embedded_source_is_called_the_simulated_city(qtbot) -> None:  # type: ignore[no-untyped-def]
    status = StatusPanel("bus://embedded")
    qtbot.addWidget(status)
    assert status.link.text().startswith("Source Simulated city:")


def test_a_selected_row_keeps_its_priority_colour_and_a_click_opens_its_asset(qtbot) -> None:  # type: ignore[no-untyped-def]
    panel = AlarmPanel()
    qtbot.addWidget(panel)
    panel.resize(1200, 300)
    panel.show()
    panel.apply([alarm_row(RECORD)])
    cell = panel.table.visualRect(panel.proxy.index(0, Column.PRIORITY))
    with qtbot.waitSignal(panel.assetActivated) as opened:
        qtbot.mouseClick(panel.table.viewport(), Qt.MouseButton.LeftButton, pos=cell.center())
    assert opened.args == ["district:Talant"]
    assert panel.table.selectionModel().isRowSelected(0)
    panel.table.selectionModel().select(panel.proxy.index(0, 0), QItemSelectionModel.SelectionFlag.ClearAndSelect
                                        | QItemSelectionModel.SelectionFlag.Rows)
    image = panel.table.viewport().grab().toImage()
    shown = QColor(image.pixel(cell.topLeft() + QPoint(4, cell.height() // 2)))
    assert shown.name() == theme.PRIORITY_COLOURS["critical"]
