"""Clocks an engine or a console follow: a simulator's, paused or running faster than real time."""

from __future__ import annotations

import time

import pytest

from feeds.clock import FollowedClock


def test_a_followed_clock_stands_still_while_the_simulation_is_paused() -> None:
    clock = FollowedClock()
    clock.follow(b'{"sim_ms": 1768514400000, "speed": 0}')
    first = clock.now_ms()
    deadline = time.monotonic() + 0.05
    while time.monotonic() < deadline:  # a paused drill: simulated time does not move with the wall clock
        assert clock.now_ms() == first == 1_768_514_400_000
    with pytest.raises(ValueError):
        clock.follow(b'{"sim_ms": 1768514400000, "speed": -60}')
