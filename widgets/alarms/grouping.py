"""Flood grouping: during an alarm flood the list shows one header per rule and district (or domain)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QCoreApplication, QModelIndex, QObject, Qt
from PySide6.QtGui import QFont

from widgets import theme
from widgets.alarms.model import (
    COLUMN_COUNT,
    ROOT,
    ROW_ROLE,
    Index,
    cell_data,
    column_title,
    domain_text,
    priority_text,
)
from widgets.alarms.row import AlarmRow, priority_rank

GROUP_ROLE = Qt.ItemDataRole.UserRole + 3
"""Role giving the :class:`AlarmGroup` of a group header row."""


class Grouping(Enum):
    """The alarm fields that make a group, most useful first (EEMUA 191 flood handling)."""

    RULE_DISTRICT = ("rule_id", "district")
    RULE = ("rule_id",)
    DISTRICT = ("district",)
    DOMAIN_DISTRICT = ("domain", "district")
    DOMAIN = ("domain",)


translate = QCoreApplication.translate
"""Bare name, so ``pyside6-lupdate`` extracts every ``translate("Context", "text")`` call."""


def grouping_text(grouping: Grouping) -> str:
    """How the flood view is grouped, as the banner and the grouping choice say it."""
    match grouping:
        case Grouping.RULE_DISTRICT:
            return translate("AlarmGroupModel", "grouped by rule and district")
        case Grouping.RULE:
            return translate("AlarmGroupModel", "grouped by rule")
        case Grouping.DISTRICT:
            return translate("AlarmGroupModel", "grouped by district")
        case Grouping.DOMAIN_DISTRICT:
            return translate("AlarmGroupModel", "grouped by domain and district")
        case _:
            return translate("AlarmGroupModel", "grouped by domain")


@dataclass(frozen=True, slots=True)
class AlarmGroup:
    """Alarms sharing a rule, district or domain, most severe and newest first."""

    key: tuple[str, ...]
    rows: tuple[AlarmRow, ...]

    @property
    def worst_priority(self) -> str:
        """The most severe priority among the group's alarms."""
        return min((row.priority for row in self.rows), key=priority_rank)

    @property
    def unacked(self) -> int:
        """How many of the group's alarms wait for acknowledgement."""
        return sum(row.is_unacked for row in self.rows)

    @property
    def alarm_ids(self) -> list[str]:
        """Ids of every alarm in the group."""
        return [row.alarm_id for row in self.rows]

    def label(self, grouping: Grouping) -> str:
        """The key as the operator reads it, e.g. ``Luminaires dark at night · Chenôve``."""
        names = {"domain": domain_text, "rule_id": lambda rule_id: self.rows[0].rule_title or rule_id}
        parts = (names.get(field, str)(value) for field, value in zip(grouping.value, self.key, strict=True))
        return " · ".join(parts)


def group_alarms(rows: Iterable[AlarmRow], grouping: Grouping) -> list[AlarmGroup]:
    """Group alarms; groups with the worst priority, then most unacknowledged, come first."""
    buckets: dict[tuple[str, ...], list[AlarmRow]] = {}
    for row in rows:
        buckets.setdefault(tuple(getattr(row, field) for field in grouping.value), []).append(row)
    groups = [
        AlarmGroup(key, tuple(sorted(members, key=lambda r: (priority_rank(r.priority), -r.raised_ms))))
        for key, members in buckets.items()
    ]
    groups.sort(key=lambda g: (priority_rank(g.worst_priority), -g.unacked, -len(g.rows), g.key))
    return groups


class AlarmGroupModel(QAbstractItemModel):
    """Two-level tree: group headers (with count and worst priority), their alarms beneath.

    Rebuilt as a whole by :meth:`set_groups`; the panel coalesces rebuilds, so a flood of updates costs
    one rebuild per refresh, not one per alarm.
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._groups: list[AlarmGroup] = []
        self._grouping = Grouping.RULE_DISTRICT
        self._bold = QFont()
        self._bold.setBold(True)

    def set_groups(self, groups: list[AlarmGroup], grouping: Grouping) -> None:
        """Replace the tree."""
        self.beginResetModel()
        self._groups = groups
        self._grouping = grouping
        self.endResetModel()

    def groups(self) -> list[AlarmGroup]:
        """The groups shown, in display order."""
        return list(self._groups)

    def group_at(self, index: Index) -> AlarmGroup | None:
        """The group of a header row; ``None`` for an alarm row."""
        if not index.isValid() or index.internalId() != 0:
            return None
        return self._groups[index.row()]

    def alarm_ids(self, index: Index) -> list[str]:
        """Every alarm a row stands for: all of a group's alarms, or the one alarm."""
        group = self.group_at(index)
        if group is not None:
            return group.alarm_ids
        row = index.data(ROW_ROLE) if index.isValid() else None
        return [row.alarm_id] if row is not None else []

    def index(self, row: int, column: int, parent: Index = ROOT) -> QModelIndex:
        if not self.hasIndex(row, column, parent):
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, column, 0)
        return self.createIndex(row, column, parent.row() + 1)

    def parent(self, child: Index | None = None) -> Any:  # type: ignore[override]
        if child is None:
            return super().parent()
        if not child.isValid() or child.internalId() == 0:
            return QModelIndex()
        return self.createIndex(child.internalId() - 1, 0, 0)

    def rowCount(self, parent: Index = ROOT) -> int:
        if not parent.isValid():
            return len(self._groups)
        if parent.internalId() == 0 and parent.column() == 0:
            return len(self._groups[parent.row()].rows)
        return 0

    def columnCount(self, parent: Index = ROOT) -> int:
        return COLUMN_COUNT

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return column_title(section)
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        group_number = index.internalId()
        if group_number == 0:
            return self._header_data(self._groups[index.row()], index.column(), role)
        row = self._groups[group_number - 1].rows[index.row()]
        return cell_data(row, index.column(), role, self._bold)

    def _header_data(self, group: AlarmGroup, column: int, role: int) -> Any:
        if role == GROUP_ROLE:
            return group
        if column != 0:
            return None
        match role:
            case Qt.ItemDataRole.DisplayRole:
                return self.header_text(group)
            case Qt.ItemDataRole.DecorationRole:
                return theme.priority_colour(group.worst_priority)
            case Qt.ItemDataRole.FontRole:
                return self._bold
            case _:
                return None

    def header_text(self, group: AlarmGroup) -> str:
        """E.g. ``Critical · lights-dark · Chenôve — 8 alarms, 5 unacknowledged``."""
        count = len(group.rows)
        if count == 1:
            counted = translate("AlarmGroupModel", "1 alarm, {unacked} unacknowledged")
        else:
            counted = translate("AlarmGroupModel", "{count} alarms, {unacked} unacknowledged")
        counted = counted.format(count=count, unacked=group.unacked)
        return f"{priority_text(group.worst_priority)} · {group.label(self._grouping)} — {counted}"
