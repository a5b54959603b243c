"""The engine's health as a console reads it: defensively, since engines of other versions send other fields.

A missing field means "unknown", never zero: an engine that does not say how late it is must not look
on time. Counts are compared between two health messages, so "every message refused" is about now,
not about the engine's whole life.
"""

from __future__ import annotations

import time
from typing import Any


def _count(payload: dict[str, Any], name: str) -> int | None:
    value = payload.get(name)
    return int(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _rule_errors(payload: dict[str, Any]) -> tuple[str, ...]:
    rules = payload.get("rules")
    if not isinstance(rules, dict) or (rules.get("ok", True) is not False and not rules.get("errors")):
        return ()
    errors = rules.get("errors") or []
    lines = []
    for error in errors if isinstance(errors, list) else []:
        if isinstance(error, dict):
            where = ":".join(str(error[k]) for k in ("file", "line") if error.get(k) not in (None, ""))
            message = str(error.get("message", ""))
            lines.append(f"{where}: {message}" if where else message)
        else:
            lines.append(str(error))
    return tuple(lines) or ("?",)


class EngineView:
    """The latest health payload and what changed since the one before."""

    def __init__(self) -> None:
        self.payload: dict[str, Any] = {}
        self.seen = False
        self._previous: tuple[int | None, int | None] = (None, None)
        self.accepted_delta: int | None = None
        self.rejected_delta: int | None = None

    def take(self, payload: dict[str, Any] | None) -> None:
        """A new health message (``None`` when it could not be read: the engine is then taken as offline)."""
        payload = payload if payload is not None else {"online": False}
        self.seen = True
        accepted, rejected = _count(payload, "accepted"), _count(payload, "rejected")
        before_accepted, before_rejected = self._previous
        if None not in (accepted, rejected, before_accepted, before_rejected):
            self.accepted_delta = accepted - before_accepted  # type: ignore[operator]
            self.rejected_delta = rejected - before_rejected  # type: ignore[operator]
        if accepted is not None or rejected is not None:
            self._previous = (accepted, rejected)
        self.payload = payload

    @property
    def online(self) -> bool | None:
        """True or False as the engine said; None before any health message."""
        return bool(self.payload.get("online", False)) if self.seen else None

    @property
    def lag_ms(self) -> int | None:
        return _count(self.payload, "lag_ms")

    @property
    def rejected(self) -> int:
        return _count(self.payload, "rejected") or 0

    @property
    def rejected_by_reason(self) -> dict[str, int]:
        reasons = self.payload.get("rejected_by_reason")
        return dict(reasons) if isinstance(reasons, dict) else {}

    @property
    def age_s(self) -> float | None:
        """Seconds since the engine stamped its last health message (its wall clock), if it stamped it."""
        ts = _count(self.payload, "ts")
        return None if ts is None else max(0.0, time.time() - ts / 1000)

    @property
    def all_rejected(self) -> bool:
        """Between the last two health messages, messages came in and the engine refused every one."""
        return bool(self.rejected_delta) and self.accepted_delta == 0

    @property
    def rule_errors(self) -> tuple[str, ...]:
        """Rule files the engine could not load, as ``file:line: message``."""
        return _rule_errors(self.payload)
