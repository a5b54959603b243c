"""Time sources: the wall clock, or a simulated clock shared by simulator, engine and console."""

from __future__ import annotations

import math
import time
from typing import Protocol

import orjson

CITY_ZONE = "Europe/Paris"
"""The simulated Dijon's time zone, and a console's unless ``--timezone`` names its city's."""


class Clock(Protocol):
    def now_ms(self) -> int: ...


class WallClock:
    """Real time, epoch milliseconds."""

    def now_ms(self) -> int:
        return time.time_ns() // 1_000_000


class SimClock:
    """Simulated time that runs ``speed`` times faster than real time from ``start_ms``."""

    def __init__(self, start_ms: int | None = None, speed: float = 1.0) -> None:
        if speed <= 0:
            raise ValueError("speed must be positive")
        self._origin_real = time.monotonic()
        self._origin_sim = start_ms if start_ms is not None else time.time_ns() // 1_000_000
        self.speed = speed

    def now_ms(self) -> int:
        return self._origin_sim + int((time.monotonic() - self._origin_real) * 1000 * self.speed)

    def set_speed(self, speed: float) -> None:
        if speed <= 0:
            raise ValueError("speed must be positive")
        self._origin_sim = self.now_ms()
        self._origin_real = time.monotonic()
        self.speed = speed


class FollowedClock:
    """The clock of a simulator in another process, learnt from its ``sim/clock`` messages.

    Until the first message arrives, and after an empty one (the simulator stopped: its last will clears
    the retained clock), it reads the wall clock.
    """

    def __init__(self) -> None:
        self._origin_real = time.monotonic()
        self._origin_sim: int | None = None
        self.speed = 1.0

    def update(self, sim_ms: int, speed: float) -> None:
        """Follow ``sim_ms`` at ``speed``; a speed of 0 is a paused simulation (a drill the trainer paused)."""
        if not math.isfinite(speed) or speed < 0:
            raise ValueError(f"a simulator clock runs at a finite speed of 0 or more, not {speed}")
        self._origin_real = time.monotonic()
        self._origin_sim = int(sim_ms)
        self.speed = speed

    def release(self) -> None:
        """Go back to the wall clock: no simulator is running any more."""
        self._origin_sim = None
        self.speed = 1.0

    @property
    def following(self) -> bool:
        """Whether a simulator's clock is followed now (rather than the wall clock)."""
        return self._origin_sim is not None

    def now_ms(self) -> int:
        if self._origin_sim is None:
            return time.time_ns() // 1_000_000
        return self._origin_sim + int((time.monotonic() - self._origin_real) * 1000 * self.speed)

    def follow(self, payload: bytes) -> None:
        """Take a ``sim/clock`` message ``{"sim_ms": ..., "speed": ...}`` (empty: back to the wall clock);
        ValueError if unreadable."""
        if not payload:
            self.release()
            return
        try:
            body = orjson.loads(payload)
            self.update(int(body["sim_ms"]), float(body.get("speed", 1.0)))
        except (orjson.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
            raise ValueError(f"unreadable simulator clock message: {payload[:80]!r}") from exc
