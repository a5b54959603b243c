"""The historian's background upkeep: keyframes, compaction, retention and the disk budget.

It runs on its own thread and connection beside the writer, in short transactions (a keyframe, or a
batch of assets of one hour), pausing between them, so that ingest never waits for it long. Time is
data time: the newest reading's ``ts_ms``, so that a simulation running faster than the wall clock is
compacted at its own pace, and a historian fed old data is not purged by today's date.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from hypervisor.historian.compaction import CompactionResult, compact
from hypervisor.historian.keyframes import FULL_EVERY, KEYFRAME_INTERVAL_MS, AssetKeys, KeyframeWriter
from hypervisor.historian.retention import apply_retention, keep_under
from hypervisor.historian.schema import TELEMETRY_HOUR_MS, connect

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class HistorySettings:
    """How the historian keeps history. Durations in data time."""

    keyframe_interval_ms: int = KEYFRAME_INTERVAL_MS
    full_keyframe_every: int = FULL_EVERY
    keyframe_grace_ms: int = 30_000
    """A keyframe is written once readings this much newer than it have arrived (late readings)."""
    raw_retention_days: float = 400.0
    rollup_retention_days: float = 3650.0
    disk_budget_bytes: int | None = None
    disk_warning_fraction: float = 0.9
    size_cap_bytes: int | None = None
    """When set, the oldest days of readings leave (their rollups stay) to keep the file under this size."""
    period_s: float = 5.0
    pause_s: float = 0.01
    """Pause between compaction transactions, leaving the disk and the GIL to ingest."""


DEFAULT_HISTORY = HistorySettings()


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
            compacted = compact(db, before, settings.pause_s)
    newest_block = db.execute("SELECT max(last_ms) FROM telemetry_blocks").fetchone()[0]
    newest = max((t for t in (newest_raw, newest_block) if t is not None), default=None)
    dropped = 0
    if newest is not None:
        retention = apply_retention(db, newest, settings.raw_retention_days, settings.rollup_retention_days)
        dropped = retention.blocks_dropped
    if settings.size_cap_bytes is not None:
        dropped += keep_under(db, settings.size_cap_bytes).blocks_dropped
    return {"keyframes_written": keyframes, **asdict(compacted), "blocks_dropped": dropped}


class Maintenance:
    """Runs :func:`run_once` every ``period_s`` on its own thread and connection until stopped."""

    def __init__(self, path: str | Path, settings: HistorySettings = DEFAULT_HISTORY) -> None:
        self.path = Path(path)
        self.settings = settings
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._stats: dict[str, Any] = {"keyframes_written": 0, "hours_compacted": 0, "readings_compacted": 0,
                                       "duplicates_dropped": 0, "blocks_dropped": 0, "maintenance_errors": 0,
                                       "disk_bytes": file_bytes(self.path),
                                       "disk_budget_bytes": settings.disk_budget_bytes, "disk_warning": None}

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="historian-maintenance", daemon=True)
        self._thread.start()

    def stop(self, timeout_s: float = 30.0) -> None:
        """Stop after the transaction in progress; safe to call twice."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout_s)

    @property
    def stats(self) -> dict[str, Any]:
        """keyframes_written, hours_compacted, readings_compacted, duplicates_dropped, blocks_dropped,
        maintenance_errors, disk_bytes, disk_budget_bytes, disk_warning (a sentence, or None)."""
        with self._lock:
            return dict(self._stats)

    def _run(self) -> None:
        db = connect(self.path)
        try:
            keys = AssetKeys(db)
            writer = KeyframeWriter(db, self.settings.keyframe_interval_ms, self.settings.full_keyframe_every)
            while not self._stop.is_set():
                self._round(db, writer, keys)
                self._stop.wait(self.settings.period_s)
        finally:
            db.close()

    def _round(self, db: Database, writer: KeyframeWriter, keys: AssetKeys) -> None:
        try:
            done = run_once(db, self.path, self.settings, writer, keys, self._stop)
        except Exception:  # upkeep retries next round; ingest never depends on it
            log.exception("historian upkeep failed on %s; it will try again", self.path)
            with self._lock:
                self._stats["maintenance_errors"] += 1
            keys.refresh()
            return
        size = file_bytes(self.path)
        warning = budget_warning(size, self.settings)
        if warning is not None and warning != self._stats["disk_warning"]:
            log.warning("%s", warning)
        with self._lock:
            self._stats["keyframes_written"] += done["keyframes_written"]
            self._stats["hours_compacted"] += done["hours"]
            self._stats["readings_compacted"] += done["readings"]
            self._stats["duplicates_dropped"] += done["duplicates"]
            self._stats["blocks_dropped"] += done["blocks_dropped"]
            self._stats["disk_bytes"] = size
            self._stats["disk_warning"] = warning
