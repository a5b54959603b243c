"""Signing in with a dialog that says why the broker refused; Quit and Sign out; the role in the band."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from feeds.links import Links
from feeds.mosquitto import Mosquitto
from hypervisor.app import with_user
from hypervisor.console.sign_in import SignInDialog
from hypervisor.credentials import check_sign_in
from hypervisor.deployment import BrokerDeployment
from tests.console_harness import open_console
from tests.engine_harness import small_inventory

pytestmark = pytest.mark.broker


@pytest.fixture
def secured(tmp_path: Path):  # type: ignore[no-untyped-def]
    passwords = tmp_path / "passwd"
    passwords.touch()
    subprocess.run(["mosquitto_passwd", "-b", str(passwords), "alice", "a-secret"], check=True, capture_output=True)
    passwords.chmod(0o600)
    with Mosquitto(extra_conf=f"password_file {passwords}\n", allow_anonymous=False) as broker:
        yield broker


def _dialog(qtbot, broker: Mosquitto, tmp_path: Path) -> SignInDialog:  # type: ignore[no-untyped-def]
    settings = QSettings(str(tmp_path / "sign-in.ini"), QSettings.Format.IniFormat)
    dialog = SignInDialog(broker.url, lambda u, p: check_sign_in(with_user(broker.url, u), p, 5.0), settings)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_a_wrong_password_is_said_in_the_dialog_and_the_right_one_signs_in(qtbot, secured: Mosquitto,  # type: ignore[no-untyped-def]
                                                                           tmp_path: Path) -> None:
    dialog = _dialog(qtbot, secured, tmp_path)
    dialog.user_edit.setText("alice")
    dialog.password_edit.setText("wrong")
    dialog.remember.setChecked(True)
    dialog.accept()
    qtbot.waitUntil(lambda: "refused alice" in dialog.error_text(), timeout=15_000)
    assert dialog.isVisible(), "the dialog stays open for another try"
    dialog.password_edit.setText("a-secret")
    with qtbot.waitSignal(dialog.accepted, timeout=15_000):
        dialog.accept()
    again = _dialog(qtbot, secured, tmp_path)
    assert again.user_edit.text() == "alice", "the user name is remembered"
    again.reject()


def test_quit_sign_out_and_the_role_in_the_band(qtbot, mosquitto: Mosquitto, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    window, source = open_console(qtbot, BrokerDeployment(Links(), mosquitto.url), small_inventory(), "alice",
                                  tmp_path)
    try:
        qtbot.waitUntil(lambda: window.band.detail().endswith("alice (operator)"), timeout=15_000)
        console_menu = window.menuBar().actions()[0].menu()
        texts = [action.text() for action in console_menu.actions()]
        assert texts == ["Sign out", "Quit"]
        console_menu.actions()[0].trigger()
        assert window.signed_out and not window.isVisible()
    finally:
        window.close()
        source.stop()
