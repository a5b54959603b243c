"""Engine health: what came in, what was used, what was refused and why, and how late we are."""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field


@dataclass(slots=True)
class EngineHealth:
    """Counters published every second on ``hv/v1/engine/health``."""

    started_ms: int = field(default_factory=lambda: time.time_ns() // 1_000_000)
    received: int = 0
    accepted: int = 0
    rejected: int = 0
    rejected_by_reason: Counter[str] = field(default_factory=Counter)
    lag_ms: int = 0
    alarms_active: int = 0
    alarm_events: int = 0
    commands: int = 0
    commands_refused: int = 0
    _last_received: int = 0
    _last_at: float = field(default_factory=time.monotonic)
    rate_per_s: float = 0.0

    def note_rejection(self, reason: str) -> None:
        self.rejected += 1
        self.rejected_by_reason[reason] += 1

    def payload(self, online: bool, link: str, historian: dict[str, int] | None = None) -> dict[str, object]:
        now = time.monotonic()
        elapsed = now - self._last_at
        if elapsed >= 0.5:
            self.rate_per_s = (self.received - self._last_received) / elapsed
            self._last_received, self._last_at = self.received, now
        return {
            "ts": time.time_ns() // 1_000_000,
            "online": online,
            "link": link,
            "started_ms": self.started_ms,
            "received": self.received,
            "accepted": self.accepted,
            "rejected": self.rejected,
            "rejected_by_reason": dict(self.rejected_by_reason),
            "rate_per_s": round(self.rate_per_s, 1),
            "lag_ms": self.lag_ms,
            "alarms_active": self.alarms_active,
            "alarm_events": self.alarm_events,
            "commands": self.commands,
            "commands_refused": self.commands_refused,
            "historian": historian or {},
        }
