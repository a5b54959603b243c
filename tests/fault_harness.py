"""Real processes for fault tests: an engine started as users start it, a backlog, the historian read back."""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import orjson

from benchmarks.common import RawPublisher, engine_filters, register_engine_session
from feeds.inventory import Inventory, load_inventory
from feeds.model import Message
from feeds.topics import Topics

ROOT = Path(__file__).resolve().parent.parent
FIRE_C = 85.0
"""Above the 70 °C of ``container_fire`` in assets/rules/default.toml."""


def container_inventory(path: Path, count: int) -> Inventory:
    """``count`` waste containers, written as a CSV inventory the engine process loads."""
    lines = ["id,domain,kind,district,lon,lat,capacity_l"]
    lines += [f"B-{i:05d},waste,container,Centre-ville,{5.03 + i * 1e-5:.5f},47.32,660" for i in range(count)]
    path.write_text("\n".join(lines) + "\n")
    return load_inventory(path)


def backlog(inventory: Inventory, per_asset: int, fire_assets: int) -> tuple[list[Message], set[tuple[str, int]]]:
    """Telemetry for every asset, one reading a second ending a minute ago, interleaved across assets; the
    first ``fire_assets`` report one fire reading halfway. Returns the messages and their (asset, ts)."""
    topics = Topics()
    start = time.time_ns() // 1_000_000 - 60_000 - per_asset * 1000
    messages, keys = [], set()
    for k in range(per_asset):
        ts = start + k * 1000
        for n, asset in enumerate(inventory):
            fire = n < fire_assets and k == per_asset // 2
            body = {"ts": ts, "metrics": {"fill_pct": 40.0 + k % 30, "temp_c": FIRE_C if fire else 18.0}}
            messages.append(Message(topics.telemetry("waste", asset.id), orjson.dumps(body), False, 1))
            keys.add((asset.id, ts))
    return messages, keys


def prepare_session(url: str, client_id: str, inventory: Inventory, port: int, messages: list[Message]) -> None:
    """The engine's persistent session with its subscriptions, then the backlog queued in it."""
    asyncio.run(register_engine_session(url, client_id, engine_filters(inventory)))
    publisher = RawPublisher(port, client_id=f"{client_id}-field")
    try:
        publisher.publish_all(messages, timeout_s=120)
    finally:
        publisher.close()


class EngineProcess:
    """``python -m hypervisor engine`` on a broker, with its log in a file."""

    def __init__(self, url: str, inventory_path: Path, historian: Path, client_id: str, log: Path) -> None:
        self.log = log
        self._log_file = log.open("ab")
        cmd = [sys.executable, "-m", "hypervisor", "engine", "--inventory", str(inventory_path), "--broker", url,
               "--historian", str(historian), "--client-id", client_id]
        self.process = subprocess.Popen(cmd, stdout=self._log_file, stderr=subprocess.STDOUT, cwd=ROOT,
                                        env={**os.environ, "PYTHONPATH": str(ROOT)})

    def kill(self, sig: int) -> int:
        self.process.send_signal(sig)
        return self.wait()

    def wait(self, timeout_s: float = 180) -> int:
        try:
            return self.process.wait(timeout_s)
        finally:
            self._log_file.close()

    def stop(self) -> None:
        if self.process.poll() is None:
            self.kill(signal.SIGKILL)
        self._log_file.close()


def stored_keys(historian: Path) -> list[tuple[str, int]]:
    """Every telemetry row's (asset, ts), duplicates included."""
    if not historian.exists():
        return []
    try:
        with sqlite3.connect(f"file:{historian}?mode=ro", uri=True) as db:
            return [(a, t) for a, t in db.execute("SELECT asset_id, ts_ms FROM telemetry")]
    except sqlite3.OperationalError:  # the engine has not created the tables yet
        return []


def telemetry_count(historian: Path) -> int:
    if not historian.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{historian}?mode=ro", uri=True) as db:
            return int(db.execute("SELECT count(*) FROM telemetry").fetchone()[0])
    except sqlite3.OperationalError:
        return 0


def fire_raises(historian: Path) -> dict[str, int]:
    """How many times each container's fire alarm went from normal to unacknowledged."""
    with sqlite3.connect(f"file:{historian}?mode=ro", uri=True) as db:
        rows = db.execute("SELECT asset_id, count(*) FROM alarm_events WHERE rule_id = 'container_fire' "
                          "AND from_state = 'normal' AND to_state = 'unack' GROUP BY asset_id").fetchall()
    return dict(rows)


def wait_until(condition: Callable[[], bool], timeout_s: float, what: str, process: EngineProcess | None = None,
               poll_s: float = 0.02) -> None:
    """Poll ``condition`` until true; fail with ``what`` (and the engine's log) after ``timeout_s``."""
    deadline = time.monotonic() + timeout_s
    while not condition():
        if process is not None and process.process.poll() is not None:
            raise AssertionError(f"engine exited ({process.process.returncode}) before {what}:\n"
                                 f"{process.log.read_text()[-3000:]}")
        if time.monotonic() > deadline:
            tail = process.log.read_text()[-3000:] if process is not None else ""
            raise AssertionError(f"timed out waiting for {what}\n{tail}")
        time.sleep(poll_s)
