"""Alarm records and command refusals in the operator's language."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import QLocale

from alerts.commands import REFUSAL_CODES
from alerts.records import AlarmRecord
from hypervisor.app import install_translation
from hypervisor.console.alarm_rows import alarm_row
from hypervisor.console.refusals import refusal_text

RECORD_JSON = {
    "alarm_id": "pressure_drop:W-P-012", "rule_id": "pressure_drop", "asset_id": "W-P-012", "domain": "water",
    "asset_kind": "pressure_sensor", "district": "Grésilles",
    "priority": "high", "state": "acked", "value": 1.2, "raised_ms": 1_795_000_000_000,
    "changed_ms": 1_795_000_060_000, "acked_by": "alice", "acked_ms": 1_795_000_060_000,
    "message": "pressure_bar 1.2 below lolo 1.5",
    "description": "Network pressure low (lo) or very low (lolo): supply at risk",
    "descriptions": {"fr": "Pression réseau basse (lo) ou très basse (lolo) : distribution menacée"},
    "comments": [[1_795_000_060_000, "alice", "crew on the way"]],
}
RECORD = AlarmRecord.from_json(RECORD_JSON)


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


@pytest.fixture
def french(qapp):  # type: ignore[no-untyped-def]
    install_translation(qapp, "fr")
    yield
    install_translation(qapp, "en")


def _detail(facts: dict[str, Any]) -> str:
    return alarm_row(AlarmRecord.from_json({**RECORD_JSON, "detail": facts})).message.split(" — ", 1)[1]


@pytest.mark.usefixtures("french")
def test_what_was_measured_reads_in_french_with_french_numbers() -> None:
    assert _detail({"kind": "limit", "metric": "pressure_bar", "value": 1.19, "level": "lolo", "limit": 1.5,
                    "high": False}) == "Pression 1,19 bar, sous le seuil très bas de 1,5 bar"
    assert _detail({"kind": "equals", "metric": "mains", "value": False}) == "Alimentation secteur : non"
    assert _detail({"kind": "group", "count": 8, "total": 8, "members": "pressure_sensor", "metric": "pressure_bar",
                    "test": "below", "reference": 2, "pct": 100}) == (
        "8 capteurs de pression sur 8 (100 %), Pression sous 2 bar")
    assert _detail({"kind": "silent", "minutes": 26, "limit_minutes": 25}) == (
        "aucune donnée depuis 26 min (limite 25 min)")
    assert _detail({"kind": "limit", "metric": "temp_c", "value": 15, "level": "lo", "limit": 17.5, "high": False,
                    "when": ["occupied", "heating_season"]}) == (
        "Température 15 °C, sous le seuil bas de 17,5 °C (occupé, saison de chauffe)")


def test_what_was_measured_reads_in_english_and_unknown_facts_fall_back_to_the_engine_sentence(qapp) -> None:  # type: ignore[no-untyped-def]
    assert _detail({"kind": "limit", "metric": "flow_m3h", "value": 1506.4, "level": "hihi", "limit": 425.0,
                    "high": True}) == "Flow 1,506 m³/h, above its very high limit of 425 m³/h"
    assert _detail({"kind": "from-a-newer-engine"}) == "pressure_bar 1.2 below lolo 1.5"


@pytest.mark.usefixtures("french")
def test_every_refusal_the_engine_can_send_reads_in_french() -> None:
    sentences = {code: refusal_text({"ok": False, "code": code, "reason": "english"})
                 for code in (*REFUSAL_CODES, "bad_command")}
    assert all(s.startswith("Refusé : ") and "english" not in s for s in sentences.values())
    assert len(set(sentences.values())) == len(sentences)
    assert sentences["normal"] == "Refusé : L'alarme est revenue à la normale ; il n'y a plus rien à faire."
    assert refusal_text({"ok": False, "code": "from-a-newer-engine", "reason": "Too late."}) == "Refusé : Too late."
