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
from feeds.inventory import Inventory
from feeds.mosquitto import Mosquitto

ENGINE_ID = "bench-engine"
SUB_ID = "bench-mosquitto-sub"
SUB_FILTER = "hv/v1/+/+/telemetry"


async def time_engine_drain(url: str, inventory: Inventory, ruleset: RuleSet, count: int,
                            historian_path: Path) -> tuple[float, int]:
    """Seconds from connecting to ``count`` messages committed, and the telemetry rows stored."""
    engine = build_engine(url, ENGINE_ID, inventory, ruleset, historian_path)
    historian = engine.historian
    assert historian is not None
    started = time.perf_counter()
    async with serving(engine):
        while engine.health.received < count:
            await asyncio.sleep(0.005)
        await asyncio.to_thread(historian.flush, 60)
        elapsed = time.perf_counter() - started
    with sqlite3.connect(historian_path) as db:
        rows = db.execute("SELECT count(*) FROM telemetry").fetchone()[0]
    return elapsed, rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--messages", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--profile", type=Path, help="write a cProfile of the engine drains to this file")
    args = parser.parse_args()
    count = args.messages

    inventory = dijon()
    ruleset = rules([DEFAULT_RULES])
    messages = telemetry(city_readings(inventory, count))
    profiler = cProfile.Profile() if args.profile else None
    engine_rates: list[float] = []
    sub_rates: list[float] = []
    row_counts: list[int] = []
    with Mosquitto() as broker, tempfile.TemporaryDirectory(prefix="hv-bench-") as tmp:
        register_sub_session(broker.port, SUB_ID, SUB_FILTER)
        asyncio.run(register_engine_session(broker.url, ENGINE_ID, engine_filters_for(inventory)))
        publisher = RawPublisher(broker.port)
        try:
            for run in range(args.runs):
                started = time.perf_counter()
                publisher.publish_all(messages)
                publish_s = time.perf_counter() - started
                historian_path = Path(tmp) / f"run{run}.sqlite"

                def engine_run(path: Path = historian_path) -> float:
                    if profiler is not None:
                        profiler.enable()
                    try:
                        seconds, rows = asyncio.run(time_engine_drain(broker.url, inventory, ruleset, count, path))
                    finally:
                        if profiler is not None:
                            profiler.disable()
                    row_counts.append(rows)
                    return seconds

                if run % 2 == 0:
                    sub_s = time_sub_drain(broker.port, SUB_ID, SUB_FILTER, count)
                    engine_s = engine_run()
                else:
                    engine_s = engine_run()
                    sub_s = time_sub_drain(broker.port, SUB_ID, SUB_FILTER, count)
                engine_rates.append(count / engine_s)
                sub_rates.append(count / sub_s)
                print(f"# run {run + 1}: published in {publish_s:.2f} s; mosquitto_sub {sub_s:.2f} s, "
                      f"engine {engine_s:.2f} s", flush=True)
        finally:
            publisher.close()
    if profiler is not None:
        profiler.dump_stats(args.profile)
    engine_rate = statistics.median(engine_rates)
    sub_rate = statistics.median(sub_rates)
    print(f"messages={count}")
    print(f"engine_msgs_per_s={engine_rate:.0f}")
    print(f"mosquitto_sub_msgs_per_s={sub_rate:.0f}")
    print(f"ingest_ratio={engine_rate / sub_rate:.2f}")
    print(f"engine_msgs_per_s_runs={','.join(f'{r:.0f}' for r in engine_rates)}")
    print(f"mosquitto_sub_msgs_per_s_runs={','.join(f'{r:.0f}' for r in sub_rates)}")
    print(f"ingest_ratio_runs={','.join(f'{e / s:.2f}' for e, s in zip(engine_rates, sub_rates, strict=True))}")
    print(f"historian_rows_runs={','.join(map(str, row_counts))} (expected {count} each)")


def engine_filters_for(inventory: Inventory) -> list[str]:
    from feeds.decoding import Decoder

    return engine_filters(Decoder(inventory))


if __name__ == "__main__":
    main()
