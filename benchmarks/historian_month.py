"""Historian over a month: size per reading, seek time of ``state_at``, and inserts beside the history.

Builds a month (``--days``) of the simulated Dijon (38,114 assets at their report periods, random faults
injected, the default rules running) straight into a historian through the bulk path: the simulator's
arrays go into day blocks, keyframes and rollups without a Python object per reading. The file is cached
between runs (``--cache``) and rebuilt with ``--rebuild``.

The rules see every reading of every asset kind except luminaires, whose readings (34,000 of the
city's 38,114 assets) reach them when a watched value (``on``, ``fault``) changed, when the luminaire is
under a fault, and at least every 100 minutes otherwise (their silence rule waits 2 hours). Every alarm
decision of the default rules is then the same, except that a silenced luminaire's alarm may come up to
100 minutes early.

    python -m benchmarks.historian_month [--days 30] [--seed 0] [--faults-per-hour 2] [--rebuild]
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np
from sqlite_utils import Database

from alerts import AlarmEngine, FloodDetector
from benchmarks.common import DEFAULT_RULES, city_readings, dijon, rules
from benchmarks.historian import write
from feeds.model import Measurement
from feeds.simulator import CitySimulator
from feeds.simulator.city import KindColumns
from hypervisor.historian.codec import decimals_of, encode_block
from hypervisor.historian.compaction import UPSERT_BLOCK
from hypervisor.historian.frames import Segment
from hypervisor.historian.keyframes import KeyframeWriter
from hypervisor.historian.rekey import needs_rekey, rekey
from hypervisor.historian.retention import used_bytes
from hypervisor.historian.rows import INSERT_EVENT, INSERT_FLOOD, _event_row
from hypervisor.historian.schema import DAY_MS, connect
from hypervisor.historian.settings import FULL_EVERY
from hypervisor.historian.timeline import Timeline
from hypervisor.runtime import settle_heap

START_MS = 1_736_121_600_000  # Monday 2025-01-06 00:00 UTC
STEP_MS = 300_000
HEARTBEAT_MS = 100 * 60_000
BUILD_VERSION = 3
LUMINAIRE_WATCHED = ("on", "fault")


def segment_of(count: int, parts: list[KindColumns]) -> Segment:
    """The step's readings of every kind as one time-ordered segment (asset keys = inventory indices)."""
    keys = np.empty(count, np.int64)
    ts = np.empty(count, np.int64)
    by_metric: dict[str, list[tuple[np.ndarray, np.ndarray]]] = {}
    for part in parts:
        keys[part.positions] = part.idx
        ts[part.positions] = part.t_ms
        for name, values in part.metrics.items():
            by_metric.setdefault(name, []).append((part.positions, values))
    columns: dict[str, tuple[np.ndarray, object]] = {}
    for name, pieces in by_metric.items():
        positions = np.concatenate([p for p, _ in pieces])
        order = np.argsort(positions, kind="stable")
        present = np.zeros(count, bool)
        present[positions] = True
        if len({v.dtype for _, v in pieces}) == 1:
            columns[name] = (present, np.concatenate([v for _, v in pieces])[order])
        else:
            listed = [x for _, v in pieces for x in v.tolist()]
            columns[name] = (present, [listed[i] for i in order.tolist()])
    return Segment.from_arrays(keys, ts, columns)


