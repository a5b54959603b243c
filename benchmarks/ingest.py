"""Ingest benchmark: the engine draining a QoS 1 backlog into the historian, against mosquitto_sub.

A private mosquitto queues the same backlog of realistic Dijon telemetry for two persistent sessions,
the engine's and mosquitto_sub's; each then connects and drains it. The engine's time runs from
connecting to the moment every message is decoded, evaluated by the default rules and committed in
the historian. Runs alternate which of the two goes first; the figures are medians.

With ``--with-compaction``, each engine's historian file first holds closed hours of the city raw
(``--compaction-hours``, each the backlog shifted back an hour): the historian's upkeep writes their
keyframes and compacts them from the moment the engine starts, so ingest is measured beside it.

    python -m benchmarks.ingest [--messages 100000] [--runs 3] [--profile out.prof] [--with-compaction]
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import gc
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path

from alerts.rules.model import RuleSet
from benchmarks.common import (
    DEFAULT_RULES,
    RawPublisher,
    build_engine,
    city_readings,
    dijon,
    engine_filters,
    register_engine_session,
    register_sub_session,
    rules,
    serving,
    telemetry,
    time_sub_drain,
)
from feeds.broker import BrokerSettings
from feeds.inventory import Inventory
from feeds.model import Measurement, Message
from feeds.mosquitto import Mosquitto
from feeds.mqtt import MqttTransport
from hypervisor.historian.schema import TELEMETRY_HOUR_MS as HOUR_MS
from hypervisor.historian.writer import Historian

ENGINE_ID = "bench-engine"
SUB_ID = "bench-mosquitto-sub"
SUB_FILTER = "hv/v1/+/+/telemetry"
TRANSPORT_ID = "bench-transport-only"


def prefill(path: Path, readings: list[Measurement], hours: int) -> int:
    """Write ``hours`` closed hours of raw telemetry before the backlog's; returns the first backlog hour's start."""
    first = min(r.ts_ms for r in readings) // HOUR_MS * HOUR_MS
    historian = Historian(path, history=None)
    historian.start()
    try:
        for back in range(1, hours + 1):
            shift = back * HOUR_MS
            historian.add_measurements([Measurement(r.asset_id, r.domain, r.ts_ms - shift, r.metrics)
                                        for r in readings if r.ts_ms - shift < first])
        historian.flush(120)
    finally:
        historian.close()
    return first


async def time_engine_drain(url: str, inventory: Inventory, ruleset: RuleSet, count: int,
                            historian_path: Path, compact_before_ms: int | None = None) -> tuple[float, float, int]:
    """Seconds from connecting to ``count`` messages processed and to them committed; telemetry rows stored."""
    engine = build_engine(url, ENGINE_ID, inventory, ruleset, historian_path)
    historian = engine.historian
    assert historian is not None
    started = time.perf_counter()
    async with serving(engine):
        while engine.health.received < count:
            await asyncio.sleep(0.005)
        processed = time.perf_counter() - started
        await asyncio.to_thread(historian.flush, 60)
        elapsed = time.perf_counter() - started
        if compact_before_ms is not None:
            stats = historian.stats
            print(f"# upkeep beside the drain: {stats['keyframes_written']} keyframes written, "
                  f"{stats['hours_compacted']} hours compacted by the last commit", flush=True)
    with sqlite3.connect(historian_path) as db:
        rows = db.execute(f"SELECT count(*) FROM telemetry WHERE ts_ms >= {compact_before_ms or 0}").fetchone()[0]
    return processed, elapsed, rows


class Runs:
    """Each run's figures, and how to drive one run."""

    def __init__(self, broker: Mosquitto, inventory: Inventory, ruleset: RuleSet, count: int, tmp: Path,
                 profiler: cProfile.Profile | None, compaction: tuple[list[Measurement], int] | None = None) -> None:
        self.compaction = compaction
        self.broker, self.inventory, self.ruleset, self.count, self.tmp = broker, inventory, ruleset, count, tmp
        self.profiler = profiler
        self.engine_rates: list[float] = []
        self.sub_rates: list[float] = []
        self.rows: list[int] = []
        self.transport_rates: list[float] = []

    def engine(self, run: int) -> tuple[float, float]:
        if self.profiler is not None:
            self.profiler.enable()
        path = self.tmp / f"run{run}.sqlite"
        before = prefill(path, *self.compaction) if self.compaction is not None else None
        try:
            processed, committed, rows = asyncio.run(time_engine_drain(
                self.broker.url, self.inventory, self.ruleset, self.count, path, before))
        finally:
            if self.profiler is not None:
                self.profiler.disable()
        self.rows.append(rows)
        self.engine_rates.append(self.count / committed)
        return processed, committed

    def sub(self) -> float:
        seconds = time_sub_drain(self.broker.port, SUB_ID, SUB_FILTER, self.count)
        self.sub_rates.append(self.count / seconds)
        return seconds

    def one(self, run: int, publisher: RawPublisher, messages: list[Message]) -> None:
        started = time.perf_counter()
        publisher.publish_all(messages)
        publish_s = time.perf_counter() - started
        if run % 2 == 0:
            sub_s = self.sub()
            processed, committed = self.engine(run)
        else:
            processed, committed = self.engine(run)
            sub_s = self.sub()
        transport_s = asyncio.run(time_transport_drain(self.broker.url, self.count))
        self.transport_rates.append(self.count / transport_s)
        print(f"# run {run + 1}: published in {publish_s:.2f} s; mosquitto_sub {sub_s:.2f} s; engine "
              f"{committed:.2f} s ({processed:.2f} s to process, then the historian's last commit); transport "
              f"alone {transport_s:.2f} s", flush=True)

    def report(self) -> None:
        transport_rate = statistics.median(self.transport_rates)
        engine_rate = statistics.median(self.engine_rates)
        sub_rate = statistics.median(self.sub_rates)
        ratios = [e / s for e, s in zip(self.engine_rates, self.sub_rates, strict=True)]
        print(f"messages={self.count}")
        print(f"engine_msgs_per_s={engine_rate:.0f}")
        print(f"mosquitto_sub_msgs_per_s={sub_rate:.0f}")
        print(f"ingest_ratio={engine_rate / sub_rate:.2f}")
        print(f"engine_msgs_per_s_runs={','.join(f'{r:.0f}' for r in self.engine_rates)}")
        print(f"mosquitto_sub_msgs_per_s_runs={','.join(f'{r:.0f}' for r in self.sub_rates)}")
        print(f"ingest_ratio_runs={','.join(f'{r:.2f}' for r in ratios)}")
        print(f"transport_only_msgs_per_s={transport_rate:.0f} (our MQTT client alone, nothing done with the messages)")
        print(f"historian_rows_runs={','.join(map(str, self.rows))} (expected {self.count} each)")


