"""Table model of the alarm list, updated in place from coalesced console snapshots."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Sequence
from enum import IntEnum
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QFont

from widgets import theme
from widgets.alarms.row import STATES, AlarmRow, priority_rank
from widgets.clock import wall_time

ROW_ROLE = Qt.ItemDataRole.UserRole + 2
"""Role giving the :class:`AlarmRow` itself (for filters, grouping and actions)."""

_TIME_SPAN = 10**13
"""Larger than any epoch-ms timestamp, so rank and time fold into one integer sort key."""
FEW_PLACES = 32
"""New alarms go straight to their rows when they fall in at most this many places; otherwise they are added
at the end and put in order in one layout change, which costs the views a pass over the whole list."""

Index = QModelIndex | QPersistentModelIndex
ROOT = QModelIndex()
"""The invisible root index (shared default argument)."""


class Column(IntEnum):
    """Columns of the alarm list, in display order."""

    PRIORITY = 0
    RAISED = 1
    ASSET = 2
    DISTRICT = 3
    DOMAIN = 4
    MESSAGE = 5
    STATE = 6
    ACKED_BY = 7


COLUMN_COUNT = len(Column)


def changed_columns(old: AlarmRow, new: AlarmRow) -> tuple[int, int]:
    """First and last column whose content differs between two versions of an alarm.

    Keeping the span narrow matters: a sorting proxy re-sorts a row only when the sort column is in the
    span, so an acknowledgement (state, acknowledged-by and boldness) does not re-sort a priority-sorted
    list. The priority cell is never bold, so boldness spans the other columns only. Changes seen only in
    tooltips or the text filter are reported on the message column.
    """
    differs = (
        old.priority != new.priority or old.raised_ms != new.raised_ms,
        old.raised_ms != new.raised_ms or old.is_unacked != new.is_unacked,
        old.asset_id != new.asset_id,
        old.district != new.district,
        old.domain != new.domain,
        old.message != new.message,
        old.state != new.state or old.shelved_until_ms != new.shelved_until_ms,
        old.acked_by != new.acked_by or old.acked_ms != new.acked_ms or old.is_unacked != new.is_unacked,
    )
    if not any(differs):
        return Column.MESSAGE, Column.MESSAGE
    first = differs.index(True)
    return first, COLUMN_COUNT - 1 - differs[::-1].index(True)


translate = QCoreApplication.translate
"""Bare name, so ``pyside6-lupdate`` extracts every ``translate("Context", "text")`` call."""


def local_time(ms: int, seconds: bool = True) -> str:
    """Epoch milliseconds as local wall-clock time, as the operator reads it."""
    return wall_time(ms, "%H:%M:%S" if seconds else "%H:%M")


def column_title(column: int) -> str:
    """Header text of a column."""
    match column:
        case Column.PRIORITY:
            return translate("AlarmTableModel", "Priority")
        case Column.RAISED:
            return translate("AlarmTableModel", "Raised")
        case Column.ASSET:
            return translate("AlarmTableModel", "Asset")
        case Column.DISTRICT:
            return translate("AlarmTableModel", "District")
        case Column.DOMAIN:
            return translate("AlarmTableModel", "Domain")
        case Column.MESSAGE:
            return translate("AlarmTableModel", "Message")
        case Column.STATE:
            return translate("AlarmTableModel", "State")
        case _:
            return translate("AlarmTableModel", "Acknowledged by")


def priority_text(priority: str) -> str:
    """Translated priority name."""
    match priority:
        case "critical":
            return translate("AlarmTableModel", "Critical")
        case "high":
            return translate("AlarmTableModel", "High")
        case "medium":
            return translate("AlarmTableModel", "Medium")
        case "low":
            return translate("AlarmTableModel", "Low")
        case _:
            return priority


def domain_text(domain: str) -> str:
    """Translated domain name."""
    match domain:
        case "lighting":
            return translate("AlarmTableModel", "Lighting")
        case "heating":
            return translate("AlarmTableModel", "Heating")
        case "waste":
            return translate("AlarmTableModel", "Waste")
        case "water":
            return translate("AlarmTableModel", "Water")
        case _:
            return domain


def state_text(row: AlarmRow) -> str:
    """Translated state, with the shelving expiry when shelved."""
    if row.state == "shelved" and row.shelved_until_ms is not None:
        until = local_time(row.shelved_until_ms, seconds=False)
        return translate("AlarmTableModel", "Shelved until {time}").format(time=until)
    return state_name(row.state)


def state_name(state: str) -> str:
    """An ISA-18.2 state as the alarm list names it."""
    match state:
        case "normal":
            return translate("AlarmTableModel", "Normal")
        case "unack":
            return translate("AlarmTableModel", "Unacknowledged")
        case "acked":
            return translate("AlarmTableModel", "Acknowledged")
        case "rtn_unack":
            return translate("AlarmTableModel", "Returned (unack.)")
        case "shelved":
            return translate("AlarmTableModel", "Shelved")
        case "suppressed":
            return translate("AlarmTableModel", "Suppressed")
        case "out_of_service":
            return translate("AlarmTableModel", "Out of service")
        case _:
            return state


def cell_text(row: AlarmRow, column: int) -> str:
    """What a cell shows."""
    match column:
        case Column.PRIORITY:
            return priority_text(row.priority)
        case Column.RAISED:
            return local_time(row.raised_ms)
        case Column.ASSET:
            return row.asset_name or row.asset_id
        case Column.DISTRICT:
            return row.district
        case Column.DOMAIN:
            return domain_text(row.domain)
        case Column.MESSAGE:
            return row.message
        case Column.STATE:
            return state_text(row)
        case _:
            if row.acked_by is None:
                return ""
            if row.acked_ms is None:
                return row.acked_by
            return f"{row.acked_by} {local_time(row.acked_ms)}"


def sort_key(row: AlarmRow, column: int) -> int | str:
    """Sort key of a cell; priority sorts by rank, then the newest alarm first."""
    match column:
        case Column.PRIORITY:
            return priority_rank(row.priority) * _TIME_SPAN + (_TIME_SPAN - 1 - row.raised_ms)
        case Column.RAISED:
            return row.raised_ms
        case Column.STATE:
            return STATES.index(row.state) if row.state in STATES else len(STATES)
        case Column.ACKED_BY:
            return row.acked_ms or 0
        case _:
            return cell_text(row, column).casefold()


def tooltip(row: AlarmRow) -> str:
    """The whole message (a narrow cell cuts it), then rule, value, shelving reason, last comment."""
    lines = [row.message, translate("AlarmTableModel", "Rule: {rule}").format(rule=row.rule_id)]
    if row.value is not None:
        lines.append(translate("AlarmTableModel", "Value: {value}").format(value=f"{row.value:g}"))
    if row.shelve_reason and row.shelved_by:
        lines.append(translate("AlarmTableModel", "Shelved by {user}: {reason}").format(
            user=row.shelved_by, reason=row.shelve_reason))
    elif row.shelve_reason:
        lines.append(translate("AlarmTableModel", "Shelved: {reason}").format(reason=row.shelve_reason))
    if row.last_comment and row.last_comment_by and row.last_comment_ms is not None:
        lines.append(translate("AlarmTableModel", "Comment by {user} at {time}: {text}").format(
            user=row.last_comment_by, time=local_time(row.last_comment_ms), text=row.last_comment))
    elif row.last_comment:
        lines.append(translate("AlarmTableModel", "Comment: {text}").format(text=row.last_comment))
    return "\n".join(lines)


def cell_data(row: AlarmRow, column: int, role: int, bold: QFont) -> Any:
    """Data of one cell for a role; shared by the flat list and the grouped flood view."""
    match role:
        case Qt.ItemDataRole.DisplayRole:
            return cell_text(row, column)
        case Qt.ItemDataRole.BackgroundRole if column == Column.PRIORITY:
            return theme.priority_colour(row.priority)
        case Qt.ItemDataRole.ForegroundRole if column == Column.PRIORITY:
            return QColor(theme.ON_COLOUR)
        case Qt.ItemDataRole.FontRole if row.is_unacked and column != Column.PRIORITY:
            return bold
        case Qt.ItemDataRole.ToolTipRole:
            return tooltip(row)
        case _ if role == ROW_ROLE:
            return row
        case _:
            return None


class AlarmTableModel(QAbstractTableModel):
    """The alarm list as a table that keeps itself in display order, changed in place so selection and
    scroll position survive updates.

    The model sorts itself (``sort``) and the filter proxy above it only filters: a sorting proxy calls
    back into Python for every comparison, and listing a thousand alarms at a seek in REPLAY cost ten
    thousand of them. ``apply`` costs O(changes) for updates; new alarms go straight to their places, or,
    falling in many places, are appended and ordered in one layout change; removals re-index the rows after
    them.
    """

    countsChanged = Signal(int, int)
    """(active, unacknowledged) after an ``apply`` that changed them."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[AlarmRow] = []
        self._keys: list[int | str] = []
        """Each row's sort key in the sort column, in row order."""
        self._index: dict[str, int] = {}
        self._column = int(Column.PRIORITY)
        self._descending = False
        self._held = False
        self._out_of_order = False
        self._active = 0
        self._unacked = 0
        self._bold = QFont()
        self._bold.setBold(True)

    def rowCount(self, parent: Index = ROOT) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = ROOT) -> int:
        return 0 if parent.isValid() else COLUMN_COUNT

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        return cell_data(self._rows[index.row()], index.column(), role, self._bold)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return column_title(section)
        return None

    def row(self, source_row: int) -> AlarmRow:
        """The alarm shown on a source row."""
        return self._rows[source_row]

    def rows(self) -> list[AlarmRow]:
        """All alarms, in display order."""
        return list(self._rows)

    def get(self, alarm_id: str) -> AlarmRow | None:
        """The alarm with this id, if listed."""
        position = self._index.get(alarm_id)
        return None if position is None else self._rows[position]

    def index_of(self, alarm_id: str) -> QModelIndex:
        """The first cell of an alarm's row (invalid when it is not listed)."""
        position = self._index.get(alarm_id)
        return QModelIndex() if position is None else self.index(position, 0)

    def counts(self) -> tuple[int, int]:
        """(active, unacknowledged): active alarms are unack or acked; returned ones are not active."""
        return self._active, self._unacked

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Order the list by a column (the operator clicked its header); it stays so as alarms change.

        Priority sorts by rank, then the newest alarm first; times numerically.
        """
        self._column = column if 0 <= column < COLUMN_COUNT else int(Column.PRIORITY)
        self._descending = order == Qt.SortOrder.DescendingOrder
        self._keys = [sort_key(row, self._column) for row in self._rows]
        self._reorder()

    def sort_column(self) -> int:
        return self._column

    def sort_order(self) -> Qt.SortOrder:
        return Qt.SortOrder.DescendingOrder if self._descending else Qt.SortOrder.AscendingOrder

    def hold_order(self, held: bool) -> None:
        """While held, a changed alarm keeps its row and new ones go last; letting go puts them in order."""
        self._held = held
        if not held and self._out_of_order:
            self._reorder()

    def replace(self, rows: Iterable[AlarmRow]) -> None:
        """List exactly these alarms (a seek in REPLAY): one reset, where row-by-row changes cost far more."""
        before = (self._active, self._unacked)
        self.beginResetModel()
        unique = list({row.alarm_id: row for row in rows}.values())
        keys = [sort_key(row, self._column) for row in unique]
        order = self._ordered(keys)
        self._rows = [unique[i] for i in order]
        self._keys = [keys[i] for i in order]
        self._index = {row.alarm_id: position for position, row in enumerate(self._rows)}
        self._active = sum(row.is_active for row in self._rows)
        self._unacked = sum(row.is_unacked for row in self._rows)
        self._out_of_order = False
        self.endResetModel()
        if (self._active, self._unacked) != before:
            self.countsChanged.emit(self._active, self._unacked)

    def apply(self, rows: Iterable[AlarmRow], removed: Iterable[str] = ()) -> None:
        """Bring the list up to date: new ids are added, known ids updated, ``removed`` ids dropped."""
        gone = set(removed)
        latest = {row.alarm_id: row for row in rows if row.alarm_id not in gone}
        before = (self._active, self._unacked)
        self._remove(gone)
        fresh: list[AlarmRow] = []
        changed: list[tuple[int, AlarmRow]] = []
        current, keys, index = self._rows, self._keys, self._index
        for alarm_id, row in latest.items():
            position = index.get(alarm_id)
            if position is None:
                fresh.append(row)
                continue
            old = current[position]
            if old != row:
                changed.append((position, old))
                current[position] = row
                key = sort_key(row, self._column)
                if key != keys[position]:
                    keys[position] = key
                    self._out_of_order = True
                self._active += row.is_active - old.is_active
                self._unacked += row.is_unacked - old.is_unacked
        self._emit_changed(changed)
        self._insert(fresh)
        if self._out_of_order and not self._held:
            self._reorder()
        if (self._active, self._unacked) != before:
            self.countsChanged.emit(self._active, self._unacked)

    def _ordered(self, keys: Sequence[int | str]) -> list[int]:
        """Positions in display order (stable: equal keys keep their order)."""
        return sorted(range(len(keys)), key=keys.__getitem__, reverse=self._descending)

    def _place(self, key: int | str) -> int:
        """Where a new row with this key goes: after the rows that sort with it."""
        keys = self._keys
        if not self._descending:
            return bisect_right(keys, key)
        low, high = 0, len(keys)
        while low < high:
            middle = (low + high) // 2
            if keys[middle] < key:
                high = middle
            else:
                low = middle + 1
        return low

    def _reorder(self) -> None:
        """Put every row in its place in one layout change; selections follow their alarms."""
        self.layoutAboutToBeChanged.emit()
        persistent = self.persistentIndexList()
        followed = [self._rows[index.row()].alarm_id for index in persistent]
        order = self._ordered(self._keys)
        self._rows = [self._rows[i] for i in order]
        self._keys = [self._keys[i] for i in order]
        self._index = {row.alarm_id: position for position, row in enumerate(self._rows)}
        self._out_of_order = False
        moved = [self.index(self._index[alarm_id], index.column())
                 for alarm_id, index in zip(followed, persistent, strict=True)]
        self.changePersistentIndexList(persistent, moved)
        self.layoutChanged.emit()

    def _count(self, row: AlarmRow, sign: int) -> None:
        self._active += sign * row.is_active
        self._unacked += sign * row.is_unacked

    def _remove(self, gone: set[str]) -> None:
        positions = sorted((self._index[a] for a in gone if a in self._index), reverse=True)
        if not positions:
            return
        for run_end, run_start in self._runs(positions):
            self.beginRemoveRows(QModelIndex(), run_start, run_end)
            for row in self._rows[run_start : run_end + 1]:
                self._count(row, -1)
                del self._index[row.alarm_id]
            del self._rows[run_start : run_end + 1]
            del self._keys[run_start : run_end + 1]
            self.endRemoveRows()
        self._reindex(positions[-1])

    def _reindex(self, start: int) -> None:
        rows, index = self._rows, self._index
        for position in range(start, len(rows)):
            index[rows[position].alarm_id] = position

    @staticmethod
    def _runs(descending: list[int]) -> list[tuple[int, int]]:
        """Group descending positions into (last, first) runs of consecutive rows, removed in one go."""
        runs: list[tuple[int, int]] = []
        for position in descending:
            if runs and runs[-1][1] == position + 1:
                runs[-1] = (runs[-1][0], position)
            else:
                runs.append((position, position))
        return runs

    def _emit_changed(self, changed: list[tuple[int, AlarmRow]]) -> None:
        for position, old in changed:
            first, last = changed_columns(old, self._rows[position])
            self.dataChanged.emit(self.createIndex(position, first), self.createIndex(position, last))

    def _insert(self, fresh: list[AlarmRow]) -> None:
        if not fresh:
            return
        keys = [sort_key(row, self._column) for row in fresh]
        runs = [] if self._held or self._out_of_order else self._runs_in_place(fresh, keys)
        if not runs:
            self._append(fresh, keys)
            return
        shift = 0
        for place, members, member_keys in runs:
            at = place + shift
            self.beginInsertRows(QModelIndex(), at, at + len(members) - 1)
            self._rows[at:at] = members
            self._keys[at:at] = member_keys
            for row in members:
                self._count(row, 1)
            self._reindex(at)
            self.endInsertRows()
            shift += len(members)

    def _runs_in_place(self, fresh: list[AlarmRow], keys: list[int | str]
                       ) -> list[tuple[int, list[AlarmRow], list[int | str]]]:
        """New rows grouped by the row they go before, in order; none when there are too many groups."""
        runs: list[tuple[int, list[AlarmRow], list[int | str]]] = []
        for i in self._ordered(keys):
            place = self._place(keys[i])
            if runs and runs[-1][0] == place:
                runs[-1][1].append(fresh[i])
                runs[-1][2].append(keys[i])
            elif len(runs) == FEW_PLACES:
                return []
            else:
                runs.append((place, [fresh[i]], [keys[i]]))
        return runs

    def _append(self, fresh: list[AlarmRow], keys: list[int | str]) -> None:
        """New rows at the end, for one reorder after: cheaper than inserting them in many places."""
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(fresh) - 1)
        self._rows.extend(fresh)
        self._keys.extend(keys)
        for row in fresh:
            self._count(row, 1)
        self._reindex(first)
        self._out_of_order = True
        self.endInsertRows()
