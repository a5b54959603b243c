"""Quarantine flood: what messages for unknown assets cost the engine in memory, disk and log lines.

A private mosquitto relays ``--messages`` telemetry messages, each for a different asset missing from the
full Dijon inventory, to a running engine (default rules, historian). The publisher keeps at most
``--window`` messages ahead of the engine, as a bounded in-flight window does, so that what is measured is
the quarantine, not a backlog in the engine's inbox.

    python -m benchmarks.quarantine_flood [--messages 350000] [--window 20000]
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import resource
import sqlite3
import tempfile
import time
from pathlib import Path

import orjson

from benchmarks.common import DEFAULT_RULES, RawPublisher, build_engine, dijon, rules, serving
from feeds.model import Message
from feeds.mosquitto import Mosquitto

ENGINE_ID = "bench-quarantine-engine"


class CountingHandler(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.lines = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.lines += 1


def rss_mb() -> float:
    with open(f"/proc/{os.getpid()}/status") as status:
        kib = next(int(line.split()[1]) for line in status if line.startswith("VmRSS:"))
    return kib / 1024


def file_mb(path: Path) -> float:
    return sum(p.stat().st_size for p in path.parent.glob(path.name + "*")) / 2**20


async def flood(url: str, port: int, count: int, window: int, historian_path: Path) -> dict[str, float]:
    engine = build_engine(url, ENGINE_ID, dijon(), rules([DEFAULT_RULES]), historian_path)
    body = orjson.dumps({"ts": time.time_ns() // 1_000_000, "metrics": {"temp_c": 21.5, "fill_pct": 40}})
    async with serving(engine):
        await asyncio.wait_for(engine.ready.wait(), 30)
        publisher = RawPublisher(port, "bench-quarantine-publisher")
        idle = rss_mb()
        peak = idle
        started = time.perf_counter()
        try:
            for start in range(0, count, 5000):
                while publisher.sent - engine.health.received > window:
                    await asyncio.sleep(0.005)
                    peak = max(peak, rss_mb())
                publisher.send([Message(f"hv/v1/waste/X-{n:07d}/telemetry", body, False, 1)
                                for n in range(start, min(count, start + 5000))])
            while engine.health.received < count:
                await asyncio.sleep(0.005)
            assert engine.historian is not None
            engine.historian.flush(120)
        finally:
            publisher.close()
        elapsed = time.perf_counter() - started
        return {"idle": idle, "peak": max(peak, rss_mb()), "end": rss_mb(), "seconds": elapsed,
                "keys": engine.historian.quarantine_stats["keys"]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--messages", type=int, default=350_000)
    parser.add_argument("--window", type=int, default=20_000)
    args = parser.parse_args()
    warnings = CountingHandler()
    logging.getLogger("hypervisor").addHandler(warnings)
    with Mosquitto() as broker, tempfile.TemporaryDirectory(prefix="hv-bench-") as tmp:
        path = Path(tmp) / "historian.sqlite"
        figures = asyncio.run(flood(broker.url, broker.port, args.messages, args.window, path))
        with sqlite3.connect(path) as db:
            rows, counted = db.execute("SELECT count(*), sum(count) FROM quarantine").fetchone()
        disk = file_mb(path)
    print(f"quarantine_flood_messages={args.messages}")
    print(f"quarantine_flood_seconds={figures['seconds']:.1f}")
    print(f"idle_rss_mb={figures['idle']:.0f}")
    print(f"flood_peak_rss_mb={figures['peak']:.0f}")
    print(f"end_rss_mb={figures['end']:.0f}")
    print(f"max_rss_mb={resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f}")
    print(f"quarantine_rows={rows} (keys kept {figures['keys']}, messages counted {counted})")
    print(f"historian_disk_mb={disk:.1f} (database and WAL)")
    print(f"warning_lines={warnings.lines}")


if __name__ == "__main__":
    main()