async def time_transport_drain(url: str, count: int) -> float:
    """Seconds for our MQTT transport alone to take ``count`` messages: the client's share of the engine's time.

    The benchmark's own objects (the inventory, the prepared messages) are frozen out of the garbage
    collector first: a full collection over them is not the client's cost.
    """
    gc.collect()
    gc.freeze()
    try:
        return await _drain(url, count)
    finally:
        gc.unfreeze()


async def _drain(url: str, count: int) -> float:
    started = time.perf_counter()
    async with MqttTransport(BrokerSettings.from_url(url), TRANSPORT_ID, persistent=True) as link:
        taken = 0
        async for batch in link.batches():
            taken += len(batch)
            if taken >= count:
                break
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--messages", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--profile", type=Path, help="write a cProfile of the engine drains to this file")
    parser.add_argument("--with-compaction", action="store_true", help="compact closed hours during each drain")
    parser.add_argument("--compaction-hours", type=int, default=2)
    args = parser.parse_args()

    inventory = dijon()
    ruleset = rules([DEFAULT_RULES])
    readings = city_readings(inventory, args.messages)
    messages = telemetry(readings)
    compaction = (readings, args.compaction_hours) if args.with_compaction else None
    profiler = cProfile.Profile() if args.profile else None
    with Mosquitto() as broker, tempfile.TemporaryDirectory(prefix="hv-bench-") as tmp:
        register_sub_session(broker.port, SUB_ID, SUB_FILTER)
        asyncio.run(register_engine_session(broker.url, ENGINE_ID, engine_filters(inventory)))
        asyncio.run(register_engine_session(broker.url, TRANSPORT_ID, [SUB_FILTER]))
        runs = Runs(broker, inventory, ruleset, args.messages, Path(tmp), profiler, compaction)
        publisher = RawPublisher(broker.port)
        try:
            for run in range(args.runs):
                runs.one(run, publisher, messages)
        finally:
            publisher.close()
    if profiler is not None:
        profiler.dump_stats(args.profile)
    runs.report()


if __name__ == "__main__":
    main()
