"""The drill's clock: simulated time a trainer can pause, speed up and move forward."""

from __future__ import annotations

import time


class DrillClock:
    """Simulated epoch milliseconds from ``start_ms``; paused until ``resume()``."""

    def __init__(self, start_ms: int, speed: float = 1.0) -> None:
        if speed <= 0:
            raise ValueError("speed must be positive")
        self.start_ms = start_ms
        self.speed = speed
        self.paused = True
        self._origin_sim = start_ms
        self._origin_real = time.monotonic()

    def now_ms(self) -> int:
        if self.paused:
            return self._origin_sim
        return self._origin_sim + int((time.monotonic() - self._origin_real) * 1000 * self.speed)

    @property
    def elapsed_ms(self) -> int:
        """Simulated time since the drill's start."""
        return self.now_ms() - self.start_ms

    def _rebase(self, sim_ms: int) -> None:
        self._origin_sim = sim_ms
        self._origin_real = time.monotonic()

    def pause(self) -> None:
        self._rebase(self.now_ms())
        self.paused = True

    def resume(self) -> None:
        self._rebase(self.now_ms())
        self.paused = False

    def set_speed(self, speed: float) -> None:
        if speed <= 0:
            raise ValueError("speed must be positive")
        self._rebase(self.now_ms())
        self.speed = speed

    def jump_to(self, sim_ms: int) -> None:
        """Move forward to ``sim_ms``; a drill never goes back (what happened, happened)."""
        self._rebase(max(self.now_ms(), sim_ms))

    def seconds_until(self, sim_ms: int) -> float | None:
        """Real seconds until the clock reads ``sim_ms``; None while paused."""
        if self.paused:
            return None
        return max(0.0, (sim_ms - self.now_ms()) / 1000 / self.speed)
