"""Compaction keeps every reading exactly, readers see one history, retention drops only what is due."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from feeds.model import Measurement
from hypervisor.historian.compaction import compact
from hypervisor.historian.maintenance import run_once
from hypervisor.historian.reader import HistorianReader
from hypervisor.historian.schema import connect
from hypervisor.historian.settings import HistorySettings
from hypervisor.historian.writer import Historian

T0 = 1_735_689_600_000  # 2025-01-01T00:00:00Z
HOUR = 3_600_000
DAY = 24 * HOUR
SETTINGS = HistorySettings(pause_s=0)


def odd_values(n: int) -> dict[str, object]:
    """Metrics of every type, some missing, some changing type, some not decimals."""
    metrics: dict[str, object] = {"on": n % 3 == 0, "count": n * 7 - 50, "power_w": round(n * 0.1, 1),
                                  "ratio": n / 7, "mode": f"mode-{n % 4}", "big": 2**40 + n}
    if n % 5 == 0:
        metrics["note"] = None
    if n % 2:
        metrics["mixed"] = n if n % 4 == 1 else f"s{n}"
    else:
        metrics["mixed"] = float(n) + 0.5
    return metrics


def write_raw(path: Path, readings: list[Measurement]) -> None:
    historian = Historian(path, history=None)
    historian.start()
    historian.add_measurements(readings)
    historian.close()


def typed(rows: list[tuple[int, dict[str, object]]]) -> list[tuple[int, list[tuple[str, type, object]]]]:
    return [(ts, sorted((k, type(v), v) for k, v in m.items())) for ts, m in rows]


@pytest.fixture
def readings() -> list[Measurement]:
    # Three assets over four hours, a reading every 7 minutes, crossing every hour boundary.
    return [Measurement(f"A-{a}", "lighting", T0 + n * 420_000 + a, odd_values(n + a))
            for n in range(40) for a in range(3)]


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "history.db"


def compact_all(path: Path, settings: HistorySettings = SETTINGS) -> dict[str, object]:
    db = connect(path)
    try:
        return run_once(db, path, settings)
    finally:
        db.close()


def everything(path: Path) -> dict[str, object]:
    r = HistorianReader(path)
    try:
        return {a: typed(r.telemetry(a, 0)) for a in ("A-0", "A-1", "A-2")}
    finally:
        r.close()


def raw_hours(path: Path) -> set[int]:
    with sqlite3.connect(path) as db:
        return {h for (h,) in db.execute("SELECT DISTINCT ts_ms / 3600000 FROM telemetry")}


def test_compaction_round_trips_exact_values_and_types_across_hours(path: Path, readings: list[Measurement]) -> None:
    newest = Measurement("A-0", "lighting", T0 + 6 * HOUR, {"on": True})  # hour 6 is the current one
    write_raw(path, [*readings, newest])
    before = everything(path)
    done = compact_all(path)
    assert done["readings"] == len(readings)
    assert raw_hours(path) == {(T0 + 6 * HOUR) // HOUR}
    assert everything(path) == before
    r = HistorianReader(path)
    try:
        rows = r.telemetry("A-1", T0 + HOUR - 1, T0 + 2 * HOUR + 1)
        assert [ts for ts, _ in rows] == [m.ts_ms for m in readings
                                          if m.asset_id == "A-1" and T0 + HOUR - 1 <= m.ts_ms < T0 + 2 * HOUR + 1]
        assert r.telemetry("A-2", T0, metric="mode")[:2] == [(T0 + 2, {"mode": "mode-2"}),
                                                              (T0 + 420_002, {"mode": "mode-3"})]
        ts, values = r.metric_series("A-0", "on", T0)
        expected = [(m.ts_ms, float(m.metrics["on"])) for m in readings if m.asset_id == "A-0"]
        assert list(zip(ts.tolist(), values.tolist(), strict=True)) == [*expected, (T0 + 6 * HOUR, 1.0)]
        frame = r.telemetry_frame(T0, T0 + 6 * HOUR, asset_ids=["A-1"], metrics=["power_w", "count"])
        assert len(frame) == 2 * sum(1 for m in readings if m.asset_id == "A-1")
        assert frame["ts_ms"].is_monotonic_increasing
    finally:
        r.close()


def test_a_redelivered_reading_is_one_reading_raw_and_compacted(path: Path, readings: list[Measurement]) -> None:
    twice = readings[:10]
    write_raw(path, [*readings, *twice, Measurement("A-0", "lighting", T0 + 6 * HOUR, {"on": True})])
    r = HistorianReader(path)
    try:
        raw_view = r.telemetry("A-0", 0)
        assert len(raw_view) == len({m.ts_ms for m in readings if m.asset_id == "A-0"}) + 1
    finally:
        r.close()
    done = compact_all(path)
    assert done["duplicates"] == len(twice)
    assert everything(path)["A-0"] == typed(raw_view)
    with sqlite3.connect(path) as db:
        stored = db.execute("SELECT sum(readings) FROM telemetry_blocks").fetchone()[0]
    assert stored == len(readings)


def test_late_readings_of_a_compacted_hour_join_its_block(path: Path, readings: list[Measurement]) -> None:
    write_raw(path, [*readings, Measurement("A-0", "lighting", T0 + 6 * HOUR, {"on": True})])
    compact_all(path)
    late = Measurement("A-1", "lighting", T0 + 30 * 60_000 + 5, {"power_w": 12.5})
    write_raw(path, [late, Measurement("A-0", "lighting", T0 + 7 * HOUR, {"on": False})])
    compact_all(path)
    r = HistorianReader(path)
    try:
        assert (late.ts_ms, {"power_w": 12.5}) in r.telemetry("A-1", T0, T0 + HOUR)
    finally:
        r.close()


def test_hourly_rollups_serve_trends_over_weeks(path: Path) -> None:
    rows = [Measurement("P-1", "water", T0 + n * 600_000, {"pressure_bar": float(n % 6)}) for n in range(6 * 24 * 14)]
    write_raw(path, [*rows, Measurement("P-1", "water", T0 + 15 * DAY, {"pressure_bar": 1.0})])
    compact_all(path)
    r = HistorianReader(path)
    try:
        rollup = r.rollup_series("P-1", "pressure_bar", T0, T0 + 14 * DAY)
    finally:
        r.close()
    assert len(rollup.ts_ms) == 24 * 14
    assert np.all(rollup.min == 0) and np.all(rollup.max == 5) and np.all(rollup.mean == 2.5)
    assert np.all(rollup.last == 5) and np.all(rollup.count == 6)


def test_retention_drops_old_days_keeps_their_minute_rollups_and_nothing_else(path: Path) -> None:
    days = 6
    rows = [Measurement(f"P-{a}", "water", T0 + n * 1_800_000, {"pressure_bar": float(n)})
            for n in range(days * 48) for a in range(2)]
    write_raw(path, rows)
    compact_all(path, HistorySettings(pause_s=0, raw_retention_days=3, rollup_retention_days=4))
    newest = rows[-1].ts_ms
    cut_day = (newest - 3 * DAY) // DAY
    r = HistorianReader(path)
    try:
        kept = r.telemetry("P-0", 0)
        assert [ts for ts, _ in kept] == [m.ts_ms for m in rows if m.asset_id == "P-0" and m.ts_ms >= cut_day * DAY]
        minute = r.rollup_series("P-0", "pressure_bar", 0, resolution="minute")
        first_kept = (newest - 4 * DAY) // DAY * DAY
        dropped = [m for m in rows if m.asset_id == "P-0" and first_kept <= m.ts_ms < cut_day * DAY]
        compacted = [m for m in rows if m.asset_id == "P-0" and first_kept <= m.ts_ms < newest // HOUR * HOUR]
        assert minute.ts_ms.tolist() == [m.ts_ms for m in compacted]
        assert minute.last.tolist() == [m.metrics["pressure_bar"] for m in compacted]
        assert dropped and len(dropped) < len(compacted)
    finally:
        r.close()
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT min(day) FROM rollups WHERE resolution = 'hour'").fetchone()[0] == first_kept // DAY
        assert db.execute("SELECT min(day) FROM telemetry_blocks").fetchone()[0] == cut_day
        assert db.execute("SELECT count(*) FROM telemetry WHERE ts_ms < ?", [cut_day * DAY]).fetchone()[0] == 0


COMPACTOR = """
import sys
import hypervisor.historian.compaction as compaction
from hypervisor.historian.schema import connect

