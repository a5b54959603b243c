"""Exporting an incident: one self-contained historian file holding a period of the city.

The file has the historian's schema, so ``hypervisor replay FILE`` and ``Timeline`` open it as any
historian: a full keyframe at its start, the keyframes and compacted telemetry of the period, the alarm
events (each with its whole record), operator actions, status and flood changes, the inventory, rules
and basemap in force, the quarantine's counts, and the segment of the hash chain with its signatures.
Alarm events and actions keep their row ids, so the chain's links name them in both files.
"""

from __future__ import annotations

import getpass
import platform
import time
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

import numpy as np
import orjson
from sqlite_utils import Database

from feeds.inventory import Inventory
from hypervisor import paths
from hypervisor.historian.codec import slice_block
from hypervisor.historian.compaction import UPSERT_BLOCK
from hypervisor.historian.frames import Segment
from hypervisor.historian.keyframes import AssetKeys, Keyframe
from hypervisor.historian.reader import open_read_only
from hypervisor.historian.schema import DAY_MS, connect
from hypervisor.historian.timeline import frame_at
from hypervisor.incident.chain import ensure_tables
from hypervisor.incident.documents import copy_in_force, store_files
from hypervisor.incident.scope import ExportScope, Progress, restrict_frame, restrict_segment
from hypervisor.incident.segment import copy_chain_segment

FORMAT = "hypervisor-incident-1"
ASSET_OF_ALARM = "substr(alarm_id, instr(alarm_id, ':') + 1)"
PROGRESS_BLOCKS = 4096
"""Blocks cut between two progress reports."""


@dataclass(frozen=True, slots=True)
class ExportSources:
    """Files recorded as in force when the historian holds none of that kind."""

    inventory: Path
    rules: tuple[Path, ...]
    basemap: Path

    @classmethod
    def shipped(cls) -> ExportSources:
        """The inventory, rules and basemap shipped with the console (simulated Dijon)."""
        return cls(paths.DIJON_INVENTORY, (paths.DEFAULT_RULES,), paths.DIJON_BASEMAP)


@dataclass(frozen=True, slots=True)
class ExportResult:
    path: Path
    start_ms: int
    events: int
    actions: int
    keyframes: int
    blocks: int
    links: int
    bytes: int


def software_version() -> str:
    try:
        return metadata.version("hypervisor")
    except metadata.PackageNotFoundError:
        return "unknown"


def export_incident(source: Path, target: Path, scope: ExportScope, inventory: Inventory, files: ExportSources,
                    deployment: str | None = None, progress: Progress | None = None) -> ExportResult:
    """Write the incident file ``target`` (which must not exist) from the historian ``source``."""
    if target.exists():
        raise FileExistsError(f"{target} already exists: choose another name or remove it first")
    scope.check(inventory)
    report = progress or (lambda _step, _done: None)
    src = open_read_only(source)
    db = connect(target)
    try:
        # One file to hand over, written once: a rollback journal copies no new page, where a WAL would
        # write every block twice (to the log, then to the file at the checkpoint).
        db.execute("PRAGMA journal_mode = DELETE")
        ensure_tables(db)
        db.execute("ATTACH DATABASE ? AS src", [str(Path(source).resolve())])
        with db.atomic():
            db.execute("INSERT INTO asset_keys SELECT key, asset_id FROM src.asset_keys")
        keys = AssetKeys(src, persist=False)
        wanted = scope.asset_ids(inventory)
        keep = np.ones(len(keys.ids), bool) if wanted is None else np.fromiter(
            (a in wanted for a in keys.ids), bool, len(keys.ids))
        report("keyframes", 0.0)
        start_ms, keyframes = _keyframes(db, src, keys, scope, keep, report)
        report("telemetry", 0.4)
        blocks = _blocks(db, scope, start_ms, wanted, report)
        report("alarms and actions", 0.8)
        events, actions = _rows(db, scope, start_ms, wanted)
        links = copy_chain_segment(db, start_ms, scope.until_ms)
        _documents(db, start_ms, scope.until_ms, files)
        _meta(db, source, scope, start_ms, deployment)
        db.execute("DETACH DATABASE src")
        report("closing", 0.95)
    except BaseException:
        db.close()
        src.close()
        for suffix in ("", "-wal", "-shm"):
            Path(f"{target}{suffix}").unlink(missing_ok=True)
        raise
    db.close()
    src.close()
    report("done", 1.0)
    return ExportResult(target, start_ms, events, actions, keyframes, blocks, links, target.stat().st_size)


