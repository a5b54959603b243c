"""The historian's background upkeep: keyframes, compaction, retention and the disk budget.

It runs in its own process and connection beside the writer, in short transactions (a keyframe, or a
batch of assets of one hour), pausing between them, so that ingest never waits for it long. Time is
data time: the newest reading's ``ts_ms``, so that a simulation running faster than the wall clock is
compacted at its own pace, and a historian fed old data is not purged by today's date.
"""

from __future__ import annotations

import json
import logging
import subprocess
import sys
import threading
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from hypervisor.historian.compaction import CompactionResult, compact
from hypervisor.historian.keyframes import AssetKeys, KeyframeWriter
from hypervisor.historian.retention import apply_retention, keep_under
from hypervisor.historian.schema import TELEMETRY_HOUR_MS, connect
from hypervisor.historian.settings import DEFAULT_HISTORY, HistorySettings

log = logging.getLogger(__name__)


def file_bytes(path: Path) -> int:
    """Size of the historian file with its WAL."""
    return sum(p.stat().st_size for p in (path, Path(f"{path}-wal")) if p.exists())


def budget_warning(size: int, settings: HistorySettings) -> str | None:
    """A sentence for operators once the file nears or passes its budget, else None."""
    budget = settings.disk_budget_bytes
    if budget is None or size < budget * settings.disk_warning_fraction:
        return None
    used = size / budget
    if size >= budget:
        return (f"The historian uses {size / 1e9:.2f} GB, over its budget of {budget / 1e9:.2f} GB: shorten the "
                "raw retention (hypervisor historian info shows what takes the room) or raise the budget.")
    return (f"The historian uses {used:.0%} of its {budget / 1e9:.2f} GB budget: shorten the raw retention "
            "or raise the budget before it is reached.")


