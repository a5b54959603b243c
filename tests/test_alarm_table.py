"""Alarm list: in-place updates, sorting, filtering, operator actions and flood grouping."""

from __future__ import annotations

import dataclasses
import time

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import QDialogButtonBox

from widgets.alarms import AlarmPanel, AlarmRow, AlarmTableModel, Column, Grouping, ShelveDialog
from widgets.alarms.filter import AlarmFilterProxy

T0 = 1_790_000_000_000


def alarm(n: int, priority: str = "high", state: str = "unack", *, rule: str = "pressure-low",
          district: str = "Chenôve", domain: str = "water", raised_ms: int | None = None) -> AlarmRow:
    return AlarmRow(
        alarm_id=f"{rule}:A-{n}", rule_id=rule, asset_id=f"A-{n}", domain=domain, district=district,
        priority=priority, state=state, message=f"alarm {n}", value=1.2,
        raised_ms=T0 + n * 1000 if raised_ms is None else raised_ms, changed_ms=T0 + n * 1000,
    )


def visible_ids(proxy: AlarmFilterProxy) -> list[str]:
    return [row.alarm_id for row in proxy.visible_rows()]


def test_apply_inserts_updates_and_removes_with_minimal_signals(qtbot) -> None:
    model = AlarmTableModel()
    model.apply([alarm(1), alarm(2), alarm(3)])
    inserted, removed, changed = [], [], []
    model.rowsInserted.connect(lambda _p, first, last: inserted.append((first, last)))
    model.rowsRemoved.connect(lambda _p, first, last: removed.append((first, last)))
    model.dataChanged.connect(lambda top, bottom, _r: changed.append((top.row(), bottom.row())))

    with qtbot.waitSignal(model.countsChanged) as counts:
        model.apply([alarm(3, state="acked"), alarm(1), alarm(4)], removed=["pressure-low:A-2"])

    assert removed == [(1, 1)], "rows are kept in display order: newest first within a priority"
    assert changed == [(0, 0)], "only the row whose alarm changed is repainted"
    assert inserted == [(0, 0)], "a new alarm goes straight to its place"
    assert [model.row(r).alarm_id for r in range(model.rowCount())] == [
        "pressure-low:A-4", "pressure-low:A-3", "pressure-low:A-1"]
    assert counts.args == [3, 2]
    assert model.get("pressure-low:A-3").state == "acked"


def test_cells_show_translated_state_bold_unacked_and_priority_colour(qtbot) -> None:
    model = AlarmTableModel()
    acked = dataclasses.replace(alarm(2, state="acked"), acked_by="alice", acked_ms=T0)
    model.apply([alarm(1, priority="critical"), acked])
    state = model.index(0, Column.STATE)
    assert state.data() == "Unacknowledged"
    assert model.index(0, Column.ASSET).data(Qt.ItemDataRole.FontRole).bold()
    assert model.index(1, Column.ASSET).data(Qt.ItemDataRole.FontRole) is None
    assert model.index(1, Column.ACKED_BY).data().startswith("alice ")
    assert model.index(0, Column.PRIORITY).data(Qt.ItemDataRole.BackgroundRole).name() == "#ff4d4f"


def test_sorting_by_priority_puts_critical_first_then_newest(qtbot) -> None:
    model = AlarmTableModel()
    proxy = AlarmFilterProxy()
    proxy.setSourceModel(model)
    model.apply([alarm(1, "low"), alarm(2, "critical"), alarm(3, "high"), alarm(4, "critical")])
    assert [row.asset_id for row in proxy.visible_rows()] == ["A-4", "A-2", "A-3", "A-1"]
    model.apply([alarm(1, "critical")])
    assert [row.asset_id for row in proxy.visible_rows()] == ["A-4", "A-2", "A-1", "A-3"]