class RuleFeed:
    """Chooses the readings the rules see (see the module's docstring) and makes them Measurements."""

    def __init__(self, simulator: CitySimulator, size: int, ids: list[str], domains: list[str]) -> None:
        self.simulator = simulator
        self.ids, self.domains = ids, domains
        self.last_fed = np.full(size, -(2**62), np.int64)
        self.last_watched = {name: np.full(size, -1, np.int8) for name in LUMINAIRE_WATCHED}

    def readings(self, parts: list[KindColumns], after_ms: int, until_ms: int) -> list[Measurement]:
        faulted = self.simulator.assets_under_fault(after_ms, until_ms)
        chosen: list[tuple[np.ndarray, KindColumns, np.ndarray]] = []
        for part in parts:
            keep = np.ones(len(part.idx), bool)
            if part.kind == "luminaire":
                keep = (part.t_ms - self.last_fed[part.idx] >= HEARTBEAT_MS) | np.isin(part.idx, faulted)
                for name in LUMINAIRE_WATCHED:
                    value = part.metrics[name].astype(np.int8)
                    keep |= value != self.last_watched[name][part.idx]
                    self.last_watched[name][part.idx] = value
            self.last_fed[part.idx[keep]] = part.t_ms[keep]
            chosen.append((part.positions[keep], part, keep))
        out: list[tuple[int, Measurement]] = []
        for positions, part, keep in chosen:
            names = list(part.metrics)
            columns = zip(*(part.metrics[n][keep].tolist() for n in names), strict=True)
            out.extend((pos, Measurement(self.ids[i], self.domains[i], t, dict(zip(names, values, strict=True))))
                       for pos, i, t, values in zip(positions.tolist(), part.idx[keep].tolist(),
                                                    part.t_ms[keep].tolist(), columns, strict=True))
        out.sort(key=lambda item: item[0])
        return [m for _, m in out]


def write_day(db: Database, day_end_ms: int, parts: list[KindColumns]) -> KindColumns | None:
    """One block per asset from a day of one kind's readings (those before ``day_end_ms``); returns the rest."""
    idx = np.concatenate([p.idx for p in parts])
    ts = np.concatenate([p.t_ms for p in parts])
    names = list(parts[0].metrics)
    metrics = {n: np.concatenate([p.metrics[n] for p in parts]) for n in names}
    later = ts >= day_end_ms
    rest = None
    if later.any():
        rest = KindColumns(parts[0].kind, np.empty(0, np.int64), idx[later], ts[later],
                           {n: v[later] for n, v in metrics.items()})
        idx, ts, metrics = idx[~later], ts[~later], {n: v[~later] for n, v in metrics.items()}
    order = np.lexsort((ts, idx))
    idx, ts = idx[order], ts[order]
    metrics = {n: v[order] for n, v in metrics.items()}
    decimals = {n: decimals_of(v) for n, v in metrics.items() if v.dtype.kind == "f"}
    starts = np.flatnonzero(np.r_[True, idx[1:] != idx[:-1]])
    ends = np.r_[starts[1:], len(idx)]
    day = (day_end_ms - 1) // DAY_MS
    blocks = []
    for start, end in zip(starts.tolist(), ends.tolist(), strict=True):
        times = ts[start:end]
        columns = {n: (None, v[start:end]) for n, v in metrics.items()}
        blocks.append((IDS[int(idx[start])], day, int(times[0]), int(times[-1]), end - start,
                       encode_block(times, columns, decimals)))
    db.conn.executemany(UPSERT_BLOCK, blocks)
    return rest


IDS: list[str] = []


