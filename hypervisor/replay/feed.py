"""The REPLAY feed: a recorded period as the console's typed events, with ``seek`` and ``speed`` only.

It has no ``command`` capability and no publish path at all: it holds a read-only SQLite connection and
nothing else, so nothing done in a replay can reach a broker or the live alarm list.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from alerts.flood import FloodChange
from alerts.records import AlarmRecord
from hypervisor.feed.address import ReplayAddress
from hypervisor.feed.contract import (
    AlarmChanged,
    Capability,
    FeedEvent,
    FloodChanged,
    ReadingBlock,
    Reset,
    Status,
)
from hypervisor.historian.documents import documents_at
from hypervisor.historian.frames import CityFrame, Segment
from hypervisor.historian.keyframes import Keyframe, event_bodies, flood_rows, raw_segment, status_rows
from hypervisor.replay.history import (
    HistoryMarks,
    history_marks,
    open_read_only,
    open_timeline,
    recorded_period,
)


class RecordedFrame:
    """The replayed city frame read by asset id (from the GUI thread, while playback moves it on)."""

    def __init__(self, frame: CityFrame, keys: dict[str, int]) -> None:
        self._frame = frame
        self._keys = keys

    def latest(self, asset_id: str) -> tuple[int, dict[str, Any]] | None:
        key = self._keys.get(asset_id)
        if key is None or key >= len(self._frame) or self._frame.last_ms[key] < 0:
            return None
        return int(self._frame.last_ms[key]), self._frame.values_of(key)


class ReplayFeed:
    """A historian or incident file between two instants; ``seek`` gives a ``Reset``, ``advance`` the changes.

    Playing forward moves one city frame by the keyframes' columnar segments (a few array operations
    per step, whatever the number of readings), so playback keeps up at thousands of times real time.
    """

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
        self._frame = CityFrame()
        self._recorded = RecordedFrame(self._frame, self._keys)
        self._keyframe: tuple[int, Segment] | None = None
        self._boundary: CityFrame | None = None
        self._boundary_ts = -1

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
        self.cursor_ms = at
        self._boundary = self._keyframe = None
        ids = city.asset_ids
        if len(self._keys) != len(ids):
            self._keys = {asset_id: key for key, asset_id in enumerate(ids)}
        frame = self._frame = city.frame
        self._recorded = RecordedFrame(frame, self._keys)
        last = np.full(len(ids), -1, np.int64)
        online = np.full(len(ids), -1, np.int8)
        known = min(len(ids), len(frame))
        last[:known], online[:known] = frame.last_ms[:known], frame.online[:known]
        alarms = [r for r in city.alarms if r.state != "normal"]

        def values(metric: str) -> np.ndarray:
            column = np.full(len(ids), np.nan)
            column[:known] = frame.numeric(metric)[:known]
            return column

        return Reset(at, list(ids), last, online, values, self._recorded.latest, alarms, dict(city.floods))

    def advance(self, until_ms: int) -> list[FeedEvent]:
        """What changed after the cursor up to ``until_ms`` (included): the readings as one block, then
        status changes, alarm records and floods in the historian's order."""
        until, after = self.clamp(until_ms), self.cursor_ms
        if until <= after:
            return []
        segments = self._segments(after, until)
        bodies = event_bodies(self._db, after, until)
        floods = flood_rows(self._db, after, until)
        status = status_rows(self._db, after, until)
        self.cursor_ms = until
        events: list[FeedEvent] = []
        moved = [segment.keys for segment in segments if len(segment)]
        for segment in segments:
            self._frame.apply(segment)
        if moved:
            events.append(self._block(np.unique(np.concatenate(moved))))
        events += [Status(ts, asset_id, bool(online)) for asset_id, ts, online in status]
        for body in bodies:
            record = body.get("record")
            if record is not None:  # stored before records were kept with events: the next keyframe has it
                alarm = AlarmRecord.from_json(record)
                events.append(AlarmChanged(alarm.alarm_id, None if alarm.state == "normal" else alarm))
        events += [FloodChanged(FloodChange(bool(f["active"]), f["scope"], int(f["count"]), int(f["since_ms"] or 0)))
                   for f in floods]
        return events

    def _block(self, keys: np.ndarray) -> ReadingBlock:
        frame = self._frame
        ids = self._timeline._keys.ids
        if len(self._keys) != len(ids):
            self._keys.update({asset_id: key for key, asset_id in enumerate(ids)})
        return ReadingBlock(list(ids), keys, frame.last_ms[keys], lambda metric: frame.numeric(metric)[keys],
                            self._recorded.latest)

    def _segments(self, after: int, until: int) -> list[Segment]:
        """Readings with ``after < ts_ms <= until`` from the keyframes' segments, then raw rows past the last.

        A keyframe's segment is stored against the frame at the keyframe before it, so playback keeps
        that frame (``_boundary``), taken with ``frame_at`` once after a seek and moved on by whole segments.
        """
        db = self._db
        if self._boundary is None or self._boundary_ts > after:
            found = db.execute("SELECT max(ts_ms) FROM keyframes WHERE ts_ms <= ?", [after]).fetchone()[0]
            self._boundary_ts = -1 if found is None else int(found)
            self._boundary = CityFrame() if found is None else self._timeline.frame_at(int(found))
        parts = []
        covered = self._boundary_ts
        for (ts,) in db.execute("SELECT ts_ms FROM keyframes WHERE ts_ms > ? ORDER BY ts_ms LIMIT 100",
                                [self._boundary_ts]).fetchall():
            segment = self._keyframe_segment(ts)
            parts.append(segment.select((segment.ts_ms > after) & (segment.ts_ms <= until)))
            covered = ts
            if ts >= until:
                return parts
            self._boundary.apply(segment)
            self._boundary_ts = ts
        if covered < until:
            parts.append(raw_segment(db, self._timeline._keys, max(after, covered), until))
        return parts

    def _keyframe_segment(self, ts: int) -> Segment:
        """A keyframe's readings, decoded once however many playback steps fall in its interval."""
        if self._keyframe is None or self._keyframe[0] != ts:
            (blob,) = self._db.execute("SELECT data FROM keyframes WHERE ts_ms = ?", [ts]).fetchone()
            self._keyframe = (ts, Keyframe.decode(ts, blob).segment(self._boundary.last_ms))
        return self._keyframe[1]

    def rules_in_force(self) -> dict[str, str]:
        """The rule files the engine ran at the period's start (or the first recorded after it), by name."""
        files = documents_at(self._db, "rules", self.start_ms) or documents_at(self._db, "rules", self.end_ms)
        return {name: body.decode("utf-8", "replace") for name, body in files.items()}

    def marks(self, buckets: int = 600) -> HistoryMarks:
        return history_marks(self._db, self.start_ms, self.end_ms, buckets)
