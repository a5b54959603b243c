"""Signing in to the console: a dialog (never a terminal prompt) that says in it why the broker refused."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor

from PySide6.QtCore import QCoreApplication, QSettings, QTimer
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from hypervisor.console.trust import is_auth_error
from widgets import theme

translate = QCoreApplication.translate
"""Bare name, so ``pyside6-lupdate`` extracts every ``translate("Context", "text")`` call."""

REMEMBERED_USER = "sign-in/user"


class SignInDialog(QDialog):
    """User, password and "remember my user name"; the broker's answer is shown here, not in a terminal.

    ``check(user, password)`` is a coroutine function returning None when the broker accepts, else a reason;
    it runs on a worker thread so the dialog stays responsive.
    """

    def __init__(self, broker: str, check: Callable[[str, str], object], settings: QSettings,
                 user: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(translate("SignInDialog", "Sign in to the supervision"))
        self._check = check
        self._settings = settings
        self._worker = ThreadPoolExecutor(1, thread_name_prefix="hv-sign-in")
        self._pending: Future[str | None] | None = None
        self._poll = QTimer(self)
        self._poll.setInterval(100)
        self._poll.timeout.connect(self._answer)
        self.user_edit = QLineEdit(user or str(settings.value(REMEMBERED_USER, "")), self)
        self.password_edit = QLineEdit(self)
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.remember = QCheckBox(translate("SignInDialog", "Remember my user name"), self)
        self.remember.setChecked(bool(settings.value(REMEMBERED_USER, "")))
        self.error = QLabel(self)
        self.error.setWordWrap(True)
        self.error.setStyleSheet(f"color: {theme.PRIORITY_COLOURS['critical']}; font-weight: bold;")
        self.error.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, parent=self)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(translate("SignInDialog", "Sign in"))
        form = QFormLayout()
        form.addRow(translate("SignInDialog", "Broker:"), QLabel(broker, self))
        form.addRow(translate("SignInDialog", "User:"), self.user_edit)
        form.addRow(translate("SignInDialog", "Password:"), self.password_edit)
        form.addRow(self.remember)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        (self.password_edit if self.user_edit.text() else self.user_edit).setFocus()

    def user(self) -> str:
        return self.user_edit.text().strip()

    def password(self) -> str:
        return self.password_edit.text()

    def error_text(self) -> str:
        """The broker's refusal as shown, empty when none."""
        return self.error.text() if self.error.isVisible() else ""

    def accept(self) -> None:
        """Ask the broker; the dialog closes only when it accepts."""
        if not self.user() or self._pending is not None:
            self.user_edit.setFocus()
            return
        self.buttons.setEnabled(False)
        self.error.setText(translate("SignInDialog", "Connecting…"))
        self.error.show()
        self._pending = self._worker.submit(asyncio.run, self._check(self.user(), self.password()))
        self._poll.start()

    def _answer(self) -> None:
        if self._pending is None or not self._pending.done():
            return
        self._poll.stop()
        future, self._pending = self._pending, None
        self.buttons.setEnabled(True)
        try:
            refusal = future.result()
        except Exception as exc:  # the broker unreachable, a bad address: said in the dialog, never swallowed
            refusal = str(exc)
        if refusal is None:
            self._settings.setValue(REMEMBERED_USER, self.user() if self.remember.isChecked() else "")
            self.error.hide()
            super().accept()
            return
        if is_auth_error(refusal):
            self.error.setText(translate("SignInDialog", "The broker refused {user}: check the user name and "
                                         "password.").format(user=self.user()))
        else:
            self.error.setText(translate("SignInDialog", "The broker did not answer: {reason}").format(
                reason=refusal))
        self.password_edit.selectAll()
        self.password_edit.setFocus()

    def done(self, result: int) -> None:
        self._poll.stop()
        self._worker.shutdown(wait=False, cancel_futures=True)
        super().done(result)