def test_filters_by_domain_priority_state_and_text(qtbot) -> None:
    model = AlarmTableModel()
    proxy = AlarmFilterProxy()
    proxy.setSourceModel(model)
    model.apply([
        alarm(1, "critical", domain="water"), alarm(2, "low", domain="lighting"),
        alarm(3, "critical", domain="lighting"), alarm(4, "critical", "shelved", domain="lighting"),
    ])
    assert "pressure-low:A-4" not in visible_ids(proxy), "shelved alarms stay out of the list by default"
    proxy.set_domain("lighting")
    assert sorted(visible_ids(proxy)) == ["pressure-low:A-2", "pressure-low:A-3"]
    proxy.set_priority("critical")
    assert visible_ids(proxy) == ["pressure-low:A-3"]
    proxy.set_states(["shelved"])
    assert visible_ids(proxy) == ["pressure-low:A-4"]
    proxy.set_states(None)
    proxy.set_priority(None)
    proxy.set_domain(None)
    proxy.set_text("alarm 2")
    assert visible_ids(proxy) == ["pressure-low:A-2"]


@pytest.fixture
def panel(qtbot) -> AlarmPanel:
    widget = AlarmPanel()
    widget.resize(1000, 500)
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    widget.activateWindow()
    qtbot.waitUntil(widget.isActiveWindow)
    return widget


def test_selecting_two_rows_and_pressing_ctrl_k_acknowledges_both(qtbot, panel: AlarmPanel) -> None:
    panel.model.apply([alarm(1, "critical"), alarm(2, "high"), alarm(3, "low")])
    assert panel.counts_label.text() == "3 active, 3 unacknowledged"
    selection = panel.table.selectionModel()
    for row in (0, 1):
        selection.select(panel.proxy.index(row, 0),
                         QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows)
    panel.table.setFocus()

    with qtbot.waitSignal(panel.ackRequested) as request:
        qtbot.keyClick(panel.table, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)

    assert sorted(request.args[0]) == ["pressure-low:A-1", "pressure-low:A-2"]


def shown_assets(panel: AlarmPanel) -> list[str]:
    return [panel.proxy.row(r).asset_id for r in range(panel.proxy.rowCount())]


@pytest.mark.parametrize("arriving", [3, 40], ids=["in their places", "in so many places that the list reorders"])
def test_a_header_click_orders_the_list_and_new_alarms_keep_that_order(qtbot, panel: AlarmPanel,
                                                                        arriving: int) -> None:
    panel.model.apply([alarm(n, "high", district=f"D{2 * n:03d}") for n in range(40)])
    panel.table.horizontalHeader().setSortIndicator(Column.DISTRICT, Qt.SortOrder.DescendingOrder)
    assert panel.table.isSortingEnabled()
    panel.model.apply([alarm(n, "low", district=f"D{2 * (n - 40) + 1:03d}") for n in range(40, 40 + arriving)])
    districts = [row.district for row in panel.proxy.visible_rows()]
    assert districts == sorted(districts, reverse=True)
    assert len(districts) == 40 + arriving

    panel.table.horizontalHeader().setSortIndicator(Column.RAISED, Qt.SortOrder.AscendingOrder)
    assert shown_assets(panel) == [f"A-{n}" for n in range(40 + arriving)]


def test_a_held_row_keeps_its_place_and_the_list_reorders_when_let_go(qtbot, panel: AlarmPanel) -> None:
    panel.model.apply([alarm(n, "high") for n in range(1, 5)])
    assert shown_assets(panel) == ["A-4", "A-3", "A-2", "A-1"]
    panel.table.selectRow(1)
    assert panel.hold.holding()
    panel.apply([alarm(1, "critical")])
    assert shown_assets(panel) == ["A-4", "A-3", "A-2", "A-1"], "nothing moves while the operator has a selection"

    panel.table.clearSelection()
    qtbot.waitUntil(lambda: shown_assets(panel) == ["A-1", "A-4", "A-3", "A-2"])


