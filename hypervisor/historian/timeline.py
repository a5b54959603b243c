"""The city at any instant, and what happened between two instants: the historian's replay interface.

One clock orders everything: each row's own ``ts_ms`` (epoch milliseconds, UTC). Readings and status
changes carry the device's time (as decoded from the payload); alarm events, operator actions and flood
changes carry the engine's time. At equal ``ts_ms``, readings come first, then status changes, alarm
events, actions and flood changes, each in the order stored.

``state_at(T)`` includes everything stamped at or before T. ``events_between(t0, t1)`` is half-open:
``t0 <= ts_ms < t1``. Neither needs Qt; both read through their own connection.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from sqlite_utils import Database

from alerts.flood import FloodChange
from alerts.records import AlarmEvent, AlarmRecord
from hypervisor.historian.frames import CityFrame
from hypervisor.historian.keyframes import (
    AssetKeys,
    Keyframe,
    Records,
    apply_alarm_events,
    apply_floods,
    event_bodies,
    flood_rows,
    raw_segment,
    status_changes,
)
from hypervisor.historian.read_only import open_read_only
from hypervisor.runtime import collector_paused


@dataclass(frozen=True, slots=True)
class AssetState:
    """One asset at an instant: its last reading's time, the last value of each metric, its status."""

    asset_id: str
    last_reading_ms: int | None
    values: dict[str, Any]
    online: bool | None
    status_ms: int | None


@dataclass(slots=True)
class CityState:
    """The whole city at ``at_ms``: assets (as columns, read with :meth:`asset` or :meth:`assets`),
    the alarm list (records not in normal, oldest change first) and the floods in progress."""

    at_ms: int
    asset_ids: list[str]
    frame: CityFrame
    alarms: list[AlarmRecord]
    floods: dict[str, FloodChange]

    def asset(self, asset_id: str) -> AssetState | None:
        """One asset's state, or None for an asset the history never saw by then."""
        try:
            key = self.asset_ids.index(asset_id) if len(self.asset_ids) < 64 else self._keys()[asset_id]
        except (ValueError, KeyError):
            return None
        return self._state(key)

    def _keys(self) -> dict[str, int]:
        return {asset_id: key for key, asset_id in enumerate(self.asset_ids)}

    def _state(self, key: int) -> AssetState | None:
        frame = self.frame
        if key >= len(frame) or (frame.last_ms[key] < 0 and frame.status_ms[key] < 0):
            return None
        last, status = int(frame.last_ms[key]), int(frame.status_ms[key])
        online = int(frame.online[key])
        return AssetState(self.asset_ids[key], last if last >= 0 else None, frame.values_of(key),
                          None if online < 0 else bool(online), status if status >= 0 else None)

    def assets(self) -> Iterator[AssetState]:
        """Every asset known at ``at_ms``."""
        for key in range(min(len(self.asset_ids), len(self.frame))):
            state = self._state(key)
            if state is not None:
                yield state

    def values(self, metric: str) -> dict[str, Any]:
        """The last value of one metric for every asset that has reported it."""
        column = self.frame.metrics.get(metric)
        if column is None:
            return {}
        keys = np.flatnonzero(column.present).tolist()
        return dict(zip((self.asset_ids[k] for k in keys), column.values[keys].tolist(), strict=True))


@dataclass(frozen=True, slots=True)
class ReadingEvent:
    ts_ms: int
    asset_id: str
    metrics: dict[str, Any]


@dataclass(frozen=True, slots=True)
class StatusEvent:
    ts_ms: int
    asset_id: str
    online: bool


@dataclass(frozen=True, slots=True)
class AlarmTransition:
    """An alarm event and the alarm's whole record after it (None for events stored without it)."""

    ts_ms: int
    event: AlarmEvent
    record: AlarmRecord | None


@dataclass(frozen=True, slots=True)
class ActionEvent:
    ts_ms: int
    user: str | None
    console: str | None
    verb: str
    alarm_id: str | None
    comment: str | None
    request_id: str | None
    ok: bool
    reason: str | None


@dataclass(frozen=True, slots=True)
class FloodEvent:
    ts_ms: int
    change: FloodChange


TimelineEvent = ReadingEvent | StatusEvent | AlarmTransition | ActionEvent | FloodEvent


class KeyframeCache:
    """The last keyframes decoded, so that moving through nearby instants decodes each once."""

    def __init__(self, size: int = 48) -> None:
        self.size = size
        self._kept: dict[int, Keyframe] = {}

    def get(self, db: Database, ts_ms: int) -> Keyframe:
        keyframe = self._kept.get(ts_ms)
        if keyframe is None:
            blob = db.execute("SELECT data FROM keyframes WHERE ts_ms = ?", [ts_ms]).fetchone()[0]
            keyframe = self._kept[ts_ms] = Keyframe.decode(ts_ms, blob)
            if len(self._kept) > self.size:
                del self._kept[next(iter(self._kept))]
        return keyframe


FULL_EVERY_LIMIT = 10_000
"""Keyframes read after a full one at most: far more than any spacing of full frames."""


