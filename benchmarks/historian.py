"""Historian benchmark: writing a backlog into an empty historian, and into one that already holds history.

A deployed historian keeps weeks of telemetry; a write path that slows down as the history grows would
show only there. The same 100,000 realistic measurements (what the simulated city reports in about half
an hour) are written through ``Historian`` into a fresh file, then into a file already holding
``--history`` hours of the city before them, each hour being those measurements shifted back in time.

    python -m benchmarks.historian [--history 30] [--runs 3]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from benchmarks.common import city_readings, dijon
from feeds.model import Measurement
from hypervisor.historian.writer import Historian

HOUR_MS = 3_600_000


def shifted(readings: list[Measurement], hours: int) -> list[Measurement]:
    return [Measurement(r.asset_id, r.domain, r.ts_ms + hours * HOUR_MS, r.metrics) for r in readings]


def write(path: Path, readings: list[Measurement]) -> float:
    """Seconds to queue ``readings`` and have them committed (the insert path alone: no upkeep running)."""
    historian = Historian(path, history=None)
    historian.start()
    try:
        started = time.perf_counter()
        historian.add_measurements(readings)
        historian.flush(120)
        return time.perf_counter() - started
    finally:
        historian.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--history", type=int, default=30, help="hours of history written first")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    readings = city_readings(dijon(), 100_000)
    empty: list[float] = []
    full: list[float] = []
    with tempfile.TemporaryDirectory(prefix="hv-bench-") as tmp:
        for run in range(args.runs):
            empty.append(write(Path(tmp) / f"empty{run}.sqlite", readings))
        path = Path(tmp) / "history.sqlite"
        started = time.perf_counter()
        for hour in range(args.history, 0, -1):
            write(path, shifted(readings, -hour))
        print(f"# {args.history} hours of history ({args.history * len(readings)} rows) written in "
              f"{time.perf_counter() - started:.0f} s", flush=True)
        for run in range(args.runs):
            full.append(write(path, shifted(readings, run)))
    count = len(readings)
    print(f"rows={count}")
    print(f"insert_rows_per_s_empty={count / statistics.median(empty):.0f}")
    print(f"insert_rows_per_s_with_history={count / statistics.median(full):.0f}")
    print(f"history_rows={args.history * count}")
    print(f"with_history_to_empty_ratio={statistics.median(empty) / statistics.median(full):.2f}")


if __name__ == "__main__":
    main()
