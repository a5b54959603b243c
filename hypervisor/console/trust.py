"""Whether the figures on screen can be trusted: a Qt-free verdict from the link and the engine's health.

A console that shows nothing wrong must mean the city is fine, never that no data arrives. Every way the
data can stop being current (not signed in, link down, engine offline or silent, every message refused,
no reading for minutes, the engine far behind, a rule file that did not load) is named here once; the
band, the map and the status bar all show this one verdict.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from hypervisor.console.snapshot import LinkStatus

ENGINE_LAG_LIMIT_MS = 10_000
"""An engine further behind than this raises alarms late enough for an operator to be told."""
NO_DATA_AFTER_MS = 5 * 60_000
"""Longer than the densest feeds' period: a city that sent nothing for this long is not being watched."""
ENGINE_SILENT_AFTER_S = 30.0
"""The engine publishes its health every second; this long without it means it stopped without a will."""

_AUTH_WORDS = ("not authori", "bad user name or password", "bad username or password")


class Problem(StrEnum):
    """One reason the figures may not be current, most serious first."""

    NOT_AUTHORIZED = "not_authorized"
    DISCONNECTED = "disconnected"
    CONNECTING = "connecting"
    ENGINE_OFFLINE = "engine_offline"
    ENGINE_SILENT = "engine_silent"
    ALL_REJECTED = "all_rejected"
    NO_DATA = "no_data"
    ENGINE_LAGGING = "engine_lagging"
    RULES_BROKEN = "rules_broken"
    ENGINE_UNKNOWN = "engine_unknown"


BLOCKING = frozenset({Problem.NOT_AUTHORIZED, Problem.DISCONNECTED, Problem.CONNECTING, Problem.ENGINE_OFFLINE,
                      Problem.ENGINE_SILENT, Problem.ALL_REJECTED, Problem.NO_DATA})
"""Problems after which nothing on screen describes the city now: the map is hatched over."""


@dataclass(frozen=True, slots=True)
class Trust:
    """The verdict: problems in order of seriousness, and the data time of the last good reading."""

    problems: tuple[Problem, ...] = ()
    data_since_ms: int | None = None
    lag_ms: int | None = None
    rule_errors: tuple[str, ...] = ()
    main_rejection: str = ""
    """The reason the engine gave most often for refusing messages (empty when it refused none)."""

    @property
    def level(self) -> str:
        """``ok``, ``degraded`` (alarms may be late or missing) or ``blocking`` (the figures are not current)."""
        if any(p in BLOCKING for p in self.problems):
            return "blocking"
        return "degraded" if self.problems else "ok"

    @property
    def first(self) -> Problem | None:
        """The most serious problem, the one the band names."""
        return self.problems[0] if self.problems else None


def is_auth_error(error: str) -> bool:
    """Whether a broker's refusal means the user is not signed in (wrong or missing credentials, no right)."""
    lowered = error.casefold()
    return any(word in lowered for word in _AUTH_WORDS)


def assess(link: LinkStatus, now_ms: int) -> Trust:
    """The verdict on one snapshot's link facts at data time ``now_ms``."""
    found: set[Problem] = set()
    if link.state == "connecting" and not link.error:
        found.add(Problem.CONNECTING)
    elif link.state != "connected":
        found.add(Problem.NOT_AUTHORIZED if is_auth_error(link.error) else Problem.DISCONNECTED)
    elif link.engine_online is None:
        found.add(Problem.ENGINE_UNKNOWN)
    elif not link.engine_online:
        found.add(Problem.ENGINE_OFFLINE)
    elif link.engine_age_s is not None and link.engine_age_s > ENGINE_SILENT_AFTER_S:
        found.add(Problem.ENGINE_SILENT)
    if link.recently_all_rejected:
        found.add(Problem.ALL_REJECTED)
    if link.last_message_ms is None or now_ms - link.last_message_ms > NO_DATA_AFTER_MS:
        found.add(Problem.NO_DATA)
    if link.engine_online and link.engine_lag_ms is not None and link.engine_lag_ms > ENGINE_LAG_LIMIT_MS:
        found.add(Problem.ENGINE_LAGGING)
    if link.rule_errors:
        found.add(Problem.RULES_BROKEN)
    ordered = tuple(p for p in Problem if p in found)
    reasons = link.rejected_by_reason
    main_rejection = max(reasons, key=reasons.__getitem__) if reasons else ""
    return Trust(ordered, link.last_message_ms, link.engine_lag_ms, link.rule_errors, main_rejection)