def run_once(db: Database, path: Path, settings: HistorySettings, writer: KeyframeWriter | None = None,
             keys: AssetKeys | None = None, stop: threading.Event | None = None) -> dict[str, Any]:
    """One round of upkeep: keyframes due, closed hours compacted, retention applied."""
    keys = keys if keys is not None else AssetKeys(db)
    writer = writer if writer is not None else KeyframeWriter(db, settings.keyframe_interval_ms,
                                                              settings.full_keyframe_every)
    newest_raw = db.execute("SELECT max(ts_ms) FROM telemetry").fetchone()[0]
    keyframes = 0
    compacted = CompactionResult()
    if newest_raw is not None:
        keyframes = writer.build_from_raw(keys, newest_raw - settings.keyframe_grace_ms)
        current_hour_start = newest_raw // TELEMETRY_HOUR_MS * TELEMETRY_HOUR_MS
        built = writer.last_ms if writer.last_ms is not None else -1
        # An hour is compacted once it is closed and its keyframes (which read raw rows) are written.
        before = min(current_hour_start, (built + 1) // TELEMETRY_HOUR_MS * TELEMETRY_HOUR_MS)
        if stop is None or not stop.is_set():
            compacted = compact(db, before, settings.pause_s, stop)
    newest_block = db.execute("SELECT max(last_ms) FROM telemetry_blocks").fetchone()[0]
    newest = max((t for t in (newest_raw, newest_block) if t is not None), default=None)
    dropped = 0
    if newest is not None:
        retention = apply_retention(db, newest, settings.raw_retention_days, settings.rollup_retention_days)
        dropped = retention.blocks_dropped
    if settings.size_cap_bytes is not None:
        dropped += keep_under(db, settings.size_cap_bytes).blocks_dropped
    return {"keyframes_written": keyframes, **asdict(compacted), "blocks_dropped": dropped}


class UpkeepLoop:
    """Runs :func:`run_once` every ``period_s`` on its own connection until ``stop`` is set, reporting
    its counters after each round to ``report``."""

    def __init__(self, path: Path, settings: HistorySettings, stop: threading.Event,
                 report: Callable[[dict[str, Any]], None]) -> None:
        self.path, self.settings, self.stop, self.report = path, settings, stop, report
        self.stats: dict[str, Any] = {"keyframes_written": 0, "hours_compacted": 0, "readings_compacted": 0,
                                      "duplicates_dropped": 0, "blocks_dropped": 0, "maintenance_errors": 0,
                                      "disk_bytes": file_bytes(path), "disk_budget_bytes": settings.disk_budget_bytes,
                                      "disk_warning": None}

    def run(self) -> None:
        db = connect(self.path)
        try:
            keys = AssetKeys(db)
            writer: KeyframeWriter | None = None
            while not self.stop.is_set():
                if writer is None:
                    writer = self._keyframe_writer(db)
                if writer is not None and not self._round(db, writer, keys):
                    writer = None  # its state in memory may be ahead of the file: read it again
                self.report(dict(self.stats))
                self.stop.wait(self.settings.period_s)
        finally:
            db.close()

    def _keyframe_writer(self, db: Database) -> KeyframeWriter | None:
        try:
            return KeyframeWriter(db, self.settings.keyframe_interval_ms, self.settings.full_keyframe_every)
        except Exception:  # retried next round
            log.exception("historian upkeep could not read the last keyframe of %s; it will try again", self.path)
            self.stats["maintenance_errors"] += 1
            return None

    def _round(self, db: Database, writer: KeyframeWriter, keys: AssetKeys) -> bool:
        try:
            done = run_once(db, self.path, self.settings, writer, keys, self.stop)
        except Exception:  # upkeep retries next round; ingest never depends on it
            log.exception("historian upkeep failed on %s; it will try again", self.path)
            self.stats["maintenance_errors"] += 1
            keys.refresh()
            return False
        size = file_bytes(self.path)
        warning = budget_warning(size, self.settings)
        if warning is not None and warning != self.stats["disk_warning"]:
            log.warning("%s", warning)
        self.stats["keyframes_written"] += done["keyframes_written"]
        self.stats["hours_compacted"] += done["hours"]
        self.stats["readings_compacted"] += done["readings"]
        self.stats["duplicates_dropped"] += done["duplicates"]
        self.stats["blocks_dropped"] += done["blocks_dropped"]
        self.stats["disk_bytes"] = size
        self.stats["disk_warning"] = warning
        return True


class Maintenance:
    """Runs the upkeep in a child process (``python -m hypervisor.historian.upkeep``) until stopped.

    A process, not a thread: upkeep decodes and encodes in Python, and a thread of the engine's process
    would take the GIL from the engine (ingest beside compaction fell to 0.06-0.41 of mosquitto_sub on a
    shared machine). The child reports its counters as a JSON line after each round; it stops when its
    standard input closes (so also when this process dies), and a child killed mid-transaction loses
    nothing (each transaction is whole).
    """

    def __init__(self, path: str | Path, settings: HistorySettings = DEFAULT_HISTORY) -> None:
        self.path = Path(path)
        self.settings = settings
        self._child: subprocess.Popen[str] | None = None
        self._reader: threading.Thread | None = None
        self._lock = threading.Lock()
        self._stats: dict[str, Any] = UpkeepLoop(self.path, settings, threading.Event(), lambda _: None).stats

    def start(self) -> None:
        self._child = subprocess.Popen(
            [sys.executable, "-m", "hypervisor.historian.upkeep", str(self.path), json.dumps(asdict(self.settings))],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        self._reader = threading.Thread(target=self._read, args=(self._child,), name="historian-upkeep-reader",
                                        daemon=True)
        self._reader.start()

    def _read(self, child: subprocess.Popen[str]) -> None:
        assert child.stdout is not None
        for line in child.stdout:
            try:
                stats = json.loads(line)
            except ValueError:
                continue
            with self._lock:
                self._stats.update(stats)

    def stop(self, timeout_s: float = 10.0) -> None:
        """Ask the child to stop after the transaction in progress, kill it after ``timeout_s``; safe twice."""
        child, self._child = self._child, None
        if child is None:
            return
        assert child.stdin is not None
        child.stdin.close()
        try:
            child.wait(timeout_s)
        except subprocess.TimeoutExpired:
            log.warning("historian upkeep did not stop within %.0f s; killed (no transaction is lost)", timeout_s)
            child.kill()
            child.wait()
        if self._reader is not None:
            self._reader.join(timeout_s)
        if child.stdout is not None:
            child.stdout.close()

    @property
    def stats(self) -> dict[str, Any]:
        """keyframes_written, hours_compacted, readings_compacted, duplicates_dropped, blocks_dropped,
        maintenance_errors, disk_bytes, disk_budget_bytes, disk_warning (a sentence, or None)."""
        with self._lock:
            return dict(self._stats)
