"""Alarm values shared with the engine wiring, the historian and the consoles: records and events."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any

from feeds.model import MetricValue

MAX_COMMENTS = 5
"""Comments kept on a record; the full history lives in the events."""


class Priority(StrEnum):
    """Alarm priority (ISA-18.2); ``rank`` orders them, critical first."""

    CRITICAL = "critical"
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"

    @property
    def rank(self) -> int:
        """Higher is more urgent."""
        return _PRIORITY_RANK[self]


_PRIORITY_RANK = {Priority.CRITICAL: 4, Priority.HIGH: 3, Priority.MEDIUM: 2, Priority.LOW: 1}
PRIORITY_ORDER: tuple[str, ...] = tuple(p.value for p in sorted(Priority, key=lambda p: -p.rank))
"""Priority names, most severe first: the order of every list, table and legend."""


class AlarmState(StrEnum):
    """States of ISA-18.2 / IEC 62682 as operators see them."""

    NORMAL = "normal"
    UNACK = "unack"
    ACKED = "acked"
    RTN_UNACK = "rtn_unack"
    SHELVED = "shelved"
    SUPPRESSED = "suppressed"
    OUT_OF_SERVICE = "out_of_service"


@dataclass(slots=True)
class AlarmRecord:
    """Everything known about one alarm (``rule_id:asset_id``) now; published retained.

    The state follows from the flags (``active``, ``latched``, ``unacked``, shelving, suppression,
    ``out_of_service``), so a record restored from the historian carries all it needs.
    """

    alarm_id: str
    rule_id: str
    asset_id: str
    domain: str
    district: str
    asset_kind: str
    priority: Priority
    description: str = ""
    descriptions: dict[str, str] = field(default_factory=dict)
    state: AlarmState = AlarmState.NORMAL
    active: bool = False
    latched: bool = False
    unacked: bool = False
    out_of_service: bool = False
    value: MetricValue | None = None
    message: str = ""
    detail: dict[str, Any] = field(default_factory=dict)
    """What was measured, as facts (``alerts.evaluate.explain``); ``message`` says it in English."""
    raised_ms: int | None = None
    changed_ms: int = 0
    acked_by: str | None = None
    acked_ms: int | None = None
    shelved_by: str | None = None
    shelved_until_ms: int | None = None
    shelve_reason: str | None = None
    suppressed_by: str | None = None
    comments: list[tuple[int, str, str]] = field(default_factory=list)
    last_event_user: str | None = None
    orphaned: str | None = None
    """``removed`` or ``changed`` when the rule that raised the alarm left or changed in the rule set: the
    condition is no longer evaluated, and operators acknowledge (and reset if latched) to clear it."""

    def add_comment(self, ts_ms: int, user: str, text: str) -> None:
        """Keep the operator comment, dropping the oldest beyond ``MAX_COMMENTS``."""
        self.comments.append((ts_ms, user, text))
        del self.comments[:-MAX_COMMENTS]

    def copy(self) -> AlarmRecord:
        """An independent copy, so callers never mutate the engine's record."""
        data = {name: getattr(self, name) for name in self.__slots__}  # type: ignore[attr-defined]
        data["comments"] = list(self.comments)
        return AlarmRecord(**data)

    def to_json(self) -> dict[str, Any]:
        """Plain JSON types (enums as strings, comments as lists) for MQTT and the historian."""
        data = asdict(self)
        data["priority"] = str(self.priority)
        data["state"] = str(self.state)
        data["comments"] = [list(c) for c in self.comments]
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> AlarmRecord:
        """Rebuild a record published or stored by ``to_json``; unknown keys are ignored."""
        known = dict(data) if data.keys() <= _RECORD_FIELDS else {k: v for k, v in data.items() if k in _RECORD_FIELDS}
        known["priority"] = Priority(known["priority"])
        known["state"] = AlarmState(known.get("state", AlarmState.NORMAL))
        known["comments"] = [(int(ts), str(user), str(text)) for ts, user, text in known.get("comments", [])]
        return cls(**known)


_RECORD_FIELDS = frozenset(AlarmRecord.__slots__)  # type: ignore[attr-defined]


@dataclass(frozen=True, slots=True)
class AlarmEvent:
    """One state transition (or an operator's comment, where ``from_state == to_state``)."""

    ts_ms: int
    alarm_id: str
    rule_id: str
    asset_id: str
    priority: Priority
    from_state: AlarmState
    to_state: AlarmState
    value: MetricValue | None = None
    user: str | None = None
    console: str | None = None
    comment: str | None = None
    request_id: str | None = None
    message: str = ""
    domain: str = ""
    district: str = ""
    record: dict[str, Any] | None = field(default=None, compare=False)
    """The alarm's whole record after this transition (``AlarmRecord.to_json``), kept by the historian so
    that the alarm list at any instant is exact without running the rules again."""

    @property
    def raised(self) -> bool:
        """A new alarm reaching the operators (counted by flood detection)."""
        return self.to_state == AlarmState.UNACK and self.from_state != AlarmState.UNACK

    def to_json(self) -> dict[str, Any]:
        """Plain JSON types for ``hv/v1/alarm-events`` and the historian."""
        data = asdict(self)
        data["priority"] = str(self.priority)
        data["from_state"] = str(self.from_state)
        data["to_state"] = str(self.to_state)
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> AlarmEvent:
        """Rebuild an event written by ``to_json``; unknown keys are ignored."""
        known = dict(data) if data.keys() <= _EVENT_FIELDS else {k: v for k, v in data.items() if k in _EVENT_FIELDS}
        known["priority"] = Priority(known["priority"])
        known["from_state"] = AlarmState(known["from_state"])
        known["to_state"] = AlarmState(known["to_state"])
        return cls(**known)


_EVENT_FIELDS = frozenset(AlarmEvent.__slots__)  # type: ignore[attr-defined]
