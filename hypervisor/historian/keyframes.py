"""Keyframes: the city every few minutes of data time, so that any instant is a short step from one.

A keyframe at instant K holds:

- the *segment*: every reading with ``previous keyframe < ts_ms <= K``, in time order (the first
  keyframe's starts with the history);
- the floods in progress at K;
- one keyframe in ``full_every`` (and the first) is *full*: it also holds the *frame* (every asset's last
  reading time, last value of each metric and online status at K) and every alarm record not in normal.

The state at K is the frame of the full keyframe before it, moved forward by the segments in between, and
its alarm list moved forward by the alarm events in between. Files written before version 5 hold the
alarm list in every keyframe; readers take it from the last keyframe that has one.
Keyframes are built from raw telemetry before its hour is compacted, and from the alarm events (each
carries the record after its transition) and flood changes stored with them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import msgspec
import numpy as np
import orjson
from sqlite_utils import Database

from alerts.records import AlarmRecord
from hypervisor.historian.frames import CityFrame, Segment
from hypervisor.historian.schema import write_transaction
from hypervisor.historian.settings import FULL_EVERY, KEYFRAME_INTERVAL_MS
from hypervisor.historian.zstd import Zstd

_PACK = msgspec.msgpack.Encoder()
_UNPACK = msgspec.msgpack.Decoder()
_UNPACK_LAZY = msgspec.msgpack.Decoder(tuple[bytes, bytes | None, msgspec.Raw, msgspec.Raw])
_RECORDS = msgspec.msgpack.Decoder(list[AlarmRecord])
_NIL = msgspec.Raw(_PACK.encode(None))
_ZSTD = Zstd(level=3)


Records = dict[str, dict[str, Any]]


class Keyframe:
    """A stored keyframe; its segment is decoded against the frame at the previous keyframe.

    Only full keyframes hold the frame and the alarm list (both None on the others). Frame, alarm
    records and floods are decoded when first read: ``state_at`` reads the segments of several keyframes
    (the last of which may be full) but the frame and alarm list of one.
    """

    __slots__ = ("_alarms", "_floods", "_frame", "segment_blob", "ts_ms")

    def __init__(self, ts_ms: int, segment_blob: bytes, frame: CityFrame | bytes | None,
                 alarms: Records | msgspec.Raw | None, floods: Records | msgspec.Raw) -> None:
        self.ts_ms = ts_ms
        self.segment_blob = segment_blob
        self._frame = frame
        self._alarms = alarms
        self._floods = floods

    @property
    def frame(self) -> CityFrame | None:
        """The whole city at this keyframe (full keyframes only), decoded when first read."""
        if isinstance(self._frame, bytes):
            self._frame = CityFrame.decode(self._frame)
        return self._frame

    @frame.setter
    def frame(self, frame: CityFrame | None) -> None:
        self._frame = frame

    @property
    def has_frame(self) -> bool:
        return self._frame is not None

    def fresh_frame(self) -> CityFrame | None:
        """A frame of this keyframe's that the caller may move forward: decoded anew from the stored bytes,
        which costs what copying a decoded one does."""
        if isinstance(self._frame, bytes):
            return CityFrame.decode(self._frame)
        return None if self._frame is None else self._frame.copy()

    @property
    def alarms(self) -> Records | None:
        """The alarm records as stored (JSON types), None where this keyframe holds no alarm list."""
        if isinstance(self._alarms, msgspec.Raw):
            self._alarms = {a["alarm_id"]: a for a in _UNPACK.decode(self._alarms)}
        return self._alarms

    @alarms.setter
    def alarms(self, alarms: Records | None) -> None:
        self._alarms = alarms

    @property
    def has_alarms(self) -> bool:
        return self._alarms is not None

    def alarm_records(self) -> dict[str, AlarmRecord]:
        """The alarm records as new objects, decoded straight from the stored bytes (a month's standing
        alarms took twice as long through dictionaries)."""
        if isinstance(self._alarms, msgspec.Raw):
            try:
                return {r.alarm_id: r for r in _RECORDS.decode(self._alarms)}
            except msgspec.ValidationError:  # a record of a looser writer: rebuilt field by field
                pass
        return {alarm_id: AlarmRecord.from_json(r) for alarm_id, r in (self.alarms or {}).items()}

    @property
    def floods(self) -> dict[str, dict[str, Any]]:
        if isinstance(self._floods, msgspec.Raw):
            self._floods = {f["scope"]: f for f in _UNPACK.decode(self._floods)}
        return self._floods

    def segment(self, last_ms: np.ndarray) -> Segment:
        """The readings since the previous keyframe, given ``last_ms`` of the frame at that keyframe."""
        return Segment.decode(self.segment_blob, last_ms)

    def encode(self) -> bytes:
        frame = None if self.frame is None else self.frame.encode()
        alarms = None if self.alarms is None else list(self.alarms.values())
        return _ZSTD.compress(_PACK.encode([self.segment_blob, frame, alarms, list(self.floods.values())]))

    @classmethod
    def decode(cls, ts_ms: int, blob: bytes) -> Keyframe:
        segment, frame, alarms, floods = _UNPACK_LAZY.decode(_ZSTD.decompress(blob))
        return cls(ts_ms, segment, frame, None if alarms == _NIL else alarms, floods)


class AssetKeys:
    """The historian's number for each asset id (table ``asset_keys``), assigned on first sight.

    With ``persist`` False (readers), ids the table lacks get numbers in memory only.
    """

    def __init__(self, db: Database, persist: bool = True) -> None:
        self._db = db
        self._persist = persist
        self.ids: list[str] = []
        self.keys: dict[str, int] = {}
        self._stored = 0
        self._new: list[tuple[int, str]] = []
        self.refresh()

    def refresh(self) -> None:
        """Take in keys that another connection added, forgetting in-memory and unwritten ones."""
        self._new = []
        count = self._db.execute("SELECT count(*) FROM asset_keys").fetchone()[0]
        if count != self._stored or len(self.ids) != count:
            self.ids = [a for (a,) in self._db.execute("SELECT asset_id FROM asset_keys ORDER BY key")]
            self.keys = {asset_id: key for key, asset_id in enumerate(self.ids)}
            self._stored = count

    def of(self, asset_ids: Iterable[str]) -> list[int]:
        """Keys of the ids, numbering new ones (stored by :meth:`write_new` when persisting)."""
        out = []
        for asset_id in asset_ids:
            key = self.keys.get(asset_id)
            if key is None:
                key = self.keys[asset_id] = len(self.ids)
                self.ids.append(asset_id)
                if self._persist:
                    self._new.append((key, asset_id))
            out.append(key)
        return out

    def write_new(self) -> None:
        """Store the keys numbered since the last call (inside the caller's write transaction)."""
        if self._new:
            self._db.conn.executemany("INSERT INTO asset_keys (key, asset_id) VALUES (?, ?)", self._new)
            self._stored += len(self._new)
            self._new = []


def apply_alarm_events(alarms: dict[str, Any], bodies: Iterable[dict[str, Any]],
                       make: Callable[[dict[str, Any]], Any] = lambda record: record) -> None:
    """Apply alarm events in order: each one's record (as ``make`` builds it: the stored dictionary by
    default) replaces the alarm's, normal removes it.

    Events stored before records were kept with them carry none and change nothing.
    """
    for body in bodies:
        record = body.get("record")
        if record is None:
            continue
        if record.get("state") == "normal":
            alarms.pop(body["alarm_id"], None)
        else:
            alarms[body["alarm_id"]] = make(record)


def apply_floods(floods: dict[str, dict[str, Any]], changes: Iterable[dict[str, Any]]) -> None:
    for change in changes:
        if change["active"]:
            floods[change["scope"]] = change
        else:
            floods.pop(change["scope"], None)


def status_rows(db: Database, after_ms: int, until_ms: int) -> list[tuple[str, int, int]]:
    """Status changes ``(asset_id, ts_ms, online)`` with ``after_ms < ts_ms <= until_ms`` in order."""
    return db.execute("SELECT asset_id, ts_ms, online FROM status WHERE ts_ms > ? AND ts_ms <= ?"
                      " ORDER BY ts_ms, rowid", [after_ms, until_ms]).fetchall()


def status_changes(db: Database, keys: AssetKeys, after_ms: int, until_ms: int) -> list[tuple[int, int, bool]]:
    """The same status changes as ``(asset key, ts_ms, online)``."""
    rows = status_rows(db, after_ms, until_ms)
    return [(k, ts, bool(online)) for k, (_, ts, online) in zip(keys.of(r[0] for r in rows), rows, strict=True)]


def flood_rows(db: Database, after_ms: int, until_ms: int) -> list[dict[str, Any]]:
    """Flood changes with ``after_ms < ts_ms <= until_ms`` in order."""
    rows = db.execute("SELECT ts_ms, scope, active, count, since_ms FROM flood_changes"
                      " WHERE ts_ms > ? AND ts_ms <= ? ORDER BY ts_ms, rowid", [after_ms, until_ms]).fetchall()
    return [{"ts_ms": ts, "scope": scope, "active": bool(active), "count": count, "since_ms": since}
            for ts, scope, active, count, since in rows]


def event_bodies(db: Database, after_ms: int, until_ms: int) -> list[dict[str, Any]]:
    """Alarm events with ``after_ms < ts_ms <= until_ms`` in the order they were stored."""
    rows = db.execute("SELECT body FROM alarm_events WHERE ts_ms > ? AND ts_ms <= ? ORDER BY ts_ms, rowid",
                      [after_ms, until_ms]).fetchall()
    return [orjson.loads(body) for (body,) in rows]


def raw_segment(db: Database, keys: AssetKeys, after_ms: int, until_ms: int) -> Segment:
    """Raw telemetry with ``after_ms < ts_ms <= until_ms`` as a segment, one reading per asset and instant."""
    rows = db.execute("SELECT asset_id, ts_ms, metrics FROM telemetry WHERE ts_ms > ? AND ts_ms <= ?"
                      " ORDER BY ts_ms, rowid", [after_ms, until_ms]).fetchall()
    latest: dict[tuple[str, int], bytes] = {}
    for asset_id, ts, metrics in rows:
        latest[(asset_id, ts)] = metrics
    if not latest:
        return Segment.empty()
    ids = keys.of(asset_id for asset_id, _ in latest)
    return Segment.from_readings([(key, ts, orjson.loads(metrics))
                                  for key, ((_, ts), metrics) in zip(ids, latest.items(), strict=True)])


@dataclass(slots=True)
class KeyframeWriter:
    """Appends keyframes in time order, keeping the state at the last one in memory."""

    db: Database
    interval_ms: int = KEYFRAME_INTERVAL_MS
    full_every: int = FULL_EVERY
    frame: CityFrame = field(default_factory=CityFrame)
    alarms: dict[str, dict[str, Any]] = field(default_factory=dict)
    floods: dict[str, dict[str, Any]] = field(default_factory=dict)
    last_ms: int | None = None
    written: int = 0

    def __post_init__(self) -> None:
        if self.interval_ms <= 0 or self.full_every <= 0:
            raise ValueError("keyframe interval and full_every must be positive")
        from hypervisor.historian.timeline import frame_at

        last = self.db.execute("SELECT max(ts_ms) FROM keyframes").fetchone()[0]
        if last is not None:
            self.last_ms = int(last)
            self.frame, self.alarms, self.floods = frame_at(self.db, AssetKeys(self.db, persist=False), self.last_ms)

    def next_ms(self, first_data_ms: int) -> int:
        """The instant of the next keyframe."""
        if self.last_ms is None:
            return (first_data_ms // self.interval_ms + 1) * self.interval_ms
        return self.last_ms + self.interval_ms

    def append(self, ts_ms: int, segment: Segment, status: Sequence[tuple[int, int, bool]],
               events: Iterable[dict[str, Any]], floods: Iterable[dict[str, Any]]) -> None:
        """Write the keyframe at ``ts_ms`` from what happened since the previous one (inside a transaction)."""
        segment_blob = segment.encode(self.frame.last_ms)
        self.frame.apply(segment)
        self.frame.apply_status(status)
        apply_alarm_events(self.alarms, events)
        apply_floods(self.floods, floods)
        full = self.last_ms is None or (ts_ms // self.interval_ms) % self.full_every == 0
        keyframe = Keyframe(ts_ms, segment_blob, self.frame if full else None, self.alarms if full else None,
                            self.floods)
        self.db.execute("INSERT INTO keyframes (ts_ms, full, readings, data) VALUES (?, ?, ?, ?)",
                        [ts_ms, int(full), len(segment), keyframe.encode()])
        self.last_ms = ts_ms
        self.written += 1

    def build_from_raw(self, keys: AssetKeys, until_ms: int) -> int:
        """Write every keyframe due up to ``until_ms`` from the stored rows; one transaction each."""
        first = self.db.execute("SELECT min(ts_ms) FROM telemetry").fetchone()[0]
        if first is None and self.last_ms is None:
            return 0
        written = 0
        at = self.next_ms(first if first is not None else until_ms)
        while at <= until_ms:
            after = self.last_ms if self.last_ms is not None else -1
            # Read outside the transaction (only upkeep writes keyframes and keys), write in a short one.
            segment = raw_segment(self.db, keys, after, at)
            status = status_changes(self.db, keys, after, at)
            events, floods = event_bodies(self.db, after, at), flood_rows(self.db, after, at)
            with write_transaction(self.db):
                keys.write_new()
                self.append(at, segment, status, events, floods)
            written += 1
            at += self.interval_ms
        return written
