"""Alarm records (as the engine publishes them) to the rows the alarm list shows."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QLocale

from hypervisor.console.alarm_detail import detail_text
from widgets.alarms.row import AlarmRow


def _message(record: dict[str, Any]) -> str:
    """The rule's description in the interface language, then what was measured (in English from an
    engine that sends no facts)."""
    language = QLocale().name().split("_")[0]
    description = (record.get("descriptions") or {}).get(language) or record.get("description") or ""
    facts = record.get("detail")
    detail = (detail_text(facts) if isinstance(facts, dict) and facts else None) or str(record.get("message", ""))
    return f"{description} — {detail}" if description and detail else description or detail


def _optional_int(value: Any) -> int | None:
    return int(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def alarm_row(record: dict[str, Any]) -> AlarmRow:
    value = record.get("value")
    comments = record.get("comments") or []
    last_comment = None
    if comments and isinstance(comments[-1], dict):
        last_comment = str(comments[-1].get("text", ""))
    elif comments and isinstance(comments[-1], list | tuple) and len(comments[-1]) >= 3:
        last_comment = str(comments[-1][2])
    return AlarmRow(
        alarm_id=str(record["alarm_id"]),
        rule_id=str(record.get("rule_id", "")),
        asset_id=str(record.get("asset_id", "")),
        domain=str(record.get("domain", "")),
        district=str(record.get("district", "")),
        priority=str(record.get("priority", "low")),
        state=str(record.get("state", "unack")),
        message=_message(record),
        value=float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None,
        raised_ms=int(record.get("raised_ms") or record.get("changed_ms") or 0),
        changed_ms=int(record.get("changed_ms") or 0),
        acked_by=record.get("acked_by"),
        acked_ms=_optional_int(record.get("acked_ms")),
        shelved_until_ms=_optional_int(record.get("shelved_until_ms")),
        shelve_reason=record.get("shelve_reason"),
        last_comment=last_comment,
        latched=bool(record.get("latched", False)),
        condition_active=bool(record.get("active", True)),
    )