def build(path: Path, days: int, seed: int, faults_per_hour: float) -> dict[str, float]:
    inventory = dijon()
    IDS[:] = [a.id for a in inventory]
    domains = [a.domain for a in inventory]
    db = connect(path)
    db.execute("PRAGMA synchronous = OFF")
    with db.atomic():
        db.conn.executemany("INSERT INTO asset_keys (key, asset_id) VALUES (?, ?)", enumerate(IDS))
    simulator = CitySimulator(inventory, seed=seed, start_ms=START_MS)
    simulator.enable_random_faults(faults_per_hour)
    now = [START_MS]
    alarms = AlarmEngine(inventory, rules([DEFAULT_RULES]), lambda: now[0])
    floods = FloodDetector()
    feed = RuleFeed(simulator, len(IDS), IDS, domains)
    keyframes = KeyframeWriter(db)
    day_parts: dict[str, list[KindColumns]] = {}
    end_ms = START_MS + days * DAY_MS  # readings at exactly end_ms belong to the next day: no block holds them
    readings = events_count = 0
    started = time.perf_counter()
    previous = START_MS - 1
    while now[0] <= end_ms:
        count, parts = simulator.step_columns(now[0])
        readings += count
        events = alarms.on_readings(feed.readings(parts, previous, now[0])) + alarms.tick(now[0])
        changes = floods.observe(events) + floods.tick(now[0])
        bodies = [e.to_json() for e in events]
        flood_dicts = [{"ts_ms": now[0], "scope": c.scope, "active": c.active, "count": c.count,
                        "since_ms": c.since_ms} for c in changes]
        events_count += len(bodies)
        status = [(i, now[0], True) for i in range(len(IDS))] if previous < START_MS else []
        with db.atomic():
            db.conn.executemany(INSERT_EVENT, [_event_row(b) for b in bodies])
            db.conn.executemany(INSERT_FLOOD, [(f["ts_ms"], f["scope"], int(f["active"]), f["count"],
                                                f["since_ms"]) for f in flood_dicts])
            if status:
                db.conn.executemany("INSERT INTO status (ts_ms, asset_id, online) VALUES (?, ?, 1)",
                                    [(now[0], IDS[i]) for i, _, _ in status])
            keyframes.append(now[0], segment_of(count, parts), status, bodies, flood_dicts)
        for part in parts:
            day_parts.setdefault(part.kind, []).append(part)
        previous = now[0]
        now[0] += STEP_MS
        if previous % DAY_MS == 0 and previous > START_MS:
            with db.atomic():
                rests = {kind: write_day(db, previous, kind_parts) for kind, kind_parts in day_parts.items()}
            day_parts = {kind: [rest] for kind, rest in rests.items() if rest is not None}
            print(f"# day {(previous - START_MS) // DAY_MS}/{days}: {readings} readings, {events_count} alarm"
                  f" events, {time.perf_counter() - started:.0f} s", flush=True)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    return {"month_build_s": round(time.perf_counter() - started, 1), "readings": readings,
            "alarm_events": events_count}


