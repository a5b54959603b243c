"""Alarm floods (EEMUA 191): more than ``threshold`` new alarms in ``window_ms``, globally or per domain.

A flood ends only when the rate falls to half the threshold, so it does not flicker around the limit.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass

from alerts.records import AlarmEvent

GLOBAL = "global"
FLOOD_THRESHOLD = 10
"""EEMUA 191's flood: more than this many new alarms per operator position in ``FLOOD_WINDOW_MS``."""
FLOOD_WINDOW_MS = 600_000


@dataclass(frozen=True, slots=True)
class FloodChange:
    """A flood started (``active``) or ended in ``scope`` (``global`` or ``domain:<name>``)."""

    active: bool
    scope: str
    count: int
    since_ms: int


class FloodDetector:
    """Counts new alarms (transitions to ``unack``) in a sliding window, per scope."""

    def __init__(self, threshold: int = FLOOD_THRESHOLD, window_ms: int = FLOOD_WINDOW_MS,
                 end_threshold: int | None = None) -> None:
        self.threshold = threshold
        self.window_ms = window_ms
        self.end_threshold = threshold // 2 if end_threshold is None else end_threshold
        self._raised: dict[str, deque[int]] = {}
        self._since: dict[str, int] = {}

    def observe(self, events: Iterable[AlarmEvent]) -> list[FloodChange]:
        """Feed the engine's events; returns floods that started or ended."""
        latest = None
        for event in events:
            if not event.raised:
                continue
            latest = event.ts_ms if latest is None else max(latest, event.ts_ms)
            for scope in (GLOBAL, f"domain:{event.domain}" if event.domain else None):
                if scope is not None:
                    self._raised.setdefault(scope, deque()).append(event.ts_ms)
        return [] if latest is None else self.tick(latest)

    def tick(self, now_ms: int) -> list[FloodChange]:
        """Let old alarms leave the window; a flood may end without any new event."""
        changes = []
        horizon = now_ms - self.window_ms
        for scope, times in self._raised.items():
            while times and times[0] <= horizon:
                times.popleft()
            count = len(times)
            if scope not in self._since and count > self.threshold:
                self._since[scope] = now_ms
                changes.append(FloodChange(True, scope, count, now_ms))
            elif scope in self._since and count <= self.end_threshold:
                changes.append(FloodChange(False, scope, count, self._since.pop(scope)))
        return changes

    def active(self) -> dict[str, int]:
        """Scopes in flood now, with the time each flood started."""
        return dict(self._since)
