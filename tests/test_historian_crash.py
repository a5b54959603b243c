"""A historian killed mid-write leaves a sound file holding every batch it reported committed."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from feeds.model import Measurement
from hypervisor.historian.reader import HistorianReader
from hypervisor.historian.writer import Historian

REPO = Path(__file__).resolve().parents[1]
BATCH = 500

WRITER = f"""
import sys
from feeds.model import Measurement
from hypervisor.historian.writer import Historian

h = Historian(sys.argv[1], flush_interval_s=0.01)
h.start()
batch = 0
while True:
    h.add_measurements([Measurement(f"L-{{i}}", "lighting", batch * 1000 + i,
                                    {{"batch": batch, "power_w": 40.0}}) for i in range({BATCH})])
    h.add_alarm_events([{{"ts_ms": batch * 1000, "alarm_id": "power_hi:L-1", "to_state": "unack",
                          "batch": batch}}])
    h.put_alarm_records([{{"alarm_id": f"power_hi:L-{{batch % 5}}", "state": "unack", "changed_ms": batch}}])
    h.flush()
    print(batch, flush=True)
    batch += 1
"""


def run_and_kill(path: Path, kill_after: int) -> set[int]:
    """Start a writer process, SIGKILL it once it has reported ``kill_after`` commits; return all reported."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")])}
    child = subprocess.Popen([sys.executable, "-c", WRITER, str(path)], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True, env=env, cwd=REPO)
    assert child.stdout is not None and child.stderr is not None
    reported: set[int] = set()
    try:
        while len(reported) < kill_after:
            line = child.stdout.readline()
            if not line:
                pytest.fail(f"writer exited early: {child.stderr.read()}")
            reported.add(int(line))
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=30)
        reported.update(int(line) for line in child.stdout.read().split())
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
        child.stdout.close()
        child.stderr.close()
    assert child.returncode == -signal.SIGKILL
    return reported


@pytest.mark.parametrize("kill_after", [3, 25])
def test_every_reported_batch_survives_a_kill(tmp_path: Path, kill_after: int) -> None:
    path = tmp_path / "history.db"
    reported = run_and_kill(path, kill_after)

    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    counts = dict(conn.execute("SELECT json_extract(metrics, '$.batch'), count(*) FROM telemetry GROUP BY 1"))
    events = {row[0] for row in conn.execute("SELECT json_extract(body, '$.batch') FROM alarm_events")}
    conn.close()
    assert all(counts.get(batch) == BATCH for batch in reported)
    assert set(counts.values()) == {BATCH}, "a batch was committed in part"
    assert reported <= events

    h = Historian(path)
    h.start()
    h.add_measurements([Measurement("L-after", "lighting", 0, {"power_w": 1.0})])
    h.flush()
    h.close()
    reader = HistorianReader(path)
    assert len(reader.telemetry("L-after", 0)) == 1
    assert 1 <= len(reader.alarm_records()) <= 5
    reader.close()