def state_at_times(path: Path, days: int, samples: int = 100) -> tuple[list[float], list[float]]:
    """Wall and CPU milliseconds of ``state_at`` at random instants (CPU time says what a shared machine's
    wall time hides: the time the call waited for a core)."""
    rng = random.Random(1)
    timeline = Timeline(path)
    timeline.state_at(START_MS + DAY_MS // 2)  # warm the file cache and the asset ids
    settle_heap()  # as the console does once started: a full garbage collection walks only what is new
    wall, cpu = [], []
    try:
        for _ in range(samples):
            at = rng.randrange(START_MS, START_MS + days * DAY_MS)
            timeline.clear_cache()  # each instant from cold: no keyframe decoded for a previous one
            began, began_cpu = time.perf_counter(), time.thread_time()
            state = timeline.state_at(at)
            cpu.append((time.thread_time() - began_cpu) * 1000)
            wall.append((time.perf_counter() - began) * 1000)
            assert len(state.asset_ids) == len(IDS)
    finally:
        timeline.close()
    return wall, cpu


def insert_rates(path: Path, days: int, runs: int = 3) -> tuple[float, float]:
    """Rows per second written into an empty file and into the month, the new rows removed after."""
    readings = city_readings(dijon(), 100_000)
    shift = START_MS + days * DAY_MS + 3_600_000 - readings[0].ts_ms
    readings = [Measurement(r.asset_id, r.domain, r.ts_ms + shift, r.metrics) for r in readings]
    empty, full = [], []
    with tempfile.TemporaryDirectory(prefix="hv-bench-") as tmp:
        for run in range(runs):
            empty.append(write(Path(tmp) / f"empty{run}.sqlite", readings))
            full.append(write(path, readings))
            with Database(path) as db:
                db.execute("DELETE FROM telemetry WHERE ts_ms >= ?", [START_MS + days * DAY_MS])
                db.conn.commit()
    return len(readings) / statistics.median(empty), len(readings) / statistics.median(full)


def current_layout(path: Path) -> None:
    """Give a month cached by an earlier build the keyframes the upkeep writes now (``hypervisor historian
    rekey``: minutes, against the hours of a new build)."""
    db = connect(path)
    try:
        if needs_rekey(db, FULL_EVERY):
            started = time.perf_counter()
            result = rekey(db, FULL_EVERY)
            print(f"# keyframes of {path.name} rewritten: {result.keyframes} in {time.perf_counter() - started:.0f} s",
                  flush=True)
    finally:
        db.close()


def month_arguments(description: str | None) -> argparse.ArgumentParser:
    """The options that name a month in the cache, shared by the benchmarks that read one."""
    parser = argparse.ArgumentParser(description=description, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--faults-per-hour", type=float, default=2.0)
    parser.add_argument("--cache", type=Path, default=Path.home() / ".cache" / "hypervisor-bench")
    parser.add_argument("--rebuild", action="store_true")
    return parser


def month_name(days: int, seed: int, faults_per_hour: float) -> str:
    """What names one built month in the cache: its days, seed, faults and the build's version."""
    return f"{days}d-seed{seed}-f{faults_per_hour:g}-v{BUILD_VERSION}"


def cached_month(cache: Path, days: int, seed: int, faults_per_hour: float) -> tuple[Path, Path]:
    """The cached month's historian file and the JSON of its build figures (present once it is complete)."""
    stem = f"historian-{month_name(days, seed, faults_per_hour)}"
    return cache / f"{stem}.sqlite", cache / f"{stem}.json"


def main() -> None:
    args = month_arguments(__doc__).parse_args()
    args.cache.mkdir(parents=True, exist_ok=True)
    path, meta_path = cached_month(args.cache, args.days, args.seed, args.faults_per_hour)
    if args.rebuild or not meta_path.exists():
        for stale in (path, Path(f"{path}-wal"), Path(f"{path}-shm"), meta_path):
            stale.unlink(missing_ok=True)
        meta = build(path, args.days, args.seed, args.faults_per_hour)
        meta_path.write_text(json.dumps(meta))
    else:
        IDS[:] = [a.id for a in dijon()]
        meta = json.loads(meta_path.read_text())
        print(f"# cached file {path}", flush=True)
        current_layout(path)
    with Database(path) as db:
        stored = db.execute("SELECT sum(readings) FROM telemetry_blocks").fetchone()[0]
        sizes = dict(db.execute("SELECT name, sum(pgsize) FROM dbstat GROUP BY name").fetchall())
        # Pages in use: the insert measurement of an earlier run leaves free pages in the cached file.
        size = used_bytes(db)
    times, cpu_times = state_at_times(path, args.days)
    empty_rate, full_rate = insert_rates(path, args.days)
    for table in ("telemetry_blocks", "sqlite_autoindex_telemetry_blocks_1", "idx_telemetry_blocks_day", "keyframes",
                  "alarm_events"):
        print(f"# {table}: {sizes.get(table, 0) / stored:.2f} bytes per reading")
    print(f"history_days={args.days}")
    print(f"history_readings={stored}")
    print(f"alarm_events={meta['alarm_events']}")
    print(f"historian_bytes_per_reading={size / stored:.2f}")
    print(f"state_at_ms_p50={statistics.median(times):.1f}")
    print(f"state_at_ms_p99={np.percentile(times, 99):.1f}")
    print(f"state_at_cpu_ms_p50={statistics.median(cpu_times):.1f}")
    print(f"state_at_cpu_ms_p99={np.percentile(cpu_times, 99):.1f}")
    print(f"month_build_s={meta['month_build_s']}")
    print(f"insert_rows_per_s_with_history={full_rate:.0f}")
    print(f"insert_rows_per_s_empty={empty_rate:.0f}")


if __name__ == "__main__":
    main()
