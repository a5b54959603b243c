"""Alarm records become list rows in the operator's language."""

from __future__ import annotations

from PySide6.QtCore import QLocale

from hypervisor.console.alarm_rows import alarm_row

RECORD = {
    "alarm_id": "pressure_drop:W-P-012", "rule_id": "pressure_drop", "asset_id": "W-P-012", "domain": "water",
    "district": "Grésilles", "priority": "high", "state": "acked", "value": 1.2, "raised_ms": 1_795_000_000_000,
    "changed_ms": 1_795_000_060_000, "acked_by": "alice", "acked_ms": 1_795_000_060_000,
    "message": "pressure_bar 1.2 below lolo 1.5",
    "description": "Network pressure low (lo) or very low (lolo): supply at risk",
    "descriptions": {"fr": "Pression réseau basse (lo) ou très basse (lolo) : distribution menacée"},
    "comments": [[1_795_000_060_000, "alice", "crew on the way"]],
}


def test_rows_read_in_the_interface_language(qapp) -> None:  # type: ignore[no-untyped-def]
    try:
        QLocale.setDefault(QLocale("fr"))
        french = alarm_row(RECORD)
        QLocale.setDefault(QLocale("en"))
        english = alarm_row(RECORD)
    finally:
        QLocale.setDefault(QLocale("en"))
    assert french.message == ("Pression réseau basse (lo) ou très basse (lolo) : distribution menacée"
                              " — pressure_bar 1.2 below lolo 1.5")
    assert english.message.startswith("Network pressure low")
    assert (english.acked_by, english.last_comment, english.value) == ("alice", "crew on the way", 1.2)


def test_a_language_without_a_description_falls_back_to_english(qapp) -> None:  # type: ignore[no-untyped-def]
    try:
        QLocale.setDefault(QLocale("de"))
        row = alarm_row(RECORD)
    finally:
        QLocale.setDefault(QLocale("en"))
    assert row.message.startswith("Network pressure low")