def test_a_reorder_keeps_the_selected_alarm_selected(qtbot, panel: AlarmPanel) -> None:
    panel.model.apply([alarm(n, "high") for n in range(1, 5)])
    panel.table.selectRow(2)
    assert [row.asset_id for row in panel.selected_rows()] == ["A-2"]
    panel.model.sort(Column.RAISED, Qt.SortOrder.AscendingOrder)
    assert shown_assets(panel) == ["A-1", "A-2", "A-3", "A-4"]
    assert [row.asset_id for row in panel.selected_rows()] == ["A-2"]


def test_an_alarm_shelved_while_selected_leaves_the_list_when_let_go(qtbot, panel: AlarmPanel) -> None:
    panel.model.apply([alarm(n) for n in range(1, 4)])
    panel.table.selectRow(0)
    panel.apply([alarm(3, state="shelved")])
    assert shown_assets(panel) == ["A-3", "A-2", "A-1"], "the row stays under the operator's selection"
    panel.table.clearSelection()
    qtbot.waitUntil(lambda: shown_assets(panel) == ["A-2", "A-1"])


def test_showing_exactly_a_list_replaces_everything_and_keeps_the_chosen_alarm(qtbot, panel: AlarmPanel) -> None:
    panel.model.apply([alarm(n, "high") for n in range(1, 4)])
    panel.table.selectRow(1)
    panel.apply([alarm(7, "critical")])
    assert panel.new_button.isVisible(), "held back while a row is selected"

    panel.show_exactly([alarm(1, "low"), alarm(2, "high"), alarm(5, "critical", state="acked")])

    assert shown_assets(panel) == ["A-5", "A-2", "A-1"]
    assert [row.asset_id for row in panel.selected_rows()] == ["A-2"]
    assert not panel.new_button.isVisible(), "nothing is held back from an exact list"
    assert panel.counts_label.text() == "3 active, 2 unacknowledged"


def test_shelve_dialog_refuses_an_empty_reason(qtbot) -> None:
    dialog = ShelveDialog(2)
    qtbot.addWidget(dialog)
    assert dialog.minutes() == 15
    assert not dialog.ok_button.isEnabled()
    dialog.reason_edit.setText("   ")
    dialog.accept()
    assert dialog.result() != ShelveDialog.DialogCode.Accepted
    assert not dialog.ok_button.isEnabled()

    dialog.reason_edit.setText("sensor under repair")
    dialog.duration_box.setCurrentIndex(dialog.duration_box.findData(240))
    assert dialog.ok_button.isEnabled()
    assert dialog.minutes() == 240


def test_shelving_from_the_panel_sends_reason_and_duration(qtbot, panel: AlarmPanel) -> None:
    panel.model.apply([alarm(1)])
    panel.table.selectRow(0)
    panel.shelve()
    dialog = panel.findChild(ShelveDialog)
    dialog.reason_edit.setText("maintenance on the main")
    with qtbot.waitSignal(panel.shelveRequested) as request:
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert request.args == [["pressure-low:A-1"], "maintenance on the main", 15]


def test_flood_groups_by_rule_and_district_and_a_group_ack_sends_all_its_ids(qtbot, panel: AlarmPanel) -> None:
    rows = [alarm(n, "high", rule="lights-dark", district="Chenôve", domain="lighting") for n in range(5)]
    rows += [alarm(n, "critical", rule="lights-dark", district="Talant", domain="lighting") for n in (5, 6)]
    rows += [alarm(7, "medium", rule="pressure-low", district="Chenôve")]
    panel.model.apply(rows)

    panel.set_flood(True, 23, T0)

    assert panel.banner.isVisible()
    assert "23 new alarms in 10 min — grouped by rule and district" in panel.banner_text()
    groups = panel.groups.groups()
    assert [(g.key, len(g.rows), g.worst_priority) for g in groups] == [
        (("lights-dark", "Talant"), 2, "critical"),
        (("lights-dark", "Chenôve"), 5, "high"),
        (("pressure-low", "Chenôve"), 1, "medium"),
    ]
    assert panel.groups.index(1, 0).data().endswith("5 alarms, 5 unacknowledged")
    panel.tree.selectionModel().select(
        panel.groups.index(1, 0), QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows)
    with qtbot.waitSignal(panel.ackRequested) as request:
        panel.ack_action.trigger()
    assert sorted(request.args[0]) == [f"lights-dark:A-{n}" for n in range(5)]

    panel.tree.clearSelection()
    panel.model.apply([alarm(8, "low", rule="lights-dark", district="Talant", domain="lighting")])
    qtbot.waitUntil(lambda: len(panel.groups.groups()[0].rows) == 3)

    panel.leave_after_ms = 0
    panel.set_flood(False)
    assert not panel.banner.isVisible()
    assert panel.stack.currentWidget() is panel.table


