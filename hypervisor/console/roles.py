"""Roles (DESIGN §8) as the console shows them: named in the band, and what each may do."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

COMMANDING_ROLES = frozenset({"operator", "trainer", "trainee"})
"""Roles whose consoles send commands; a director reads, and publishes nothing live."""


def role_may_command(role: str) -> bool:
    """Whether this role acknowledges, shelves, comments and resets alarms."""
    return role in COMMANDING_ROLES


def role_name(role: str) -> str:
    """The role in the operator's language, for the band."""
    match role:
        case "operator":
            return QCoreApplication.translate("Roles", "operator")
        case "director":
            return QCoreApplication.translate("Roles", "director")
        case "trainer":
            return QCoreApplication.translate("Roles", "trainer")
        case "trainee":
            return QCoreApplication.translate("Roles", "trainee")
        case _:
            return role