def _keyframes(db: Database, src: Database, keys: AssetKeys, scope: ExportScope, keep: np.ndarray,
               report: Progress) -> tuple[int, int]:
    """A full keyframe at the start, then the source's keyframes of the period, then raw readings of the
    period's tail that no keyframe holds. Returns the start (the source's keyframe at or before the
    period's start, so that its segments follow on) and the number of keyframes written.

    A segment is stored against the frame at the keyframe before it: an export of the whole city from a
    keyframe has the source's frames and copies its keyframes as stored; any other export decodes each
    segment against the source's frame and encodes what it keeps against its own."""
    before = src.execute("SELECT max(ts_ms) FROM keyframes WHERE ts_ms <= ?", [scope.since_ms]).fetchone()[0]
    start = int(before) if before is not None else scope.since_ms
    frame, alarms, floods = frame_at(src, keys, start)
    ours = restrict_frame(frame, keep) if scope.filtered else frame.copy()
    base = Keyframe(start, Segment.empty().encode(ours.last_ms), ours,
                    _alarms_in_scope(alarms, keys, keep, scope.filtered), floods)
    with db.atomic():
        db.execute("INSERT INTO keyframes (ts_ms, full, readings, data) VALUES (?, 1, 0, ?)", [start, base.encode()])
    rows = src.execute("SELECT ts_ms, full, readings, data FROM keyframes WHERE ts_ms > ? AND ts_ms < ?"
                       " ORDER BY ts_ms", [start, scope.until_ms]).fetchall()
    as_stored = before is not None and not scope.filtered
    theirs = frame_at(src, keys, _previous_keyframe(src, rows[0][0]))[0] if rows and not as_stored else frame
    with db.atomic():
        for index, (ts, full, count, blob) in enumerate(rows):
            data, readings = blob, count
            if not as_stored:
                keyframe = Keyframe.decode(ts, blob)
                segment = keyframe.segment(theirs.last_ms)
                theirs.apply(segment)
                kept = restrict_segment(segment.select(segment.ts_ms > start), keep)
                keyframe.segment_blob = kept.encode(ours.last_ms)
                ours.apply(kept)
                keyframe.frame = ours if keyframe.has_frame else None
                if keyframe.alarms is not None:
                    keyframe.alarms = _alarms_in_scope(keyframe.alarms, keys, keep, scope.filtered)
                data, readings = keyframe.encode(), len(kept)
            db.execute("INSERT INTO keyframes (ts_ms, full, readings, data) VALUES (?, ?, ?, ?)",
                       [ts, full, readings, data])
            report("keyframes", 0.4 * (index + 1) / max(1, len(rows)))
    last = rows[-1][0] if rows else start
    _tail(db, src, keys, keep, last, scope.until_ms)
    return start, len(rows) + 1


def _previous_keyframe(src: Database, ts_ms: int) -> int:
    """The instant of the keyframe before ``ts_ms`` (-1 for the first: its segment starts the history)."""
    before = src.execute("SELECT max(ts_ms) FROM keyframes WHERE ts_ms < ?", [ts_ms]).fetchone()[0]
    return -1 if before is None else int(before)


def _alarms_in_scope(alarms: dict[str, dict], keys: AssetKeys, keep: np.ndarray, filtered: bool) -> dict[str, dict]:
    if not filtered:
        return alarms
    inside = {asset_id for asset_id, k in keys.keys.items() if k < len(keep) and keep[k]}
    return {a: r for a, r in alarms.items() if r.get("asset_id") in inside}


