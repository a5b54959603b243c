"""The alarm row the console fills from an alarm record: plain values, no Qt."""

from __future__ import annotations

from dataclasses import dataclass

from alerts.records import PRIORITY_ORDER, AlarmState

PRIORITIES: tuple[str, ...] = PRIORITY_ORDER
"""Alarm priorities, most severe first (the engine's vocabulary, ``alerts.records``)."""

STATES: tuple[str, ...] = tuple(s.value for s in AlarmState if s is not AlarmState.NORMAL)
"""States an alarm can be in while it is listed (``normal`` alarms are not listed)."""

UNACKED_STATES = frozenset({AlarmState.UNACK.value, AlarmState.RTN_UNACK.value})
ACTIVE_STATES = frozenset({AlarmState.UNACK.value, AlarmState.ACKED.value})
LISTED_STATES = frozenset({AlarmState.UNACK.value, AlarmState.ACKED.value, AlarmState.RTN_UNACK.value})
"""What the operator's alarm list shows by default: shelved, suppressed and out-of-service alarms are
kept out of sight (ISA-18.2) and shown only on request."""


_RANKS = {priority: rank for rank, priority in enumerate(PRIORITIES)}


def priority_rank(priority: str) -> int:
    """0 for critical up to 3 for low; unknown priorities sort after low."""
    return _RANKS.get(priority, len(PRIORITIES))


@dataclass(frozen=True, slots=True)
class AlarmRow:
    """One alarm as the operator sees it (times are epoch milliseconds, UTC)."""

    alarm_id: str
    rule_id: str
    asset_id: str
    domain: str
    district: str
    priority: str
    state: str
    message: str
    value: float | None
    raised_ms: int
    changed_ms: int
    acked_by: str | None = None
    acked_ms: int | None = None
    shelved_until_ms: int | None = None
    shelve_reason: str | None = None
    last_comment: str | None = None
    orphaned: str | None = None
    """``removed`` or ``changed``: the rule that raised the alarm left or changed; acknowledge (and reset)."""
    latched: bool = False
    condition_active: bool = True
    asset_name: str = ""
    """How operators call the alarm's subject ("District Talant"), shown in place of an internal id."""
    rule_title: str = ""
    """The rule's description in the operator's language, naming a flood group instead of the rule's id."""
    shelved_by: str | None = None
    last_comment_by: str | None = None
    last_comment_ms: int | None = None

    @property
    def can_reset(self) -> bool:
        """A latched alarm whose condition has cleared: it waits for a reset after checking on site."""
        return self.latched and not self.condition_active

    def name(self) -> str:
        """The alarm in a few words, for dialogs: asset and message."""
        return f"{self.asset_name or self.asset_id} · {self.message}"

    @property
    def is_unacked(self) -> bool:
        """Waiting for an operator's acknowledgement (active or returned to normal)."""
        return self.state in UNACKED_STATES

    @property
    def is_active(self) -> bool:
        """The alarm condition is present and not hidden by shelving, suppression or service."""
        return self.state in ACTIVE_STATES
