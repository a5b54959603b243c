"""Rows never move under the operator: new and cleared alarms wait while the list is pointed at, selected
or focused, and a "3 new" button says they are waiting (EEMUA 191: a list that jumps makes people act on
the wrong alarm)."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QAbstractItemView

from widgets.alarms.filter import AlarmFilterProxy
from widgets.alarms.model import AlarmTableModel
from widgets.alarms.row import AlarmRow, priority_rank


class RowHold(QObject):
    """Applies alarm changes to the model, holding back those that would move rows while the operator works.

    Changes to listed alarms are applied in place with the model's ordering and the proxy's filtering
    paused, so a row keeps its place even when its priority changes; additions and removals wait until the
    operator lets go of the list or asks for them (``release``).
    """

    pendingChanged = Signal(int, str)
    """(new alarms waiting, priority of the most severe of them or "")."""

    def __init__(self, model: AlarmTableModel, proxy: AlarmFilterProxy,
                 views: Iterable[QAbstractItemView], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self.proxy = proxy
        self.views = list(views)
        self._pending: dict[str, AlarmRow] = {}
        self._removed: set[str] = set()
        self._pointer = False
        self._check_soon = QTimer(self)
        self._check_soon.setSingleShot(True)
        self._check_soon.setInterval(0)
        self._check_soon.timeout.connect(self._release_if_free)
        for view in self.views:
            view.installEventFilter(self)
            view.viewport().installEventFilter(self)
            view.selectionModel().selectionChanged.connect(self._check_soon.start)

    def holding(self) -> bool:
        """Whether the operator is pointing at, has selected in, or has keyboard focus in the list."""
        shown = [view for view in self.views if view.isVisible()]
        return self._pointer or any(view.hasFocus() or view.selectionModel().hasSelection() for view in shown)

    def pending(self) -> list[AlarmRow]:
        """New alarms waiting to be shown."""
        return list(self._pending.values())

    def apply(self, rows: Iterable[AlarmRow], removed: Iterable[str] = ()) -> None:
        """Bring the list up to date now, or as far as it can be without moving a row."""
        gone = set(removed)
        if not self.holding() and not self._pending and not self._removed:
            self.model.hold_order(False)
            self.model.apply(rows, gone)
            self._resume_filtering()
            return
        self.model.hold_order(True)
        self.proxy.setDynamicSortFilter(False)
        in_place = []
        for row in rows:
            if row.alarm_id in gone:
                continue
            if self.model.get(row.alarm_id) is None:
                self._pending[row.alarm_id] = row
            else:
                self._removed.discard(row.alarm_id)
                in_place.append(row)
        for alarm_id in gone:
            if self._pending.pop(alarm_id, None) is None and self.model.get(alarm_id) is not None:
                self._removed.add(alarm_id)
        self.model.apply(in_place, ())
        self._announce()
        if not self.holding():
            self.release()

    def release(self) -> None:
        """Show everything held back, and let the list sort itself again."""
        rows, removed = list(self._pending.values()), set(self._removed)
        self._pending.clear()
        self._removed.clear()
        self.model.hold_order(False)
        self.model.apply(rows, removed)
        self._resume_filtering()
        self._announce()

    def forget(self) -> None:
        """Drop what was held back: the list is about to be replaced whole."""
        self._pending.clear()
        self._removed.clear()
        self.model.hold_order(False)
        self._resume_filtering()
        self._announce()

    def _resume_filtering(self) -> None:
        """An alarm shelved or acknowledged while the list was held leaves or joins the filtered list now."""
        if not self.proxy.dynamicSortFilter():
            self.proxy.setDynamicSortFilter(True)
            self.proxy.refilter()

    def _announce(self) -> None:
        worst = min((row.priority for row in self._pending.values()), key=priority_rank, default="")
        self.pendingChanged.emit(len(self._pending), worst)

    def _release_if_free(self) -> None:
        if not self.holding() and (self._pending or self._removed or not self.proxy.dynamicSortFilter()):
            self.release()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind == QEvent.Type.Enter:
            self._pointer = True
        elif kind == QEvent.Type.Leave:
            self._pointer = False
            self._check_soon.start()
        elif kind in (QEvent.Type.FocusOut, QEvent.Type.Hide):
            self._check_soon.start()
        return False