def _tail(db: Database, src: Database, keys: AssetKeys, keep: np.ndarray, after_ms: int, until_ms: int) -> None:
    """Readings after the last keyframe copied and before the period's end, as raw telemetry rows."""
    latest: dict[tuple[str, int], str] = {}
    following = src.execute("SELECT ts_ms, data FROM keyframes WHERE ts_ms >= ? ORDER BY ts_ms LIMIT 1",
                            [until_ms]).fetchone()
    if following is not None:
        frame = frame_at(src, keys, _previous_keyframe(src, following[0]))[0]
        segment = Keyframe.decode(*following).segment(frame.last_ms)
        for key, ts, metrics in restrict_segment(segment.until(until_ms - 1), keep).readings():
            if ts > after_ms:
                latest[(keys.ids[key], ts)] = orjson.dumps(metrics).decode()
    for asset_id, ts, metrics in src.execute("SELECT asset_id, ts_ms, metrics FROM telemetry WHERE ts_ms > ?"
                                             " AND ts_ms < ? ORDER BY ts_ms, rowid", [after_ms, until_ms]):
        key = keys.keys.get(asset_id)
        if key is not None and key < len(keep) and keep[key]:
            latest[(asset_id, ts)] = metrics
    with db.atomic():
        db.conn.executemany("INSERT INTO telemetry (ts_ms, asset_id, metrics) VALUES (?, ?, ?)",
                            [(ts, asset_id, metrics) for (asset_id, ts), metrics in latest.items()])


