"""A reading delivered twice drives the alarms once: evaluation follows each asset's device time.

The broker delivers again every message it has not seen acknowledged: after a crash, those the engine
had already stored and evaluated but not yet acknowledged. Evaluating them again against alarm states
that already include them could raise an alarm a second time (a fire reading followed by a cool one,
replayed, means "raised" and "returned to normal" twice). So a measurement drives the rules only when
its device time is not earlier than the last one evaluated for its asset; after a restart, not earlier
than one millisecond past the newest one the historian holds among its last stored rows, which cover
every message the broker may deliver again. Every reading is stored either way (docs/delivery.md), and
every reading says its asset is reporting: a demo started again at 60x behind its own history, or a
device whose clock went back, must not read as a city that stopped reporting.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Sequence
from pathlib import Path

from feeds.model import Measurement, Reading

log = logging.getLogger(__name__)

RESTORED_ROWS = 65_535
"""Rows read back at start: more than the in-flight window can ever hold (MQTT's Receive Maximum is at
most 65,535), so every message the broker may deliver again is among them if it was stored."""


class EvaluationMarks:
    """Per asset, the earliest device time a measurement must have to be evaluated."""

    def __init__(self, marks: dict[str, int] | None = None) -> None:
        self._marks = marks or {}
        self.skipped = 0

    @classmethod
    def restore(cls, historian_path: Path, rows: int = RESTORED_ROWS) -> EvaluationMarks:
        """Marks from the newest telemetry rows of a historian: one past each asset's latest time."""
        if not historian_path.exists():
            return cls()
        try:
            with sqlite3.connect(f"file:{historian_path}?mode=ro", uri=True) as db:
                found = db.execute(
                    "SELECT asset_id, max(ts_ms) FROM (SELECT asset_id, ts_ms FROM telemetry "
                    "ORDER BY rowid DESC LIMIT ?) GROUP BY asset_id", (rows,)).fetchall()
        except sqlite3.Error as exc:
            log.warning("could not read the last stored readings of %s (%s): readings the broker delivers "
                        "again will be evaluated again", historian_path, exc)
            return cls()
        return cls({asset_id: ts + 1 for asset_id, ts in found})

    def fresh(self, readings: Sequence[Reading]) -> tuple[list[Reading], list[str]]:
        """The readings to evaluate, marking each one's asset (status updates always pass), and the assets
        of those left out: they were heard from all the same."""
        marks = self._marks
        out: list[Reading] = []
        heard: list[str] = []
        for reading in readings:
            if type(reading) is Measurement:
                ts = reading.ts_ms
                if ts < marks.get(reading.asset_id, ts):
                    self.skipped += 1
                    heard.append(reading.asset_id)
                    continue
                marks[reading.asset_id] = ts
            out.append(reading)
        return out, heard