compaction.ASSETS_PER_TRANSACTION = 10
db = connect(sys.argv[1])
print("started", flush=True)
compaction.compact(db, int(sys.argv[2]), pause_s=0.05)
print("finished", flush=True)
"""


def test_a_compaction_killed_mid_way_loses_nothing_and_doubles_nothing(path: Path) -> None:
    assets = [f"L-{n}" for n in range(120)]
    rows = [Measurement(a, "lighting", T0 + minute * 60_000 + i, {"power_w": float(minute), "on": minute % 2 == 0})
            for minute in range(180) for i, a in enumerate(assets)]
    write_raw(path, rows)
    expected = {a: typed([(m.ts_ms, m.metrics) for m in rows if m.asset_id == a]) for a in assets}
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    child = subprocess.Popen([sys.executable, "-c", COMPACTOR, str(path), str(T0 + 3 * HOUR)],
                             stdout=subprocess.PIPE, text=True, env=env)
    try:
        assert child.stdout is not None and child.stdout.readline().strip() == "started"
        deadline = time.monotonic() + 60
        with sqlite3.connect(path, timeout=10) as db:
            while db.execute("SELECT count(*) FROM telemetry_blocks").fetchone()[0] < 15:
                assert time.monotonic() < deadline, "compaction never committed a batch"
                time.sleep(0.005)
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=30)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    assert child.returncode == -signal.SIGKILL
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        raw_left = db.execute("SELECT count(*) FROM telemetry").fetchone()[0]
    assert 0 < raw_left < len(rows), "the kill came mid-way"
    r = HistorianReader(path)
    try:
        assert {a: typed(r.telemetry(a, 0)) for a in assets} == expected
    finally:
        r.close()
    db = connect(path)
    try:
        compact(db, T0 + 3 * HOUR)
        assert db.execute("SELECT count(*) FROM telemetry").fetchone()[0] == 0
        assert db.execute("SELECT sum(readings) FROM telemetry_blocks").fetchone()[0] == len(rows)
    finally:
        db.close()
    r = HistorianReader(path)
    try:
        assert {a: typed(r.telemetry(a, 0)) for a in assets} == expected
    finally:
        r.close()


M004_TABLES = ("telemetry_blocks", "rollups", "asset_keys", "keyframes", "flood_changes", "documents",
               "documents_in_force")


def test_a_version_2_file_is_migrated_then_compacted_and_keyframed(path: Path, readings: list[Measurement]) -> None:
    write_raw(path, [*readings, Measurement("A-0", "lighting", T0 + 6 * HOUR, {"on": True})])
    with sqlite3.connect(path) as db:  # back to what a version 2 historian left
        for table in M004_TABLES:
            db.execute(f"DROP TABLE {table}")
        db.execute("DROP INDEX idx_status_ts_ms")
        db.execute("DELETE FROM _sqlite_migrations WHERE name = 'm004_compacted_history'")
        db.execute("PRAGMA user_version = 2")
        db.execute("INSERT INTO alarm_events (ts_ms, alarm_id, body) VALUES (?, 'r:A-0', ?)",
                   [T0 + 1, '{"ts_ms": 1, "alarm_id": "r:A-0", "to_state": "unack"}'])
    before = everything(path)
    compact_all(path)
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == 4
        # Every 5 minutes from the first reading's to the newest reading's, less the grace for late ones.
        assert db.execute("SELECT count(*) FROM keyframes").fetchone()[0] == 6 * 12 - 1
        assert db.execute("SELECT count(DISTINCT day) FROM telemetry_blocks").fetchone()[0] == 1
    assert everything(path) == before


def test_a_size_cap_drops_the_oldest_days_first_and_keeps_today(path: Path) -> None:
    rows = [Measurement(f"P-{a}", "water", T0 + n * 300_000, {"pressure_bar": float(n % 50)})
            for n in range(4 * 288) for a in range(40)]
    write_raw(path, rows)
    compact_all(path)
    with sqlite3.connect(path) as db:
        days_before = [d for (d,) in db.execute("SELECT DISTINCT day FROM telemetry_blocks ORDER BY day")]
        page = db.execute("PRAGMA page_size").fetchone()[0]
        used = (db.execute("PRAGMA page_count").fetchone()[0] - db.execute("PRAGMA freelist_count").fetchone()[0])
    assert len(days_before) == 4
    compact_all(path, HistorySettings(pause_s=0, size_cap_bytes=used * page - 1))
    with sqlite3.connect(path) as db:
        days_after = [d for (d,) in db.execute("SELECT DISTINCT day FROM telemetry_blocks ORDER BY day")]
        hour_rollup_days = {d for (d,) in db.execute("SELECT DISTINCT day FROM rollups WHERE resolution = 'hour'")}
    assert days_after == days_before[len(days_before) - len(days_after):] and len(days_after) < 4
    assert hour_rollup_days == set(days_before) - set(days_after)


def test_the_historians_upkeep_process_compacts_and_reports_while_writing(path: Path,
                                                                          readings: list[Measurement]) -> None:
    historian = Historian(path, history=HistorySettings(period_s=0.1, disk_budget_bytes=1000))
    historian.start()
    try:
        historian.add_measurements([*readings, Measurement("A-0", "lighting", T0 + 6 * HOUR, {"on": True})])
        historian.flush()
        deadline = time.monotonic() + 300
        while historian.stats["hours_compacted"] < 5:
            assert time.monotonic() < deadline, historian.stats
            time.sleep(0.05)
        stats = historian.stats
        assert stats["readings_compacted"] == len(readings) and stats["keyframes_written"] >= 70
        assert "over its budget" in stats["disk_warning"]
    finally:
        historian.close()
    assert everything(path)["A-1"] == typed([(m.ts_ms, m.metrics) for m in readings if m.asset_id == "A-1"])
