"""Warnings about rejected messages, rate-limited per reason so that a flood cannot flood the log too.

The first rejection of each reason is logged in full; the following ones are counted, and a summary line
per reason (how many, and the last topic and detail) is written at most every ``period_s`` seconds.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from feeds.clock import Clock, FollowedClock
from feeds.rejection import Reason

SUMMARY_PERIOD_S = 60.0


def advice(reason: str, clock: Clock) -> str:
    """What to do about a rejection, where the reason alone does not say it; empty otherwise."""
    if reason != Reason.FUTURE_TIMESTAMP:
        return ""
    if not isinstance(clock, FollowedClock):
        return ("; this engine runs on the wall clock (--wall-clock): restart it without --wall-clock to follow "
                "a simulator running faster than real time, or set the sender's clock (NTP)")
    if not clock.following:
        return ("; no simulator clock is published on the broker: start the simulator with `hypervisor simulate` "
                "(it publishes its clock) and allow it to publish the sim/clock topic, or set the sender's clock (NTP)")
    return ("; the engine follows the simulator's clock and this sender is ahead of it: set the sender's clock "
            "(NTP), or run one simulator per broker")


@dataclass(slots=True)
class _Reason:
    logged_at: float
    unlogged: int = 0
    topic: str = ""
    detail: str = ""


class RejectionLog:
    """One warning per reason, then at most one summary line per reason and period."""

    def __init__(self, logger: logging.Logger, period_s: float = SUMMARY_PERIOD_S,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._log = logger
        self._period_s = period_s
        self._clock = clock
        self._reasons: dict[str, _Reason] = {}

    def rejected(self, reason: str, topic: str, detail: str) -> None:
        """Note one rejection; logs it when it is the first of its reason, or a summary when one is due."""
        state = self._reasons.get(reason)
        if state is None:
            self._reasons[reason] = _Reason(self._clock())
            self._log.warning("rejected %s on %s: %s (further %s rejections are summarised every %g s)",
                              reason, topic, detail, reason, self._period_s)
            return
        state.unlogged += 1
        state.topic, state.detail = topic, detail
        if self._clock() - state.logged_at >= self._period_s:
            self._summarise(reason, state)

    def tick(self) -> None:
        """Write the summaries that are due, so the end of a flood is reported too."""
        now = self._clock()
        for reason, state in self._reasons.items():
            if state.unlogged and now - state.logged_at >= self._period_s:
                self._summarise(reason, state)

    def _summarise(self, reason: str, state: _Reason) -> None:
        self._log.warning("rejected %d more %s messages in the last %.0f s; the last on %s: %s",
                          state.unlogged, reason, self._clock() - state.logged_at, state.topic, state.detail)
        state.unlogged = 0
        state.logged_at = self._clock()
