"""Dialogs for operator actions that need words or care: shelving (with a reason), commenting, resetting."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

SHELVE_CHOICES_MIN: tuple[int, ...] = (5, 15, 30, 60, 240)
DEFAULT_SHELVE_MIN = 15
MAX_SHELVE_MIN = 24 * 60
"""Shelving is temporary by design (ISA-18.2): never longer than a day."""
MAX_COMMENT_CHARS = 1000


translate = QCoreApplication.translate
"""Bare name, so ``pyside6-lupdate`` extracts every ``translate("Context", "text")`` call."""


SHOWN_NAMES = 6
"""A dialog lists this many alarms by name, then says how many more."""

Alarms = int | Sequence[str]
"""The alarms a dialog acts on: their names (``"C-0123 · Container fire"``), or only how many."""


def _alarm_count_text(count: int) -> str:
    if count == 1:
        return translate("AlarmDialogs", "1 alarm selected")
    return translate("AlarmDialogs", "{count} alarms selected").format(count=count)


def alarms_label(alarms: Alarms, parent: QWidget) -> QLabel:
    """Which alarms the dialog acts on, by name, so nobody acts on the wrong ones."""
    if isinstance(alarms, int):
        return QLabel(_alarm_count_text(alarms), parent)
    names = [f"• {name}" for name in alarms[:SHOWN_NAMES]]
    if len(alarms) > SHOWN_NAMES:
        names.append(translate("AlarmDialogs", "and {count} more").format(count=len(alarms) - SHOWN_NAMES))
    label = QLabel("\n".join([_alarm_count_text(len(alarms)), *names]), parent)
    label.setWordWrap(True)
    return label


class ShelveDialog(QDialog):
    """Asks for a reason (required) and a duration before shelving alarms."""

    def __init__(self, alarms: Alarms, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(translate("ShelveDialog", "Shelve alarms"))
        self.reason_edit = QLineEdit(self)
        self.reason_edit.setPlaceholderText(
            translate("ShelveDialog", "Why, e.g. sensor under repair (ticket 4512)"))
        self.reason_edit.setMaxLength(200)
        self.duration_box = QComboBox(self)
        for minutes in SHELVE_CHOICES_MIN:
            self.duration_box.addItem(self._duration_text(minutes), minutes)
        self.duration_box.addItem(translate("ShelveDialog", "Other…"), None)
        self.duration_box.setCurrentIndex(SHELVE_CHOICES_MIN.index(DEFAULT_SHELVE_MIN))
        self.other_minutes = QSpinBox(self)
        self.other_minutes.setRange(1, MAX_SHELVE_MIN)
        self.other_minutes.setValue(DEFAULT_SHELVE_MIN)
        self.other_minutes.setSuffix(translate("ShelveDialog", " min"))
        self.other_minutes.setEnabled(False)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, parent=self
        )
        self.ok_button.setText(translate("ShelveDialog", "Shelve"))
        form = QFormLayout()
        form.addRow(alarms_label(alarms, self))
        form.addRow(translate("ShelveDialog", "Reason:"), self.reason_edit)
        form.addRow(translate("ShelveDialog", "Duration:"), self.duration_box)
        form.addRow(translate("ShelveDialog", "Minutes (up to 24 h):"), self.other_minutes)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.reason_edit.textChanged.connect(self._update_ok)
        self.duration_box.currentIndexChanged.connect(self._duration_chosen)
        self._update_ok()

    @property
    def ok_button(self) -> QPushButton:
        """The confirming button; disabled while no reason is given."""
        return self.buttons.button(QDialogButtonBox.StandardButton.Ok)

    @staticmethod
    def _duration_text(minutes: int) -> str:
        if minutes < 60:
            return translate("ShelveDialog", "{minutes} min").format(minutes=minutes)
        return translate("ShelveDialog", "{hours} h").format(hours=minutes // 60)

    def reason(self) -> str:
        """The reason typed, without surrounding blanks."""
        return self.reason_edit.text().strip()

    def minutes(self) -> int:
        """Chosen duration, capped at 24 h."""
        chosen = self.duration_box.currentData()
        return min(MAX_SHELVE_MIN, int(chosen if chosen is not None else self.other_minutes.value()))

    def _duration_chosen(self) -> None:
        self.other_minutes.setEnabled(self.duration_box.currentData() is None)

    def _update_ok(self) -> None:
        self.ok_button.setEnabled(bool(self.reason()))

    def accept(self) -> None:
        """Close only with a reason: an unexplained shelve is what makes alarms disappear unnoticed."""
        if not self.reason():
            self.reason_edit.setFocus()
            return
        super().accept()


class CommentDialog(QDialog):
    """Asks for a comment to attach to alarms (kept in their history)."""

    def __init__(self, alarms: Alarms, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(translate("CommentDialog", "Comment on alarms"))
        self.text_edit = QPlainTextEdit(self)
        self.text_edit.setPlaceholderText(translate("CommentDialog", "What you saw or did"))
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, parent=self
        )
        self.ok_button.setText(translate("CommentDialog", "Add comment"))
        layout = QVBoxLayout(self)
        layout.addWidget(alarms_label(alarms, self))
        layout.addWidget(self.text_edit)
        layout.addWidget(self.buttons)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.text_edit.textChanged.connect(self._update_ok)
        self._update_ok()

    @property
    def ok_button(self) -> QPushButton:
        """The confirming button; disabled while the comment is empty."""
        return self.buttons.button(QDialogButtonBox.StandardButton.Ok)

    def text(self) -> str:
        """The comment, trimmed and capped in length."""
        return self.text_edit.toPlainText().strip()[:MAX_COMMENT_CHARS]

    def _update_ok(self) -> None:
        self.ok_button.setEnabled(bool(self.text()))

    def accept(self) -> None:
        """Close only with a non-empty comment."""
        if not self.text():
            return
        super().accept()


class ResetDialog(QDialog):
    """Confirms the reset of latched alarms: they return to normal only once someone checked on site."""

    def __init__(self, alarms: Alarms, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(translate("ResetDialog", "Reset latched alarms"))
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, parent=self
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(translate("ResetDialog", "Reset"))
        warning = QLabel(translate(
            "ResetDialog", "Reset only after the cause was checked on site: the alarm leaves the list."), self)
        warning.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(alarms_label(alarms, self))
        layout.addWidget(warning)
        layout.addWidget(self.buttons)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
