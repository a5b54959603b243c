"""Engine health: what came in, what was used, what was refused and why, and how late we are.

Every field is described in ``docs/health.md``. Messages and the readings they carry are counted apart:
``accepted + rejected == received`` (messages), while one accepted message may carry several measurements.
Lag is measured on the engine's own monotonic clock, from the moment a message reached the engine to the
end of its batch's evaluation: a device's timestamps, right or wrong, never enter it.
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any


def _wall_ms() -> int:
    return time.time_ns() // 1_000_000


@dataclass(slots=True)
class EngineHealth:
    """Counters published every second on ``hv/v1/engine/health``."""

    started_ms: int = field(default_factory=_wall_ms)
    received: int = 0
    accepted: int = 0
    rejected: int = 0
    measurements: int = 0
    status_updates: int = 0
    rejected_by_reason: Counter[str] = field(default_factory=Counter)
    lag_ms: float = 0.0
    lag_max_ms: float = 0.0
    alarms_active: int = 0
    alarm_events: int = 0
    commands: int = 0
    commands_refused: int = 0
    rate_per_s: float = 0.0
    _period_lag_ms: float = 0.0
    _last_received: int = 0
    _last_at: float = field(default_factory=time.monotonic)

    def note_batch(self, messages: int, rejected: int, measurements: int, status_updates: int,
                   received_ns: int) -> None:
        """Count one evaluated batch of ``messages`` (``rejected`` of them refused), received (monotonic)
        at ``received_ns`` for its oldest message."""
        self.received += messages
        self.accepted += messages - rejected
        self.measurements += measurements
        self.status_updates += status_updates
        lag = max(0.0, (time.monotonic_ns() - received_ns) / 1e6)
        self.lag_ms = lag
        self._period_lag_ms = max(self._period_lag_ms, lag)

    def note_rejection(self, reason: str) -> None:
        """Count one refused message by reason (the batch counts it in ``rejected``)."""
        self.rejected += 1
        self.rejected_by_reason[reason] += 1

    def payload(self, online: bool, link: str, historian: dict[str, Any] | None = None,
                rules: dict[str, Any] | None = None, quarantine: dict[str, Any] | None = None) -> dict[str, Any]:
        """The health message; rate and ``lag_max_ms`` cover the time since the previous call."""
        now = time.monotonic()
        elapsed = now - self._last_at
        if elapsed >= 0.5:
            self.rate_per_s = (self.received - self._last_received) / elapsed
            self._last_received, self._last_at = self.received, now
        self.lag_max_ms, self._period_lag_ms = self._period_lag_ms, 0.0
        return {
            "ts": _wall_ms(),
            "online": online,
            "link": link,
            "started_ms": self.started_ms,
            "received": self.received,
            "accepted": self.accepted,
            "rejected": self.rejected,
            "measurements": self.measurements,
            "status_updates": self.status_updates,
            "rejected_by_reason": dict(self.rejected_by_reason),
            "rate_per_s": round(self.rate_per_s, 1),
            "lag_ms": round(self.lag_ms),
            "lag_max_ms": round(self.lag_max_ms),
            "alarms_active": self.alarms_active,
            "alarm_events": self.alarm_events,
            "commands": self.commands,
            "commands_refused": self.commands_refused,
            "rules": rules or {},
            "quarantine": quarantine or {},
            "historian": historian or {},
        }
