"""Dialogs for operator actions that need words or care: shelving (with a reason), commenting, resetting."""

from __future__ import annotations

import re
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
    QVBoxLayout,
    QWidget,
)

SHELVE_CHOICES_MIN: tuple[int, ...] = (5, 15, 30, 60, 240)
DEFAULT_SHELVE_MIN = 15
MAX_SHELVE_MIN = 24 * 60
"""Shelving is temporary by design (ISA-18.2): never longer than a day."""
MAX_COMMENT_CHARS = 1000
_DURATION = re.compile(r"(\d+)\s*(min|h)?")


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
        # One control for the duration: pick a usual one or type your own ("45", "45 min", "2 h").
        self.duration_box = QComboBox(self)
        self.duration_box.setEditable(True)
        self.duration_box.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        for minutes in SHELVE_CHOICES_MIN:
            self.duration_box.addItem(self._duration_text(minutes), minutes)
        self.duration_box.setCurrentIndex(SHELVE_CHOICES_MIN.index(DEFAULT_SHELVE_MIN))
        self.duration_box.setToolTip(translate("ShelveDialog", "Pick a duration or type one: 45, 45 min, 2 h"))
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, parent=self
        )
        self.ok_button.setText(translate("ShelveDialog", "Shelve"))
        form = QFormLayout()
        form.addRow(alarms_label(alarms, self))
        form.addRow(translate("ShelveDialog", "Reason:"), self.reason_edit)
        form.addRow(translate("ShelveDialog", "Duration (up to 24 h):"), self.duration_box)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.reason_edit.textChanged.connect(self._update_ok)
        self.duration_box.currentTextChanged.connect(self._update_ok)
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

    def minutes(self) -> int | None:
        """The duration shown, in minutes (a bare number is minutes); None when it is not one up to 24 h."""
        match = _DURATION.fullmatch(self.duration_box.currentText().strip())
        if match is None:
            return None
        minutes = int(match[1]) * (60 if match[2] == "h" else 1)
        return minutes if 1 <= minutes <= MAX_SHELVE_MIN else None

    def _update_ok(self) -> None:
        self.ok_button.setEnabled(bool(self.reason()) and self.minutes() is not None)

    def accept(self) -> None:
        """Close only with a reason: an unexplained shelve is what makes alarms disappear unnoticed."""
        if not self.reason() or self.minutes() is None:
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
