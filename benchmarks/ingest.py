"""Ingest benchmark: the engine draining a QoS 1 backlog into the historian, against mosquitto_sub.

A private mosquitto queues the same backlog of realistic Dijon telemetry for two persistent sessions,
the engine's and mosquitto_sub's; each then connects and drains it. The engine's time runs from
connecting to the moment every message is decoded, evaluated by the default rules and committed in
the historian. Runs alternate which of the two goes first; the figures are medians.

    python -m benchmarks.ingest [--messages 100000] [--runs 3] [--profile out.prof]
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
from feeds.model import Message
from feeds.mosquitto import Mosquitto
from feeds.mqtt import MqttTransport

ENGINE_ID = "bench-engine"
SUB_ID = "bench-mosquitto-sub"
SUB_FILTER = "hv/v1/+/+/telemetry"
TRANSPORT_ID = "bench-transport-only"


async def time_engine_drain(url: str, inventory: Inventory, ruleset: RuleSet, count: int,
                            historian_path: Path) -> tuple[float, float, int]:
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
    with sqlite3.connect(historian_path) as db:
        rows = db.execute("SELECT count(*) FROM telemetry").fetchone()[0]
    return processed, elapsed, rows


class Runs:
    """Each run's figures, and how to drive one run."""

    def __init__(self, broker: Mosquitto, inventory: Inventory, ruleset: RuleSet, count: int, tmp: Path,
                 profiler: cProfile.Profile | None) -> None:
        self.broker, self.inventory, self.ruleset, self.count, self.tmp = broker, inventory, ruleset, count, tmp
        self.profiler = profiler
        self.engine_rates: list[float] = []
        self.sub_rates: list[float] = []
        self.rows: list[int] = []
        self.transport_rates: list[float] = []

    def engine(self, run: int) -> tuple[float, float]:
        if self.profiler is not None:
            self.profiler.enable()
        try:
            processed, committed, rows = asyncio.run(time_engine_drain(
                self.broker.url, self.inventory, self.ruleset, self.count, self.tmp / f"run{run}.sqlite"))
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
    args = parser.parse_args()

    inventory = dijon()
    ruleset = rules([DEFAULT_RULES])
    messages = telemetry(city_readings(inventory, args.messages))
    profiler = cProfile.Profile() if args.profile else None
    with Mosquitto() as broker, tempfile.TemporaryDirectory(prefix="hv-bench-") as tmp:
        register_sub_session(broker.port, SUB_ID, SUB_FILTER)
        asyncio.run(register_engine_session(broker.url, ENGINE_ID, engine_filters(inventory)))
        asyncio.run(register_engine_session(broker.url, TRANSPORT_ID, [SUB_FILTER]))
        runs = Runs(broker, inventory, ruleset, args.messages, Path(tmp), profiler)
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
