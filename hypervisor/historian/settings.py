"""How the historian keeps history: keyframe spacing, retention, disk budget (no SQLite here, so that the
command line can show the defaults without loading the historian)."""

from __future__ import annotations

from dataclasses import dataclass

KEYFRAME_INTERVAL_MS = 300_000
FULL_EVERY = 5
"""A full keyframe every 25 minutes of data time (with 5-minute keyframes): ``state_at`` decodes one
frame and at most four segments besides the one it stops in; a frame of the whole city and its alarm
list take the room of about eight segments."""


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