def frame_at(db: Database, keys: AssetKeys, at_ms: int,
             cache: KeyframeCache | None = None) -> tuple[CityFrame, Records, Records]:
    """Frame, alarm records (as stored) and floods at ``at_ms``, from the keyframes and rows after them."""
    cache = cache if cache is not None else KeyframeCache()
    base = _full_before(db, at_ms, cache)
    alarms = dict(base.alarms or {}) if base is not None else {}
    apply_alarm_events(alarms, event_bodies(db, base.ts_ms if base is not None else -1, at_ms))
    return _walk(db, keys, at_ms, cache, base), alarms, _floods_at(db, base, at_ms)


def _full_before(db: Database, at_ms: int, cache: KeyframeCache) -> Keyframe | None:
    """The last full keyframe at or before ``at_ms`` (None before the first): its frame, alarm list and
    floods, moved forward by what came after it, are the state at ``at_ms``."""
    found = db.execute("SELECT max(ts_ms) FROM keyframes WHERE full = 1 AND ts_ms <= ?", [at_ms]).fetchone()[0]
    return cache.get(db, found) if found is not None else None


def _walk(db: Database, keys: AssetKeys, at_ms: int, cache: KeyframeCache, base: Keyframe | None) -> CityFrame:
    """The frame at ``at_ms``: ``base``'s (the full keyframe before it) moved forward by the segments after."""
    stored = base.fresh_frame() if base is not None else None
    frame = stored if stored is not None else CityFrame()
    after = base.ts_ms if base is not None else -1
    # The keyframes after the base, up to the first one at or after ``at_ms``: never the month beyond.
    stamps = [ts for (ts,) in db.execute(
        "SELECT ts_ms FROM keyframes WHERE ts_ms > ? AND ts_ms <= coalesce("
        "(SELECT min(ts_ms) FROM keyframes WHERE ts_ms >= ?), ?) ORDER BY ts_ms LIMIT ?",
        [after, at_ms, at_ms, FULL_EVERY_LIMIT])]
    covered = after
    for ts in stamps:
        frame.apply(cache.get(db, ts).segment(frame.last_ms).until(at_ms))
        covered = min(ts, at_ms)
        if ts >= at_ms:
            break
    else:
        if covered < at_ms:
            frame.apply(raw_segment(db, keys, covered, at_ms))
    frame.apply_status(status_changes(db, keys, after, at_ms))
    return frame


def _floods_at(db: Database, keyframe: Keyframe | None, at_ms: int) -> Records:
    floods = dict(keyframe.floods) if keyframe is not None else {}
    apply_floods(floods, flood_rows(db, keyframe.ts_ms if keyframe is not None else -1, at_ms))
    return floods


def _records_at(db: Database, keyframe: Keyframe | None, at_ms: int) -> list[AlarmRecord]:
    """The alarm list at ``at_ms`` (oldest change first) from a keyframe's list and the events after it."""
    records = keyframe.alarm_records() if keyframe is not None else {}
    bodies = event_bodies(db, keyframe.ts_ms if keyframe is not None else -1, at_ms)
    apply_alarm_events(records, bodies, AlarmRecord.from_json)
    return sorted(records.values(), key=lambda r: r.changed_ms)


