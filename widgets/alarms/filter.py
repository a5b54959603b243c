"""Filtering of the alarm list: priority, domain, district, state and free text (the model sorts itself)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from PySide6.QtCore import QObject, QSortFilterProxyModel, Qt

from widgets.alarms.model import ROW_ROLE, AlarmTableModel, Index
from widgets.alarms.row import LISTED_STATES, AlarmRow


class AlarmFilterProxy(QSortFilterProxyModel):
    """Shows the alarms matching every active criterion; ``None`` means "any" for a criterion.

    By default only the operator's list is shown (unack, acked, returned): shelved, suppressed and
    out-of-service alarms appear when the state filter asks for them. Sorting is the model's: the proxy
    keeps the model's order, and a sort asked of it (a header click) is passed on.
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._priority: str | None = None
        self._domain: str | None = None
        self._district: str | None = None
        self._states: frozenset[str] | None = LISTED_STATES
        self._text = ""
        self.setDynamicSortFilter(True)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        source = self.sourceModel()
        if isinstance(source, AlarmTableModel):
            source.sort(column, order)
        else:
            super().sort(column, order)

    def set_priority(self, priority: str | None) -> None:
        """Show only one priority."""
        with self._filter_change():
            self._priority = priority

    def set_domain(self, domain: str | None) -> None:
        """Show only one domain (lighting, heating, waste, water)."""
        with self._filter_change():
            self._domain = domain

    def set_district(self, district: str | None) -> None:
        """Show only one district."""
        with self._filter_change():
            self._district = district

    def set_states(self, states: Iterable[str] | None) -> None:
        """Show only these states; ``None`` shows every state, including shelved and suppressed."""
        chosen = None if states is None else frozenset(states)
        with self._filter_change():
            self._states = chosen

    def set_text(self, text: str) -> None:
        """Case-insensitive search in asset, message, rule, district and alarm id."""
        with self._filter_change():
            self._text = text.strip().casefold()

    def refilter(self) -> None:
        """Filter every row again: alarms that changed while filtering was paused (the list held) go or come."""
        with self._filter_change():
            pass

    def states(self) -> frozenset[str] | None:
        """The states currently shown (``None``: all)."""
        return self._states

    @contextmanager
    def _filter_change(self) -> Iterator[None]:
        self.beginFilterChange()
        yield
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def accepts(self, row: AlarmRow) -> bool:
        """Whether an alarm passes the current filter."""
        if self._priority is not None and row.priority != self._priority:
            return False
        if self._domain is not None and row.domain != self._domain:
            return False
        if self._district is not None and row.district != self._district:
            return False
        if self._states is not None and row.state not in self._states:
            return False
        if not self._text:
            return True
        haystack = f"{row.asset_id}\n{row.message}\n{row.rule_id}\n{row.district}\n{row.alarm_id}"
        return self._text in haystack.casefold()

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        source = self.sourceModel()
        if isinstance(source, AlarmTableModel):
            return self.accepts(source.row(source_row))
        return self.accepts(source.index(source_row, 0, source_parent).data(ROW_ROLE))

    def row(self, proxy_row: int) -> AlarmRow:
        """The alarm shown on a visible row."""
        return self.index(proxy_row, 0).data(ROW_ROLE)

    def visible_rows(self) -> list[AlarmRow]:
        """The alarms that pass the filter, in display order."""
        source = self.sourceModel()
        if not isinstance(source, AlarmTableModel):
            return [self.row(r) for r in range(self.rowCount())]
        return [source.row(self.mapToSource(self.index(r, 0)).row()) for r in range(self.rowCount())]

    def accepted_rows(self) -> list[AlarmRow]:
        """The alarms that pass the filter, in the model's order, even while the list is held.

        Unlike ``visible_rows`` it makes no call per row into the proxy, so thousands of rows cost ~1 ms.
        """
        source = self.sourceModel()
        if not isinstance(source, AlarmTableModel):
            return self.visible_rows()
        return [row for row in source.rows() if self.accepts(row)]