def _blocks(db: Database, scope: ExportScope, start_ms: int, wanted: set[str] | None, report: Progress) -> int:
    """The period's compacted telemetry, one block per asset and day cut to the period; raw rows as stored.

    A block wholly inside the period is copied as stored; one that straddles an edge keeps its run of
    readings in their stored encoding (:func:`slice_block`). No rollups: an incident is hours long, and
    its trends read the readings themselves."""
    days = range(start_ms // DAY_MS, (scope.until_ms - 1) // DAY_MS + 1)
    written = 0
    for number, day in enumerate(days):
        rows = db.execute("SELECT asset_id, data FROM src.telemetry_blocks WHERE day = ? AND last_ms >= ?"
                          " AND first_ms < ?" + _in_scope("asset_id", wanted),
                          [day, start_ms, scope.until_ms]).fetchall()
        for first in range(0, len(rows), PROGRESS_BLOCKS):
            blocks = []
            for asset_id, blob in rows[first:first + PROGRESS_BLOCKS]:
                cut = slice_block(blob, start_ms, scope.until_ms)
                if cut is not None:
                    blocks.append((asset_id, day, *cut))
            with db.atomic():
                db.conn.executemany(UPSERT_BLOCK, blocks)
            written += len(blocks)
            done = (number + min(len(rows), first + PROGRESS_BLOCKS) / len(rows)) / len(days)
            report("telemetry", 0.4 + 0.4 * done)
    with db.atomic():
        db.execute("INSERT INTO telemetry (ts_ms, asset_id, metrics) SELECT ts_ms, asset_id, metrics"
                   " FROM src.telemetry AS t WHERE ts_ms >= ? AND ts_ms < ? AND NOT EXISTS (SELECT 1 FROM"
                   " main.telemetry AS m WHERE m.ts_ms = t.ts_ms AND m.asset_id = t.asset_id)"
                   + _in_scope("asset_id", wanted), [start_ms, scope.until_ms])
    return written


def _in_scope(column: str, wanted: set[str] | None) -> str:
    if wanted is None:
        return ""
    return f" AND {column} IN (SELECT value FROM json_each({orjson.dumps(sorted(wanted)).decode()!r}))"


def _rows(db: Database, scope: ExportScope, start_ms: int, wanted: set[str] | None) -> tuple[int, int]:
    window = [start_ms, scope.until_ms]
    with db.atomic():
        events = db.execute(
            "INSERT INTO alarm_events (rowid, ts_ms, alarm_id, rule_id, asset_id, priority, from_state, to_state,"
            " value, user, console, comment, request_id, body) SELECT rowid, ts_ms, alarm_id, rule_id, asset_id,"
            " priority, from_state, to_state, value, user, console, comment, request_id, body FROM src.alarm_events"
            " WHERE ts_ms >= ? AND ts_ms < ?" + _in_scope("asset_id", wanted), window).rowcount
        action_scope = "" if wanted is None else f" AND alarm_id IS NOT NULL{_in_scope(ASSET_OF_ALARM, wanted)}"
        actions = db.execute("INSERT INTO actions SELECT * FROM src.actions WHERE ts_ms >= ? AND ts_ms < ?"
                             + action_scope, window).rowcount
        db.execute("INSERT INTO status (ts_ms, asset_id, online) SELECT ts_ms, asset_id, online FROM src.status"
                   " WHERE ts_ms >= ? AND ts_ms < ?" + _in_scope("asset_id", wanted), window)
        db.execute("INSERT INTO flood_changes SELECT * FROM src.flood_changes WHERE ts_ms >= ? AND ts_ms < ?", window)
        db.execute("INSERT INTO sessions SELECT * FROM src.sessions WHERE started_ms < ?"
                   " AND (ended_ms IS NULL OR ended_ms >= ?)", [scope.until_ms, start_ms])
        db.execute("CREATE TABLE incident_quarantine (reason TEXT PRIMARY KEY, count INTEGER NOT NULL)")
        db.conn.executemany("INSERT INTO incident_quarantine (reason, count) VALUES (?, ?)",
                            quarantine_counts(db, "src", start_ms, scope.until_ms).items())
    return events, actions


def _documents(db: Database, start_ms: int, until_ms: int, files: ExportSources) -> None:
    with db.atomic():
        found = copy_in_force(db, "src", start_ms, until_ms)
        for kind, paths in (("inventory", [files.inventory]), ("rules", list(files.rules)),
                            ("basemap", [files.basemap])):
            if kind not in found:
                store_files(db, kind, paths, start_ms)


def _meta(db: Database, source: Path, scope: ExportScope, start_ms: int, deployment: str | None) -> None:
    fingerprints = [fp for (fp,) in db.execute("SELECT fingerprint FROM chain_keys ORDER BY fingerprint")]
    meta = {
        "format": FORMAT,
        "from_ms": scope.since_ms,
        "to_ms": scope.until_ms,
        "start_ms": start_ms,
        "districts": sorted(scope.districts),
        "domains": sorted(scope.domains),
        "exported_by": getpass.getuser(),
        "exported_ms": time.time_ns() // 1_000_000,
        "deployment": deployment or platform.node(),
        "source": str(Path(source).resolve()),
        "software_version": software_version(),
        "key_fingerprints": fingerprints,
    }
    with db.atomic():
        db.execute("CREATE TABLE incident_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
        db.conn.executemany("INSERT INTO incident_meta (key, value) VALUES (?, ?)",
                            [(k, orjson.dumps(v).decode()) for k, v in meta.items()])


def quarantine_counts(db: Database, schema: str, since_ms: int, until_ms: int) -> dict[str, int]:
    """Refused messages per reason in a period: counted one by one in a ``rejections`` table, or, from a
    quarantine digest (one entry per reason and asset or topic), the entries seen during the period."""
    tables = {name for (name,) in db.execute(f"SELECT name FROM {schema}.sqlite_master WHERE type = 'table'")}
    if "rejections" in tables:
        sql = (f"SELECT reason, count(*) FROM {schema}.rejections WHERE received_ms >= ? AND received_ms < ?"
               " GROUP BY reason ORDER BY reason")
        return dict(db.execute(sql, [since_ms, until_ms]).fetchall())
    if "quarantine" in tables:
        sql = (f"SELECT reason, sum(count) FROM {schema}.quarantine WHERE last_ms >= ? AND first_ms < ?"
               " GROUP BY reason ORDER BY reason")
        return dict(db.execute(sql, [since_ms, until_ms]).fetchall())
    return {}


def read_meta(db: Database) -> dict[str, object]:
    """The export's metadata (empty for a historian that is not an export)."""
    if db.execute("SELECT count(*) FROM sqlite_master WHERE name = 'incident_meta'").fetchone()[0] == 0:
        return {}
    return {k: orjson.loads(v) for k, v in db.execute("SELECT key, value FROM incident_meta")}
