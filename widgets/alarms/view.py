"""The operator's alarm panel: filter bar, alarm list (flat, or grouped during a flood) and actions.

Keyboard: Ctrl+K acknowledges the selection, Ctrl+M comments, Ctrl+H shelves, Ctrl+Shift+H unshelves,
Ctrl+R resets latched alarms whose condition cleared (after a confirmation naming them).
"Acknowledge all visible" deliberately has no shortcut: a bulk acknowledgement should be a conscious
click, not a slip of the fingers.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from PySide6.QtCore import (
    QCoreApplication,
    QElapsedTimer,
    QEvent,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QAction, QFont, QFontMetrics, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QStackedWidget,
    QTableView,
    QToolBar,
    QToolButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from widgets import theme
from widgets.alarms.filter import AlarmFilterProxy
from widgets.alarms.filter_bar import AlarmFilterBar
from widgets.alarms.grouping import AlarmGroupModel, Grouping, group_alarms, grouping_text
from widgets.alarms.hold import RowHold
from widgets.alarms.model import ROW_ROLE, AlarmTableModel, Column, column_title, state_name
from widgets.alarms.priority_delegate import PriorityDelegate
from widgets.alarms.requests import OperatorRequests
from widgets.alarms.row import LISTED_STATES, AlarmRow
from widgets.clock import wall_time

REGROUP_DELAY_MS = 250
"""Grouped view rebuilds at most four times a second, however fast alarms change during a flood."""
MESSAGE_MIN_EMS = 18
"""The message column's share when the panel is narrow: what the alarm is about must stay readable."""
FLOOD_LEAVE_AFTER_MS = 120_000
"""The grouped view stays this long after a flood ends, so it does not flap around the flood limit."""


_COLUMN_EMS = ((Column.PRIORITY, 6), (Column.RAISED, 6), (Column.ASSET, 8), (Column.DISTRICT, 9),
               (Column.DOMAIN, 6), (Column.STATE, 11), (Column.ACKED_BY, 9))
"""Initial column widths in em (bold text included), so they scale with the font on wall screens."""


translate = QCoreApplication.translate
"""Bare name, so ``pyside6-lupdate`` extracts every ``translate("Context", "text")`` call."""


def _configure(view: QAbstractItemView) -> None:
    view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)


