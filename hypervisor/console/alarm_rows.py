"""Alarm records (as the engine keeps them) to the rows the alarm list shows."""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

import orjson
from PySide6.QtCore import QCoreApplication, QLocale

from alerts.records import AlarmRecord
from hypervisor.console.alarm_detail import detail_text
from widgets.alarms.row import AlarmRow

MESSAGES_KEPT = 8192
"""Alarm messages kept once written: a seek in REPLAY lists a month's thousand standing alarms again,
and writing each message (facts to a translated sentence) made most of the list's update."""


def interface_language() -> str:
    """The interface language's code ("fr"), as rule descriptions are keyed."""
    return QLocale().name().split("_")[0]


def description_in(language: str, descriptions: dict[str, str], description: str) -> str:
    """A rule's description in ``language``, else as written (English)."""
    return descriptions.get(language) or description


def _description(record: AlarmRecord, language: str) -> str:
    return description_in(language, record.descriptions, record.description)


def asset_name(asset_id: str) -> str:
    """How operators call an alarm's subject: a district alarm names its district, not "district:Talant"."""
    kind, _, name = asset_id.partition(":")
    if kind == "district" and name:
        return QCoreApplication.translate("AlarmRows", "District {name}").format(name=name)
    return asset_id


def _message(record: AlarmRecord, language: str) -> str:
    """The rule's description in the interface language, then what was measured (in English from an
    engine that sends no facts)."""
    facts = orjson.dumps(record.detail, option=orjson.OPT_SORT_KEYS) if record.detail else b""
    return _written(language, _description(record, language), facts, record.message)


@lru_cache(maxsize=MESSAGES_KEPT)
def _written(language: str, description: str, facts: bytes, message: str) -> str:
    detail = (detail_text(orjson.loads(facts)) if facts else None) or message
    return f"{description} — {detail}" if description and detail else description or detail


def orphan_text(why: str) -> str:
    """The marker of an alarm whose rule left or changed (ISA-18.2 management of change)."""
    if why == "changed":
        return QCoreApplication.translate("AlarmRows", "Orphaned: its rule changed")
    return QCoreApplication.translate("AlarmRows", "Orphaned: its rule was removed")


def alarm_rows(records: Iterable[AlarmRecord]) -> list[AlarmRow]:
    """The rows of many records, in the interface language (looked up once: a seek lists a thousand)."""
    language = interface_language()
    return [alarm_row(record, language) for record in records]


def alarm_row(record: AlarmRecord, language: str | None = None) -> AlarmRow:
    language = language or interface_language()
    message = _message(record, language)
    value = record.value
    comment = record.comments[-1] if record.comments else None
    return AlarmRow(
        alarm_id=record.alarm_id,
        rule_id=record.rule_id,
        asset_id=record.asset_id,
        domain=record.domain,
        district=record.district,
        priority=str(record.priority),
        state=str(record.state),
        message=f"[{orphan_text(record.orphaned)}] {message}" if record.orphaned else message,
        value=float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None,
        raised_ms=record.raised_ms if record.raised_ms is not None else record.changed_ms,
        changed_ms=record.changed_ms,
        acked_by=record.acked_by,
        acked_ms=record.acked_ms,
        shelved_until_ms=record.shelved_until_ms,
        shelve_reason=record.shelve_reason,
        last_comment=comment[2] if comment else None,
        orphaned=record.orphaned,
        latched=record.latched,
        rule_title=_description(record, language) or record.rule_id,
        asset_name=asset_name(record.asset_id),
        condition_active=record.active,
        shelved_by=record.shelved_by,
        last_comment_by=comment[1] if comment else None,
        last_comment_ms=comment[0] if comment else None,
    )
