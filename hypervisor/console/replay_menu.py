"""LIVE's "Replay…" menu: a replay window on the live historian, while LIVE goes on beside it."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QDateTime, QObject, QSettings, Qt
from PySide6.QtWidgets import (
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QMainWindow,
    QMessageBox,
)

from feeds.inventory import Inventory
from hypervisor.feed.address import ReplayAddress
from widgets.clock import display_zone

if TYPE_CHECKING:
    from hypervisor.console.source import ConsoleSource

log = logging.getLogger(__name__)

HOUR_MS = 3_600_000
SHIFT_STARTS = (6, 14, 22)
"""Control-room shifts start at 06:00, 14:00 and 22:00, local time."""


def shift_start_ms(now_ms: int) -> int:
    """When the shift running at ``now_ms`` began (city time)."""
    local = datetime.fromtimestamp(now_ms / 1000, display_zone())
    starts = [local.replace(hour=h, minute=0, second=0, microsecond=0) for h in SHIFT_STARTS]
    starts.append(starts[-1] - timedelta(days=1))
    return int(max(s for s in starts if s <= local).timestamp() * 1000)


class PeriodDialog(QDialog):
    """Choose the period to replay, in the city's time."""

    def __init__(self, now_ms: int, parent: QMainWindow) -> None:
        super().__init__(parent)
        self.setWindowTitle(QCoreApplication.translate("ReplayMenu", "Replay a period"))
        self.start = QDateTimeEdit(QDateTime.fromMSecsSinceEpoch(now_ms - HOUR_MS), self)
        self.end = QDateTimeEdit(QDateTime.fromMSecsSinceEpoch(now_ms), self)
        for edit in (self.start, self.end):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd HH:mm")
        form = QFormLayout(self)
        form.addRow(QCoreApplication.translate("ReplayMenu", "From"), self.start)
        form.addRow(QCoreApplication.translate("ReplayMenu", "To"), self.end)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def period(self) -> tuple[int, int]:
        return self.start.dateTime().toMSecsSinceEpoch(), self.end.dateTime().toMSecsSinceEpoch()


class ReplayMenu(QObject):
    """Adds the Replay menu to a LIVE window and keeps the replay windows it opens."""

    def __init__(self, window: QMainWindow, source: ConsoleSource, inventory: Inventory, settings: QSettings) -> None:
        super().__init__(window)
        self.window = window
        self.source = source
        self.inventory = inventory
        self.settings = settings
        self.replays: list[QMainWindow] = []
        menu = window.menuBar().addMenu(QCoreApplication.translate("ReplayMenu", "&Replay"))
        self.last_hour = menu.addAction(QCoreApplication.translate("ReplayMenu", "Replay the last hour"))
        self.last_hour.triggered.connect(lambda: self.open_last(HOUR_MS))
        self.shift = menu.addAction(QCoreApplication.translate("ReplayMenu", "Replay this shift"))
        self.shift.triggered.connect(self.open_shift)
        self.period = menu.addAction(QCoreApplication.translate("ReplayMenu", "Replay a period…"))
        self.period.triggered.connect(self.choose_period)

    def open_last(self, span_ms: int) -> QMainWindow | None:
        now = self.source.clock.now_ms()
        return self.open_period(now - span_ms, now)

    def open_shift(self) -> QMainWindow | None:
        now = self.source.clock.now_ms()
        return self.open_period(shift_start_ms(now), now)

    def choose_period(self) -> None:
        dialog = PeriodDialog(self.source.clock.now_ms(), self.window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self.open_period(*dialog.period()))
        dialog.open()

    def open_period(self, from_ms: int, to_ms: int) -> QMainWindow | None:
        """A replay window on the live historian between two instants (its end follows LIVE if it is now)."""
        from hypervisor.app import build_replay
        from hypervisor.replay.history import ReplayFileError

        path = self.source.deployment.historian_path
        if path is None or not path.exists():
            self._refuse(QCoreApplication.translate(
                "ReplayMenu", "This console cannot read the historian: start it with --historian FILE."))
            return None
        try:
            window, replay = build_replay(ReplayAddress(path, from_ms, to_ms), self.inventory, self.source.user,
                                          self.settings)
        except ReplayFileError as exc:
            self._refuse(str(exc))
            return None
        window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        window.destroyed.connect(lambda: self.replays.remove(window) if window in self.replays else None)
        window.closing.connect(replay.stop)
        self.replays.append(window)
        replay.start()
        window.resize(1400, 900)
        window.show()
        return window

    def _refuse(self, text: str) -> None:
        box = QMessageBox(QMessageBox.Icon.Warning, QCoreApplication.translate("ReplayMenu", "Replay"), text,
                          QMessageBox.StandardButton.Ok, self.window)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
