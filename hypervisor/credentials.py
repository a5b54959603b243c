"""Broker passwords come from a file, the environment or a prompt; never from the command line."""

from __future__ import annotations

import getpass
import os
import sys
from pathlib import Path

PASSWORD_ENV = "HV_MQTT_PASSWORD"


def broker_password(password_file: Path | None, user: str | None, interactive: bool | None = None) -> str | None:
    if password_file is not None:
        return password_file.read_text(encoding="utf-8").strip()
    if PASSWORD_ENV in os.environ:
        return os.environ[PASSWORD_ENV]
    if user and (sys.stdin.isatty() if interactive is None else interactive):
        return getpass.getpass(f"Broker password for {user}: ")
    return None


async def check_sign_in(address: str, password: str | None, timeout_s: float = 8.0) -> str | None:
    """Connect once with these credentials: None when the broker accepts them, else its reason in words."""
    from feeds.links import Links
    from feeds.mqtt import LinkDown

    link = Links(password=password).open(address, persistent=False)
    async with link:
        try:
            await link.wait_connected(timeout_s)  # type: ignore[union-attr]
        except LinkDown as exc:
            return str(exc)
    return None
