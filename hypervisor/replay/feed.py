"""The REPLAY feed: a recorded period as the console's typed events, with ``seek`` and ``speed`` only.

It has no ``command`` capability and no publish path at all: it holds a read-only SQLite connection and
nothing else, so nothing done in a replay can reach a broker or the live alarm list.
"""

from __future__ import annotations

import bisect
import logging
from collections.abc import Sequence
from typing import Any

import numpy as np

from hypervisor.feed.address import ReplayAddress
from hypervisor.feed.contract import (
    AlarmChanged,
    Capability,
    FeedEvent,
    FloodChanged,
    Reading,
    Reset,
    Status,
)
from hypervisor.historian.frames import CityFrame
from hypervisor.historian.timeline import AlarmTransition, FloodEvent, ReadingEvent, StatusEvent
from hypervisor.historian.timeline import CityState as RecordedCity
from hypervisor.replay.history import HistoryMarks, history_marks, open_read_only, open_timeline, recorded_period

log = logging.getLogger(__name__)

PREFETCH_MS = 5 * 60_000
"""How far ahead playback reads: one keyframe interval."""


def numeric_column(frame: CityFrame, metric: str) -> np.ndarray:
    """One metric's last values as floats by asset key, NaN where unknown (bools as 0/1, text as NaN)."""
    out = np.full(len(frame), np.nan)
    column = frame.metrics.get(metric)
    if column is None:
        return out
    n = min(len(frame), len(column.present))
    present = column.present[:n]
    values = column.values[:n][present]
    if values.dtype == object:
        values = np.array([float(v) if isinstance(v, int | float) else np.nan for v in values.tolist()])
    out[:n][present] = values.astype(float)
    return out


class RecordedFrame:
    """A recorded city frame read by asset id; never changed once made (the GUI may read it)."""

    def __init__(self, city: RecordedCity, keys: dict[str, int]) -> None:
        self._frame = city.frame
        self._keys = keys

    def latest(self, asset_id: str) -> tuple[int, dict[str, Any]] | None:
        key = self._keys.get(asset_id)
        if key is None or key >= len(self._frame) or self._frame.last_ms[key] < 0:
            return None
        return int(self._frame.last_ms[key]), self._frame.values_of(key)


class ReplayFeed:
    """A historian or incident file between two instants; ``seek`` gives a ``Reset``, ``advance`` the events."""

    capabilities = frozenset({Capability.SEEK, Capability.SPEED})

    def __init__(self, address: ReplayAddress) -> None:
        self.address = address
        self.label = str(address)
        self._db = open_read_only(address.path)
        self._timeline = open_timeline(self._db, address.path)
        first, last = recorded_period(self._db)
        self.start_ms = max(first, address.from_ms) if address.from_ms is not None else first
        self.end_ms = min(last, address.to_ms) if address.to_ms is not None else last
        if self.start_ms > self.end_ms:
            self.start_ms, self.end_ms = first, last
        self.cursor_ms = self.start_ms
        self._keys: dict[str, int] = {}
        self._times: list[int] = []
        self._events: list[FeedEvent] = []
        self._fetched_ms = self.start_ms

    def close(self) -> None:
        self._db.close()

    def refresh_period(self) -> None:
        """Take in what a live historian recorded since opening (its end moves on unless bounded)."""
        if self.address.to_ms is None:
            self.end_ms = max(self.end_ms, recorded_period(self._db)[1])

    def clamp(self, at_ms: int) -> int:
        return max(self.start_ms, min(self.end_ms, int(at_ms)))

    def seek(self, at_ms: int) -> Reset:
        """The whole city at ``at_ms`` (clamped to the period): keyframe, then the changes up to it."""
        at = self.clamp(at_ms)
        city = self._timeline.state_at(at)
        self.cursor_ms = self._fetched_ms = at
        self._times.clear()
        self._events.clear()
        ids = city.asset_ids
        if len(self._keys) != len(ids):
            self._keys = {asset_id: key for key, asset_id in enumerate(ids)}
        frame = city.frame
        last = np.full(len(ids), -1, np.int64)
        online = np.full(len(ids), -1, np.int8)
        known = min(len(ids), len(frame))
        last[:known], online[:known] = frame.last_ms[:known], frame.online[:known]
        alarms = [r for r in city.alarms if r.state != "normal"]
        recorded = RecordedFrame(city, self._keys)

        def values(metric: str) -> np.ndarray:
            column = np.full(len(ids), np.nan)
            column[:known] = numeric_column(frame, metric)[:known]
            return column

        return Reset(at, list(ids), last, online, values, recorded.latest, alarms, dict(city.floods))

    def advance(self, until_ms: int) -> list[FeedEvent]:
        """Everything after the cursor up to ``until_ms`` (included), in the historian's one order.

        The historian is read ``PREFETCH_MS`` ahead at a time, so playback at any speed reads each
        keyframe segment once rather than once per frame.
        """
        until = self.clamp(until_ms)
        if until <= self.cursor_ms:
            return []
        if until > self._fetched_ms:
            upto = min(self.end_ms, max(until, self._fetched_ms + PREFETCH_MS))
            for ts, event in timed_feed_events(self._timeline.events_between(self._fetched_ms + 1, upto + 1)):
                self._times.append(ts)
                self._events.append(event)
            self._fetched_ms = upto
        cut = bisect.bisect_right(self._times, until)
        out = self._events[:cut]
        del self._times[:cut], self._events[:cut]
        self.cursor_ms = until
        return out

    def marks(self, buckets: int = 600) -> HistoryMarks:
        return history_marks(self._db, self.start_ms, self.end_ms, buckets)


def timed_feed_events(events: Sequence[object]) -> list[tuple[int, FeedEvent]]:
    """The historian's timeline events as the feed contract's, with their instants (operator actions
    show through the alarm records they changed)."""
    out: list[tuple[int, FeedEvent]] = []
    for event in events:
        kind = type(event)
        if kind is ReadingEvent:
            out.append((event.ts_ms, Reading(event.ts_ms, event.asset_id, event.metrics)))
        elif kind is AlarmTransition:
            record = event.record
            if record is not None:  # stored before records were kept with events: the next keyframe has it
                out.append((event.ts_ms, AlarmChanged(record.alarm_id, None if record.state == "normal" else record)))
        elif kind is StatusEvent:
            out.append((event.ts_ms, Status(event.ts_ms, event.asset_id, event.online)))
        elif kind is FloodEvent:
            out.append((event.ts_ms, FloodChanged(event.change)))
    return out
