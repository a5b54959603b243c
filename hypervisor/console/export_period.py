"""The period a director exports from REPLAY: two instants in the city's time zone, within the replayed period."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QDateTime, QTimeZone
from PySide6.QtWidgets import QDateTimeEdit, QDialog, QDialogButtonBox, QFormLayout, QLabel, QWidget

from widgets.clock import display_qzone

translate = QCoreApplication.translate


class ExportPeriodDialog(QDialog):
    """From and to, each within the replayed period; "to" never before "from"."""

    def __init__(self, start_ms: int, end_ms: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(translate("ExportPeriodDialog", "Period to export"))
        zone = display_qzone()
        self.from_edit, self.to_edit = (self._edit(start_ms, end_ms, at, zone) for at in (start_ms, end_ms))
        self.from_edit.dateTimeChanged.connect(self.to_edit.setMinimumDateTime)
        self.to_edit.dateTimeChanged.connect(self.from_edit.setMaximumDateTime)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QFormLayout(self)
        layout.addRow(QLabel(translate("ExportPeriodDialog", "Times are the city's ({zone}).").format(
            zone=zone.id().data().decode()), self))
        layout.addRow(translate("ExportPeriodDialog", "From"), self.from_edit)
        layout.addRow(translate("ExportPeriodDialog", "To"), self.to_edit)
        layout.addRow(buttons)

    def _edit(self, start_ms: int, end_ms: int, at_ms: int, zone: QTimeZone) -> QDateTimeEdit:
        edit = QDateTimeEdit(self)
        edit.setTimeZone(zone)
        edit.setDisplayFormat("yyyy-MM-dd HH:mm:ss")
        edit.setCalendarPopup(True)
        edit.setDateTimeRange(QDateTime.fromMSecsSinceEpoch(start_ms, zone),
                              QDateTime.fromMSecsSinceEpoch(end_ms, zone))
        edit.setDateTime(QDateTime.fromMSecsSinceEpoch(at_ms, zone))
        return edit

    def period(self) -> tuple[int, int]:
        """The chosen period as epoch milliseconds, "to" included."""
        return self.from_edit.dateTime().toMSecsSinceEpoch(), self.to_edit.dateTime().toMSecsSinceEpoch()