def test_flood_grouping_can_switch_to_domain(qtbot, panel: AlarmPanel) -> None:
    panel.model.apply([alarm(1, domain="water"), alarm(2, domain="lighting", rule="lights-dark")])
    panel.set_flood(True, 12, T0)
    panel.set_grouping(Grouping.DOMAIN)
    assert sorted(g.key for g in panel.groups.groups()) == [("lighting",), ("water",)]
    assert "grouped by domain" in panel.banner_text()


def test_double_click_opens_the_asset(qtbot, panel: AlarmPanel) -> None:
    panel.model.apply([alarm(1)])
    with qtbot.waitSignal(panel.assetActivated) as activated:
        panel.table.clicked.emit(panel.proxy.index(0, Column.MESSAGE))
    assert activated.args == ["A-1"]


def test_apply_of_2000_changes_on_5000_rows_timing(qtbot, panel: AlarmPanel, capsys) -> None:
    rows = [alarm(n, ("critical", "high", "medium", "low")[n % 4]) for n in range(5000)]
    started = time.perf_counter()
    panel.model.apply(rows)
    insert_ms = (time.perf_counter() - started) * 1000
    acked = [dataclasses.replace(rows[n], state="acked", acked_by="bob", acked_ms=T0) for n in range(0, 5000, 3)]
    raised = [alarm(n, "high") for n in range(5000, 5150)]
    gone = [rows[n].alarm_id for n in range(1, 5000, 3)][: 2000 - len(acked) - len(raised)]
    started = time.perf_counter()
    panel.model.apply(acked + raised, removed=gone)
    apply_ms = (time.perf_counter() - started) * 1000
    with capsys.disabled():
        print(f"\n[alarm table] 5000 rows inserted in {insert_ms:.0f} ms; {len(acked)} acks + {len(raised)} new "
              f"+ {len(gone)} removed applied in {apply_ms:.1f} ms (self-sorting model + filter proxy + shown table)")
    assert panel.model.rowCount() == 5000 + len(raised) - len(gone)
    assert panel.model.counts() == (5000 + len(raised) - len(gone), 5000 + len(raised) - len(gone) - len(acked))


def test_shelve_duration_is_one_control_that_takes_a_typed_duration(qtbot) -> None:  # type: ignore[no-untyped-def]
    dialog = ShelveDialog(["W-P-012 · Network pressure low"])
    qtbot.addWidget(dialog)
    dialog.reason_edit.setText("crew on site")
    for typed, minutes in (("45", 45), ("45 min", 45), ("2 h", 120), ("30 h", None), ("soon", None)):
        dialog.duration_box.setEditText(typed)
        assert dialog.minutes() == minutes, typed
        assert dialog.ok_button.isEnabled() == (minutes is not None)


def test_the_state_column_shows_every_listed_state_whole(qtbot) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtGui import QFont, QFontMetrics

    from widgets.alarms.model import state_name
    from widgets.alarms.row import LISTED_STATES

    widget = AlarmPanel()
    widget.resize(1600, 500)
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    bold = QFont(widget.table.font())
    bold.setBold(True)  # unacknowledged rows are bold
    widest = max(QFontMetrics(bold).horizontalAdvance(state_name(s)) for s in LISTED_STATES)
    assert widget.table.horizontalHeader().sectionSize(Column.STATE) > widest