class Timeline:
    """``state_at`` and ``events_between`` over one historian file, from any single thread.

    Opens its own read-only connection (``query_only``): it never changes the file. ``connection`` reads
    through one already open instead (a replay's ``mode=ro`` connection, which SQLite itself keeps from
    writing).
    """

    def __init__(self, path: str | Path, connection: Database | None = None) -> None:
        self._db = connection if connection is not None else open_read_only(path)
        self._keys = AssetKeys(self._db, persist=False)
        self._cache = KeyframeCache()

    def close(self) -> None:
        self._db.close()

    def clear_cache(self) -> None:
        """Forget the keyframes decoded so far (they are kept for nearby instants)."""
        self._cache = KeyframeCache()

    def __enter__(self) -> Timeline:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def state_at(self, at_ms: int) -> CityState:
        """The city at ``at_ms``: everything stamped at or before it, and nothing after."""
        with self._db.conn, collector_paused():
            self._keys.refresh()
            base = _full_before(self._db, at_ms, self._cache)
            frame = _walk(self._db, self._keys, at_ms, self._cache, base)
            records = _records_at(self._db, base, at_ms)
            floods = _floods_at(self._db, base, at_ms)
            ids = list(self._keys.ids)
        flood_state = {scope: FloodChange(bool(f["active"]), scope, int(f["count"]), int(f["since_ms"] or 0))
                       for scope, f in floods.items()}
        return CityState(at_ms, ids, frame, records, flood_state)

    def frame_at(self, at_ms: int) -> CityFrame:
        """Only the assets' columns of :meth:`state_at`, without the alarm list: what playback moves on."""
        with self._db.conn:
            self._keys.refresh()
            return self._frame(at_ms)

    def _frame(self, at_ms: int) -> CityFrame:
        return _walk(self._db, self._keys, at_ms, self._cache, _full_before(self._db, at_ms, self._cache))

    def alarms_at(self, at_ms: int) -> list[AlarmRecord]:
        """Only the alarm list of :meth:`state_at` (oldest change first), without moving the frame."""
        with self._db.conn, collector_paused():
            return _records_at(self._db, _full_before(self._db, at_ms, self._cache), at_ms)

    def series(self, since_ms: int, until_ms: int,
               measure: Callable[[CityFrame, list[str]], float | Sequence[float]]) -> tuple[np.ndarray, np.ndarray]:
        """``measure(frame, asset_ids)`` of the city at each keyframe from ``since_ms`` to ``until_ms``, and at
        ``until_ms``: a trend over the whole city from one frame moved forward, without reading every reading.
        A measure giving several values makes one column each. Empty when no keyframe falls in the period
        (the caller reads the readings instead)."""
        points: list[tuple[int, float | Sequence[float]]] = []
        with self._db.conn:
            self._keys.refresh()
            stamps = [ts for (ts,) in self._db.execute(
                "SELECT ts_ms FROM keyframes WHERE ts_ms >= ? AND ts_ms <= ? ORDER BY ts_ms", [since_ms, until_ms])]
            if not stamps:
                return np.empty(0, np.int64), np.empty(0)
            frame = self._frame(stamps[0])
            points.append((stamps[0], measure(frame, self._keys.ids)))
            for ts in stamps[1:]:
                frame.apply(self._cache.get(self._db, ts).segment(frame.last_ms))
                points.append((ts, measure(frame, self._keys.ids)))
            if stamps[-1] < until_ms:
                frame.apply(raw_segment(self._db, self._keys, stamps[-1], until_ms))
                points.append((until_ms, measure(frame, self._keys.ids)))
        ts, values = zip(*points, strict=True)
        return np.asarray(ts, np.int64), np.asarray(values, float)

    def events_between(self, since_ms: int, until_ms: int) -> list[TimelineEvent]:
        """Readings, status changes, alarm transitions, operator actions and flood changes with
        ``since_ms <= ts_ms < until_ms``, in the order of the module's one clock."""
        db = self._db
        with db.conn:
            self._keys.refresh()
            ordered: list[tuple[int, int, int, TimelineEvent]] = []
            readings = self._readings(since_ms, until_ms)
            ids = self._keys.ids
            for seq, (key, ts, metrics) in enumerate(readings):
                ordered.append((ts, 0, seq, ReadingEvent(ts, ids[key], metrics)))
            for seq, (asset_id, ts, online) in enumerate(db.execute(
                    "SELECT asset_id, ts_ms, online FROM status WHERE ts_ms >= ? AND ts_ms < ? ORDER BY ts_ms, rowid",
                    [since_ms, until_ms]).fetchall()):
                ordered.append((ts, 1, seq, StatusEvent(ts, asset_id, bool(online))))
            for seq, body in enumerate(event_bodies(db, since_ms - 1, until_ms - 1)):
                record = body.get("record")
                transition = AlarmTransition(body["ts_ms"], AlarmEvent.from_json(body),
                                             None if record is None else AlarmRecord.from_json(record))
                ordered.append((body["ts_ms"], 2, seq, transition))
            for seq, row in enumerate(db.execute(
                    "SELECT ts_ms, user, console, verb, alarm_id, comment, request_id, ok, reason FROM actions"
                    " WHERE ts_ms >= ? AND ts_ms < ? ORDER BY ts_ms, id", [since_ms, until_ms]).fetchall()):
                ordered.append((row[0], 3, seq, ActionEvent(*row[:7], bool(row[7]), row[8])))
            for seq, f in enumerate(flood_rows(db, since_ms - 1, until_ms - 1)):
                change = FloodChange(f["active"], f["scope"], f["count"], int(f["since_ms"] or 0))
                ordered.append((f["ts_ms"], 4, seq, FloodEvent(f["ts_ms"], change)))
        ordered.sort(key=lambda item: item[:3])
        return [item[3] for item in ordered]

    def _readings(self, since_ms: int, until_ms: int) -> list[tuple[int, int, dict[str, Any]]]:
        """Readings of the window from the keyframes' segments, then raw telemetry after the last one."""
        db = self._db
        out: list[tuple[int, int, dict[str, Any]]] = []
        covered = since_ms - 1
        before = db.execute("SELECT max(ts_ms) FROM keyframes WHERE ts_ms < ?", [since_ms]).fetchone()[0]
        frame = self._frame(before) if before is not None else CityFrame()
        rows = db.execute("SELECT ts_ms, data FROM keyframes WHERE ts_ms >= ? ORDER BY ts_ms", [since_ms])
        for ts, blob in rows:
            segment = Keyframe.decode(ts, blob).segment(frame.last_ms)
            frame.apply(segment)
            out.extend(r for r in segment.select((segment.ts_ms >= since_ms) & (segment.ts_ms < until_ms)).readings())
            covered = ts
            if ts >= until_ms - 1:
                return out
        if covered < until_ms - 1:
            segment = raw_segment(db, self._keys, covered, until_ms - 1)
            out.extend(r for r in segment.readings() if r[1] >= since_ms)
        return out
