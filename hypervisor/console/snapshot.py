"""What the GUI receives, at most ~15 times a second: only what changed, plus cheap whole arrays."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from alerts.flood import FloodChange
from alerts.records import AlarmRecord, AlarmState, Priority

PRIORITY_RANK = {str(p): p.rank for p in Priority}
VISIBLE_STATES = frozenset({AlarmState.UNACK, AlarmState.ACKED, AlarmState.RTN_UNACK})
UNACKED_STATES = frozenset({AlarmState.UNACK, AlarmState.RTN_UNACK})


@dataclass(frozen=True, slots=True)
class LinkStatus:
    """Connection facts for the status bar, the band and the map; ``None`` where the engine did not say."""

    state: str
    messages_per_s: float
    last_message_ms: int | None
    rejected: int
    rejected_by_reason: dict[str, int]
    engine_online: bool | None
    engine_lag_ms: int | None
    error: str = ""
    engine_age_s: float | None = None
    recently_all_rejected: bool = False
    rule_errors: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ConsoleSnapshot:
    """A coalesced view of everything that changed since the previous snapshot."""

    now_ms: int
    assets: dict[str, tuple[int, dict[str, Any]]]
    alarms: dict[str, AlarmRecord]
    removed_alarms: tuple[str, ...]
    priority: np.ndarray | None
    unacked: np.ndarray | None
    stale: np.ndarray | None
    kpis: dict[str, float | None]
    floods: dict[str, FloodChange]
    link: LinkStatus
    replies: tuple[dict[str, Any], ...] = field(default=())
    score: dict[str, Any] | None = None
    """A training session's result for this console's user, when it came since the last snapshot."""
    first: bool = False
    reset: bool = False
    """Everything was replaced (a seek): the GUI drops what it kept and reads ``latest`` afresh."""
    latest: Callable[[str], tuple[int, dict[str, Any]] | None] | None = None
    """One asset's last reading, whether it came since the reset or with it."""
    moved: bool = False
    """Readings came in bulk (not listed in ``assets``): read them through ``latest``."""
