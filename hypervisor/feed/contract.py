"""The feed contract: what every console source says it can do, and the typed events it emits.

A console never reads MQTT topics or SQLite rows; it reads these events, whatever the mode. LIVE, REPLAY
and TRAINING differ only in the feed behind the window, and in the capabilities that feed declares.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

import numpy as np

from alerts.flood import FloodChange
from alerts.records import AlarmRecord


class Capability(StrEnum):
    """What a feed can do beyond showing the city; the window offers only these."""

    COMMAND = "command"
    """Acknowledge, shelve, reset, comment: publishes to the engine."""
    INJECT = "inject"
    """Ask the simulator for a fault (demo and training)."""
    SEEK = "seek"
    """Jump to any instant of a recorded period."""
    SPEED = "speed"
    """Play a recorded period faster or slower than wall time."""
    SCORE = "score"
    """A training session scores this console's responses: the window shows the trainee's result."""


@dataclass(frozen=True, slots=True)
class Reading:
    """An asset's metrics at one instant (device time)."""

    ts_ms: int
    asset_id: str
    metrics: dict[str, Any]


@dataclass(frozen=True, slots=True)
class Status:
    """An asset going online or offline."""

    ts_ms: int
    asset_id: str
    online: bool


@dataclass(frozen=True, slots=True)
class AlarmChanged:
    """An alarm's whole record after a change; ``record`` is None when it left the list."""

    alarm_id: str
    record: AlarmRecord | None


@dataclass(frozen=True, slots=True)
class FloodChanged:
    change: FloodChange


@dataclass(frozen=True, slots=True)
class Health:
    """The engine's health report, as it published it."""

    body: dict[str, Any]


@dataclass(frozen=True, slots=True)
class CommandReply:
    """The engine's answer to one of this console's commands."""

    body: dict[str, Any]


@dataclass(frozen=True, slots=True)
class Reset:
    """The whole city at ``at_ms`` (after a seek or a join): replaces everything a console knows.

    Assets come as columns over ``asset_ids`` (a whole city in a few arrays, so a seek stays cheap):
    ``last_ms`` (-1 where never seen), ``online`` (1, 0, or -1 where never said), ``values(metric)``
    (floats, NaN where unknown) and ``latest(asset_id)`` for one asset's full last reading.
    """

    at_ms: int
    asset_ids: list[str]
    last_ms: np.ndarray
    online: np.ndarray
    values: Callable[[str], np.ndarray]
    latest: Callable[[str], tuple[int, dict[str, Any]] | None]
    alarms: list[AlarmRecord]
    floods: dict[str, FloodChange] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class ReadingBlock:
    """Many assets' readings at once (a replay playing fast), as columns over ``asset_ids``.

    ``keys`` are the positions in ``asset_ids`` of the assets that reported, ``last_ms`` their last reading
    times, ``values(metric)`` their last values of a metric (NaN where the block has none); ``latest``
    reads one asset's full last reading.
    """

    asset_ids: list[str]
    keys: np.ndarray
    last_ms: np.ndarray
    values: Callable[[str], np.ndarray]
    latest: Callable[[str], tuple[int, dict[str, Any]] | None]


FeedEvent = Reading | ReadingBlock | Status | AlarmChanged | FloodChanged | Health | CommandReply | Reset