class AlarmPanel(OperatorRequests, QWidget):
    """Alarm list with filtering, sorting, flood grouping and the operator's actions.

    It only emits requests; the console sends the commands and the engine's answer comes back as
    updated rows through the model.
    """

    ackRequested = Signal(list)
    shelveRequested = Signal(list, str, int)
    unshelveRequested = Signal(list)
    resetRequested = Signal(list)
    commentRequested = Signal(list, str)
    assetActivated = Signal(str)

    def __init__(self, model: AlarmTableModel | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model if model is not None else AlarmTableModel(self)
        self.proxy = AlarmFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self.groups = AlarmGroupModel(self)
        self._grouping = Grouping.RULE_DISTRICT
        self._flood = (False, 0, 0, 10)
        self.leave_after_ms = FLOOD_LEAVE_AFTER_MS
        self._regroup_timer = QTimer(self)
        self._regroup_timer.setSingleShot(True)
        self._regroup_timer.setInterval(REGROUP_DELAY_MS)
        self._regroup_timer.timeout.connect(self.regroup)
        self._regrouped = QElapsedTimer()
        self.filter_bar = AlarmFilterBar(self.proxy, self)
        self.table = QTableView(self)
        self.tree = QTreeView(self)
        self._preferred: dict[int, int] = {}
        self._message_room = 0
        self._build_views()
        self.banner = QLabel(self)
        self.banner.setObjectName("floodBanner")
        self.banner.setStyleSheet(theme.BANNER_STYLESHEET)
        self.banner.setWordWrap(True)  # a long banner wraps instead of widening the window
        self.grouping_box = QComboBox(self)
        for grouping in Grouping:
            self.grouping_box.addItem(grouping_text(grouping), grouping.name)
        self.counts_label = QLabel(self)
        self.hold = RowHold(self.model, self.proxy, (self.table, self.tree), self)
        self.new_button = QToolButton(self)
        self.new_button.setObjectName("newAlarms")
        self.new_button.hide()
        self.new_button.clicked.connect(self.show_new)
        self._calm = QElapsedTimer()
        self._read_only = False
        self._build_actions()
        self._build_layout()
        self._connect()
        self._show_counts(*self.model.counts())
        self._update_actions()

    def _fit_columns(self) -> None:
        """On a narrow screen the other columns give way, down to 60 %, so the message stays readable."""
        room = self.table.viewport().width()
        fixed = sum(self._preferred.values())
        scale = min(1.0, max(0.6, (room - self._message_room - 8) / fixed)) if fixed else 1.0
        for view in (self.table, self.tree):
            header = view.horizontalHeader() if isinstance(view, QTableView) else view.header()
            for column, width in self._preferred.items():
                header.resizeSection(column, round(width * scale))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # The room is the table's, known once the layout gave it its width: the panel's own resize comes
        # before that, and fitting then squeezed every column to 60 % on a wide screen.
        if watched is self.table.viewport() and event.type() == QEvent.Type.Resize:
            self._fit_columns()
        return False

    def _build_views(self) -> None:
        _configure(self.table)
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(Column.PRIORITY, Qt.SortOrder.AscendingOrder)
        self.table.verticalHeader().hide()
        # Rows as tall as the text needs and no more: the list shows as many alarms as it can.
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 10)
        self.table.setWordWrap(False)
        self.table.viewport().installEventFilter(self)
        _configure(self.tree)
        self.tree.setModel(self.groups)
        self.tree.setUniformRowHeights(True)
        for view in (self.table, self.tree):
            header = view.horizontalHeader() if isinstance(view, QTableView) else view.header()
            header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
            header.setSectionResizeMode(Column.MESSAGE, QHeaderView.ResizeMode.Stretch)
            view.ensurePolished()
            em = view.fontMetrics().horizontalAdvance("M")
            indent = self.tree.indentation() if view is self.tree else 0
            header.ensurePolished()
            bold = QFont(header.font())
            bold.setBold(True)
            titles = QFontMetrics(bold)
            for column, width in _COLUMN_EMS:
                # Never narrower than its title (plus padding and the sort arrow): no "cknowledged b".
                title = titles.horizontalAdvance(column_title(column)) + 2 * em
                if column == Column.STATE:  # nor than the states of the operator's list: no "Unacknowled…"
                    title = max(title, *(titles.horizontalAdvance(state_name(s)) + em for s in LISTED_STATES))
                self._preferred[column] = max(width * em, title) + (indent if column == Column.PRIORITY else 0)
                header.resizeSection(column, self._preferred[column])
            self._message_room = MESSAGE_MIN_EMS * em
        self._priority_delegate = PriorityDelegate(self)
        self.table.setItemDelegateForColumn(Column.PRIORITY, self._priority_delegate)
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.table)
        self.stack.addWidget(self.tree)

    def _action(self, text: str, shortcut: str | None, slot: Callable[[], None]) -> QAction:
        action = QAction(text, self)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
            action.setToolTip(f"{text} ({keys})")
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    def _build_actions(self) -> None:
        self.ack_action = self._action(translate("AlarmPanel", "Acknowledge"), "Ctrl+K", self.acknowledge)
        self.ack_visible_action = self._action(
            translate("AlarmPanel", "Acknowledge all visible"), None, self.acknowledge_visible)
        self.comment_action = self._action(translate("AlarmPanel", "Comment…"), "Ctrl+M", self.comment)
        self.shelve_action = self._action(translate("AlarmPanel", "Shelve…"), "Ctrl+H", self.shelve)
        self.unshelve_action = self._action(translate("AlarmPanel", "Unshelve"), "Ctrl+Shift+H", self.unshelve)
        self.reset_action = self._action(translate("AlarmPanel", "Reset…"), "Ctrl+R", self.reset)
        self.reset_action.setStatusTip(
            translate("AlarmPanel", "Reset latched alarms whose condition cleared, after checking on site"))

    def _build_layout(self) -> None:
        banner_row = QWidget(self)
        banner_layout = QHBoxLayout(banner_row)
        banner_layout.setContentsMargins(0, 0, 0, 0)
        banner_layout.addWidget(self.banner, 1)
        banner_layout.addWidget(self.grouping_box)
        banner_row.hide()
        self._banner_row = banner_row
        buttons = QHBoxLayout()
        # A tool bar folds the actions it has no room for behind a » button instead of widening the window.
        self.toolbar = QToolBar(self)
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.toolbar.addActions(self.actions_in_order())
        buttons.addWidget(self.toolbar, 1)
        buttons.addWidget(self.new_button)
        buttons.addWidget(self.counts_label)
        layout = QVBoxLayout(self)
        layout.addWidget(banner_row)
        layout.addWidget(self.filter_bar)
        layout.addWidget(self.stack, 1)
        layout.addLayout(buttons)

    def actions_in_order(self) -> list[QAction]:
        """The operator's actions on alarms, as the buttons and the console's Alarms menu list them."""
        return [self.ack_action, self.ack_visible_action, self.comment_action, self.shelve_action,
                self.unshelve_action, self.reset_action]

    def is_read_only(self) -> bool:
        return self._read_only

    def apply(self, rows: Iterable[AlarmRow], removed: Iterable[str] = ()) -> None:
        """New alarm rows from the console; none moves under the operator's pointer, selection or focus."""
        self.hold.apply(rows, removed)

    def show_exactly(self, rows: Iterable[AlarmRow]) -> None:
        """List exactly these alarms at once, nothing held back (REPLAY at a new instant); the selected
        alarms that are still listed stay selected."""
        chosen = {row.alarm_id for row in self.selected_rows()} if not self.is_flood() else set()
        self.hold.forget()
        self.model.replace(rows)
        self._select(chosen)

    def _select(self, alarm_ids: set[str]) -> None:
        selection = self.table.selectionModel()
        flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
        for alarm_id in alarm_ids:
            shown = self.proxy.mapFromSource(self.model.index_of(alarm_id))
            if shown.isValid():
                selection.select(shown, flags)

    def show_new(self) -> None:
        """Show the alarms held back while the operator worked, at the top of the list."""
        self.hold.release()
        self.table.scrollToTop()
        self.tree.scrollToTop()

    def _show_pending(self, count: int, priority: str) -> None:
        self.new_button.setVisible(count > 0)
        self.new_button.setText(translate("AlarmPanel", "▲ {count} new").format(count=count))
        self.new_button.setToolTip(
            translate("AlarmPanel", "New alarms wait while you work in the list; click to show them"))
        colour = theme.PRIORITY_COLOURS.get(priority, theme.ACCENT)
        self.new_button.setStyleSheet(f"background-color: {colour}; color: {theme.ON_COLOUR}; font-weight: bold;")
        if count == 0 and self.is_flood():
            self._schedule_regroup()

    def set_read_only(self, read_only: bool) -> None:
        """A console whose role sends no commands shows the list without its actions."""
        self._read_only = read_only
        self.toolbar.setVisible(not read_only)
        for action in self.actions_in_order():
            action.setVisible(not read_only)
            action.setEnabled(not read_only and action.isEnabled())

    def _connect(self) -> None:
        self.hold.pendingChanged.connect(self._show_pending)
        self.model.countsChanged.connect(self._show_counts)
        for signal in (self.proxy.rowsInserted, self.proxy.rowsRemoved, self.proxy.dataChanged,
                       self.proxy.modelReset, self.proxy.layoutChanged):
            signal.connect(self._schedule_regroup)
        self.table.selectionModel().selectionChanged.connect(self._update_actions)
        self.proxy.dataChanged.connect(self._update_actions)  # an alarm changing state changes what can be done
        self.tree.selectionModel().selectionChanged.connect(self._update_actions)
        self.table.clicked.connect(self._activated)
        self.tree.clicked.connect(self._activated)
        self.grouping_box.currentIndexChanged.connect(
            lambda: self.set_grouping(Grouping[self.grouping_box.currentData()]))

    def set_districts(self, districts: Iterable[str]) -> None:
        """Offer these districts in the filter bar."""
        self.filter_bar.set_districts(districts)

    def is_flood(self) -> bool:
        """Whether the grouped flood view is shown."""
        return self._flood[0]

    def set_flood(self, active: bool, count: int = 0, since_ms: int = 0, window_min: int = 10) -> None:
        """Enter or leave flood mode: a banner, and alarms grouped so the list stays readable.

        The grouped view is left only after ``leave_after_ms`` without a flood, and never while the
        operator works in it, so the list does not flap as the count crosses the limit.
        """
        if self._flood[0] and not active:
            if not self._calm.isValid():
                self._calm.start()
            if self._calm.elapsed() < self.leave_after_ms or self.hold.holding():
                return  # still grouped, and the banner still says what the flood was
        self._calm.invalidate()
        entering = active and not self._flood[0]
        leaving = self._flood[0] and not active
        self._flood = (active, count, since_ms, window_min)
        self._banner_row.setVisible(active)
        self._show_banner()
        # The console repeats the flood state with every refresh: only a change of mode costs a rebuild.
        if entering:
            self.regroup()
            self.stack.setCurrentWidget(self.tree)
            self._update_actions()
        elif leaving:
            self._regroup_timer.stop()
            self.stack.setCurrentWidget(self.table)
            self._update_actions()

    def set_grouping(self, grouping: Grouping) -> None:
        """How the flood view groups alarms."""
        self._grouping = grouping
        self.grouping_box.setCurrentIndex(self.grouping_box.findData(grouping.name))
        self._show_banner()
        if self.is_flood():
            self.regroup()

    def banner_text(self) -> str:
        """The flood banner, e.g. "Alarm flood since 14:02: 23 new alarms in 10 min — grouped by ..."."""
        active, count, since_ms, window_min = self._flood
        if not active:
            return ""
        text = translate("AlarmPanel", "Alarm flood since {time}: {count} new alarms in {minutes} min — {grouping}")
        return text.format(
            time=wall_time(since_ms, "%H:%M"),
            count=count,
            minutes=window_min,
            grouping=grouping_text(self._grouping),
        )

    def _show_banner(self) -> None:
        self.banner.setText(self.banner_text())

    def _schedule_regroup(self) -> None:
        """At most one rebuild per REGROUP_DELAY_MS: the first change shows at once, later ones wait.

        Never while the operator works in the grouped view: the rebuild waits for the hold's release.
        """
        if not self.is_flood() or self._regroup_timer.isActive() or self.hold.holding():
            return
        since = self._regrouped.elapsed() if self._regrouped.isValid() else REGROUP_DELAY_MS
        self._regroup_timer.start(max(0, REGROUP_DELAY_MS - since))

    def regroup(self) -> None:
        """Rebuild the grouped view from the filtered alarms, keeping expanded groups and selection."""
        self._regroup_timer.stop()
        self._regrouped.start()
        expanded, chosen_groups, chosen_alarms = set(), set(), set()
        for number, group in enumerate(self.groups.groups()):
            header = self.groups.index(number, 0)
            if self.tree.isExpanded(header):
                expanded.add(group.key)
        for index in self.tree.selectionModel().selectedRows():
            group = self.groups.group_at(index)
            if group is not None:
                chosen_groups.add(group.key)
            else:
                chosen_alarms.update(self.groups.alarm_ids(index))
        self.groups.set_groups(group_alarms(self.proxy.accepted_rows(), self._grouping), self._grouping)
        self._restore_tree(expanded, chosen_groups, chosen_alarms)

    def _restore_tree(self, expanded: set[tuple[str, ...]], chosen_groups: set[tuple[str, ...]],
                      chosen_alarms: set[str]) -> None:
        selection = self.tree.selectionModel()
        flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
        for number, group in enumerate(self.groups.groups()):
            header = self.groups.index(number, 0)
            self.tree.setFirstColumnSpanned(number, QModelIndex(), True)
            if group.key in expanded:
                self.tree.expand(header)
            if group.key in chosen_groups:
                selection.select(header, flags)
            for child, row in enumerate(group.rows):
                if row.alarm_id in chosen_alarms:
                    selection.select(self.groups.index(child, 0, header), flags)

    def selected_rows(self) -> list[AlarmRow]:
        """Alarms the selection stands for; a selected group stands for all of its alarms."""
        chosen: dict[str, AlarmRow] = {}
        if self.is_flood():
            for index in self.tree.selectionModel().selectedRows():
                group = self.groups.group_at(index)
                rows = group.rows if group is not None else (index.data(ROW_ROLE),)
                chosen.update((row.alarm_id, row) for row in rows)
        else:
            for index in sorted(self.table.selectionModel().selectedRows(), key=QModelIndex.row):
                row = self.proxy.row(index.row())
                chosen[row.alarm_id] = row
        return list(chosen.values())

    def visible_rows(self) -> list[AlarmRow]:
        """Alarms that pass the filter (in flood mode: those in the groups)."""
        if self.is_flood():
            return [row for group in self.groups.groups() for row in group.rows]
        return self.proxy.visible_rows()

    def _activated(self, index: QModelIndex) -> None:
        row = index.siblingAtColumn(0).data(ROW_ROLE)
        if row is not None:
            self.assetActivated.emit(row.asset_id)

    def _show_counts(self, active: int, unacked: int) -> None:
        self.counts_label.setText(
            translate("AlarmPanel", "{active} active, {unacked} unacknowledged").format(active=active, unacked=unacked))

    def _update_actions(self) -> None:
        if self.is_read_only():
            return
        view = self.tree if self.is_flood() else self.table
        has_selection = view.selectionModel().hasSelection()
        rows = self.selected_rows() if has_selection else []
        self.ack_action.setEnabled(any(row.is_unacked for row in rows))
        for action in (self.comment_action, self.shelve_action):
            action.setEnabled(has_selection)
        self.unshelve_action.setEnabled(any(row.state == "shelved" for row in rows))
        self.reset_action.setEnabled(any(row.can_reset for row in rows))
