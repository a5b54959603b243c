"""Backlog memory benchmark: the engine process draining a large persistent-session backlog.

A private mosquitto queues ``--messages`` realistic Dijon telemetry messages for the engine's persistent
session while it is away; ``hypervisor engine`` (full Dijon inventory, default rules) then connects and
drains them into its historian. The broker sends at most the engine's in-flight window unacknowledged
and the engine acknowledges a message once it is stored, so memory must not grow with the backlog.

    python -m benchmarks.backlog_memory [--messages 1000000]

Prints ``idle_rss_mb`` (the engine started, connected and at rest, nothing queued) and
``backlog_peak_rss_mb`` (the engine's peak resident memory while draining the backlog, from /proc VmHWM).
The engine is at rest once it has recorded the inventory and rules in force (the last step of its start:
its inventory, rule index and alarm state are built by then) and its resident memory stopped moving.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.common import (
    ROOT,
    RawPublisher,
    city_readings,
    dijon,
    engine_filters,
    register_engine_session,
    telemetry,
)
from feeds.mosquitto import Mosquitto

CLIENT_ID = "bench-backlog-engine"
CHUNK = 100_000


def rss_mb(pid: int, field: str) -> float:
    """``VmRSS`` (now) or ``VmHWM`` (peak) of a process, in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no {field} for process {pid}")


def stored(historian: Path) -> int:
    try:
        with sqlite3.connect(f"file:{historian}?mode=ro", uri=True) as db:
            return int(db.execute("SELECT max(rowid) FROM telemetry").fetchone()[0] or 0)
    except sqlite3.OperationalError:
        return 0


def start_engine(url: str, historian: Path, log: Path) -> subprocess.Popen[bytes]:
    cmd = [sys.executable, "-m", "hypervisor", "engine", "--broker", url, "--historian", str(historian),
           "--client-id", CLIENT_ID, "--log-level", "WARNING"]
    with log.open("ab") as out:
        return subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, cwd=ROOT,
                                env={**os.environ, "PYTHONPATH": str(ROOT)})


def wait_for(condition: object, timeout_s: float, what: str, engine: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():  # type: ignore[operator]
        if engine.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"engine did not reach {what}:\n{log.read_text()[-2000:]}")
        time.sleep(0.2)


def engine_started(historian: Path) -> bool:
    """Whether the engine has recorded the inventory in force: it does so once it is connected and ready."""
    try:
        with sqlite3.connect(f"file:{historian}?mode=ro", uri=True) as db:
            return db.execute("SELECT count(*) FROM documents_in_force WHERE kind = 'inventory'").fetchone()[0] > 0
    except sqlite3.OperationalError:
        return False


def resting_rss_mb(pid: int, timeout_s: float = 60.0) -> float:
    """The process's resident memory once it moved less than 1 MB over two seconds."""
    samples = [rss_mb(pid, "VmRSS")]
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        time.sleep(0.5)
        samples.append(rss_mb(pid, "VmRSS"))
        recent = samples[-5:]
        if len(recent) == 5 and max(recent) - min(recent) < 1.0:
            break
    return samples[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--messages", type=int, default=1_000_000)
    args = parser.parse_args()
    inventory = dijon()
    with Mosquitto() as broker, tempfile.TemporaryDirectory(prefix="hv-bench-backlog-") as tmp:
        historian, log = Path(tmp) / "historian.sqlite", Path(tmp) / "engine.log"
        asyncio.run(register_engine_session(broker.url, CLIENT_ID, engine_filters(inventory)))

        engine = start_engine(broker.url, historian, log)
        wait_for(lambda: engine_started(historian), 120, "its start", engine, log)
        idle = resting_rss_mb(engine.pid)
        engine.send_signal(signal.SIGTERM)
        engine.wait(60)

        readings = city_readings(inventory, args.messages, hours=args.messages // 200_000 + 1)
        publisher = RawPublisher(broker.port)
        started = time.perf_counter()
        try:
            for start in range(0, len(readings), CHUNK):
                publisher.publish_all(telemetry(readings[start : start + CHUNK]), timeout_s=300)
        finally:
            publisher.close()
        print(f"# backlog of {args.messages} queued in {time.perf_counter() - started:.1f} s", flush=True)
        del readings

        before = stored(historian)
        engine = start_engine(broker.url, historian, log)
        started = time.perf_counter()
        try:
            wait_for(lambda: stored(historian) - before >= args.messages, 1800, "the end of the backlog", engine, log)
            drained_s = time.perf_counter() - started
            peak = rss_mb(engine.pid, "VmHWM")
        finally:
            engine.send_signal(signal.SIGTERM)
            engine.wait(60)
    print(f"messages={args.messages}")
    print(f"drain_s={drained_s:.1f}")
    print(f"idle_rss_mb={idle:.0f}")
    print(f"backlog_peak_rss_mb={peak:.0f}")
    print(f"peak_over_idle_mb={peak - idle:.0f} (target: at most 150)")


if __name__ == "__main__":
    main()
