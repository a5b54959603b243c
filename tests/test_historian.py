"""The historian keeps what the engine hands it, and reads it back for the console, the engine and replay."""

from __future__ import annotations

import logging
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import pytest

import hypervisor.historian.reader as reader_module
from feeds.model import Measurement, StatusUpdate
from feeds.rejection import Reason, Rejection
from hypervisor.historian import schema
from hypervisor.historian.quarantine import QuarantineBudget
from hypervisor.historian.reader import HistorianReader
from hypervisor.historian.schema import SCHEMA_VERSION, SchemaTooNewError, applied_migrations
from hypervisor.historian.writer import Historian

T0 = 1_735_689_600_000  # 2025-01-01T00:00:00Z


def wait_until(predicate: Callable[[], bool], timeout_s: float = 5.0) -> None:
    deadline = time.monotonic() + timeout_s
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        time.sleep(0.005)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "history.db"


@pytest.fixture
def historian(db_path: Path) -> Iterator[Historian]:
    h = Historian(db_path, flush_interval_s=60)
    h.start()
    yield h
    h.close()


@pytest.fixture
def reader(historian: Historian, db_path: Path) -> Iterator[HistorianReader]:
    r = HistorianReader(db_path)
    yield r
    r.close()


def luminaire(asset_id: str, ts_ms: int, power_w: float, on: bool = True) -> Measurement:
    return Measurement(asset_id, "lighting", ts_ms, {"on": on, "dim_pct": 80.0, "power_w": power_w,
                                                     "fault": False})


def event(alarm_id: str, ts_ms: int, to_state: str, **extra: object) -> dict[str, object]:
    rule_id, asset_id = alarm_id.split(":")
    return {"ts_ms": ts_ms, "alarm_id": alarm_id, "rule_id": rule_id, "asset_id": asset_id,
            "priority": "high", "from_state": "normal", "to_state": to_state, "value": 1.2, "user": None,
            "console": None, "comment": None, "request_id": None, **extra}


def test_schema_is_created_once_and_versioned(db_path: Path) -> None:
    for _ in range(2):
        h = Historian(db_path)
        h.start()
        h.close()
    conn = sqlite3.connect(db_path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    names = [r[0] for r in conn.execute("SELECT name FROM _sqlite_migrations")]
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    conn.close()
    migrations = ["m001_tables", "m002_telemetry_by_hour", "m003_quarantine_digest", "m004_compacted_history"]
    assert names == migrations
    assert {"telemetry", "status", "alarm_events", "alarms", "actions", "quarantine", "sessions",
            "telemetry_blocks", "keyframes"} <= tables
    assert "rejections" not in tables
    from sqlite_utils import Database
    with Database(db_path) as db:
        assert applied_migrations(db) == migrations


def test_a_file_from_a_newer_historian_is_refused(db_path: Path) -> None:
    h = Historian(db_path)
    h.start()
    h.close()
    conn = sqlite3.connect(db_path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(SchemaTooNewError):
        Historian(db_path).start()
    with pytest.raises(SchemaTooNewError):
        HistorianReader(db_path)


def test_reader_needs_an_existing_file(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        HistorianReader(tmp_path / "missing.db")
    assert not (tmp_path / "missing.db").exists()


def test_telemetry_round_trips(historian: Historian, reader: HistorianReader) -> None:
    historian.add_measurements([luminaire("L-1", T0 + i * 1000, 50.0 + i, on=i % 2 == 0) for i in range(5)])
    historian.add_measurements([luminaire("L-2", T0, 10.0),
                                Measurement("C-1", "lighting", T0, {"mains": True, "mode": "auto"})])
    historian.flush()

    rows = reader.telemetry("L-1", T0 + 1000, T0 + 4000)
    assert [ts for ts, _ in rows] == [T0 + 1000, T0 + 2000, T0 + 3000]
    assert rows[0][1] == {"on": False, "dim_pct": 80.0, "power_w": 51.0, "fault": False}
    assert reader.telemetry("L-1", T0, metric="on")[:2] == [(T0, {"on": True}), (T0 + 1000, {"on": False})]

    ts, power = reader.metric_series("L-1", "power_w", T0)
    assert ts.dtype == np.int64 and power.dtype == np.float64
    assert power.tolist() == [50.0, 51.0, 52.0, 53.0, 54.0]
    assert reader.metric_series("L-1", "on", T0)[1].tolist() == [1.0, 0.0, 1.0, 0.0, 1.0]
    assert len(reader.metric_series("C-1", "mode", T0)[0]) == 0

    frame = reader.telemetry_frame(T0, T0 + 1, asset_ids=["L-2", "C-1"])
    assert list(frame.columns) == ["ts_ms", "asset_id", "metric", "value"]
    assert sorted(zip(frame.asset_id, frame.metric, frame.value, strict=True)) == [
        ("C-1", "mains", 1.0), ("L-2", "dim_pct", 80.0), ("L-2", "fault", 0.0), ("L-2", "on", 1.0),
        ("L-2", "power_w", 10.0)]
    assert len(reader.telemetry_frame(T0, T0 + 10_000)) == 5 * 4 + 4 + 1
    power = reader.telemetry_frame(T0, T0 + 10_000, metrics=["power_w"])
    assert set(power.metric) == {"power_w"} and len(power) == 6


def test_awkward_values_are_stored_exactly(historian: Historian, reader: HistorianReader, db_path: Path) -> None:
    """Telemetry and status go in as one JSON document per transaction: nothing may be lost in the trip."""
    metrics = {"note": 'quai "Nord" \\ façade ✓', "big": 2**62 + 1, "third": 1 / 3, "tiny": 5e-324,
               "on": True, "off": False}
    historian.add_measurements([Measurement("L-é'1", "lighting", T0, metrics)])
    historian.add_status([StatusUpdate("L-é'1", "lighting", T0, False)])
    historian.flush()
    assert reader.telemetry("L-é'1", T0) == [(T0, metrics)]
    assert reader.status("L-é'1", T0) == [(T0, False)]
    with sqlite3.connect(db_path) as db:
        assert db.execute("SELECT typeof(ts_ms), typeof(asset_id), typeof(metrics) FROM telemetry").fetchall() == [
            ("integer", "text", "text")]
        assert db.execute("SELECT typeof(online) FROM status").fetchall() == [("integer",)]


HOUR = 3_600_000


def test_an_assets_window_across_hours_has_every_row_and_only_its_own(historian: Historian,
                                                                     reader: HistorianReader) -> None:
    times = [T0 - 1, T0, T0 + HOUR - 1, T0 + HOUR, T0 + 3 * HOUR + 5, T0 + 30 * HOUR]
    historian.add_measurements([luminaire("L-1", ts, float(n)) for n, ts in enumerate(times)])
    historian.add_measurements([luminaire("L-2", ts, -1.0) for ts in times])
    historian.flush()
    assert [ts for ts, _ in reader.telemetry("L-1", T0, T0 + 3 * HOUR + 6)] == times[1:5]
    assert [ts for ts, _ in reader.telemetry("L-1", 0)] == times
    assert [ts for ts, _ in reader.telemetry("L-1", T0 + HOUR, T0 + HOUR)] == []
    assert reader.metric_series("L-1", "power_w", T0 + HOUR)[1].tolist() == [3.0, 4.0, 5.0]
    assert reader.telemetry("L-9", 0) == [] and reader.telemetry("L-1", T0 + 31 * HOUR) == []


def test_an_assets_window_is_read_through_the_hour_index(historian: Historian, db_path: Path) -> None:
    historian.add_measurements([luminaire("L-1", T0, 1.0)])
    historian.flush()
    with sqlite3.connect(db_path) as db:
        plan = " ".join(row[-1] for row in db.execute(
            "EXPLAIN QUERY PLAN " + reader_module._ASSET_WINDOW.format(select="ts_ms, metrics", where=""),
            {"first": 0, "last": 1, "asset": "L-1", "since": 0, "until": 1}))
    assert "USING INDEX idx_telemetry_hour_asset_id_ts_ms" in plan, plan


def test_a_version_1_file_is_migrated_and_keeps_its_telemetry(db_path: Path) -> None:
    first = Historian(db_path)
    first.start()
    first.add_measurements([luminaire("L-1", T0 + n * HOUR, float(n)) for n in range(3)])
    first.close()
    with sqlite3.connect(db_path) as db:  # back to what a version 1 historian left
        db.execute("DROP INDEX idx_telemetry_hour_asset_id_ts_ms")
        db.execute("CREATE INDEX idx_telemetry_asset_id_ts_ms ON telemetry (asset_id, ts_ms)")
        db.execute("DELETE FROM _sqlite_migrations WHERE name = 'm002_telemetry_by_hour'")
        db.execute("PRAGMA user_version = 1")
    again = Historian(db_path)
    again.start()
    again.close()
    with sqlite3.connect(db_path) as db:
        indexes = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE tbl_name = 'telemetry'")}
        assert db.execute("PRAGMA user_version").fetchone()[0] == 2
    assert "idx_telemetry_hour_asset_id_ts_ms" in indexes and "idx_telemetry_asset_id_ts_ms" not in indexes
    reader = HistorianReader(db_path)
    try:
        assert [m["power_w"] for _, m in reader.telemetry("L-1", T0, T0 + 3 * HOUR)] == [0.0, 1.0, 2.0]
    finally:
        reader.close()


def test_status_round_trips(historian: Historian, reader: HistorianReader) -> None:
    historian.add_status([StatusUpdate("W-P-012", "water", T0, False),
                          StatusUpdate("W-P-012", "water", T0 + 60_000, True)])
    historian.flush()
    assert reader.status("W-P-012", T0) == [(T0, False), (T0 + 60_000, True)]


def test_rejections_are_digested_by_reason_and_asset_or_topic(historian: Historian,
                                                              reader: HistorianReader) -> None:
    sample_bytes = historian._quarantine.budget.sample_bytes
    big = b"x" * (sample_bytes * 3)
    historian.add_rejection(Rejection(T0, "hv/v1/lighting/L-1/telemetry", b"{not json", Reason.BAD_JSON,
                                      "expecting value", "L-1"))
    historian.add_rejection(Rejection(T0 + 1, "hv/v1/water/W-9/telemetry", big, Reason.OVERSIZE, "too big"))
    historian.add_rejection(Rejection(T0 + 2, "hv/v1/water/W-9/telemetry", b"{}", Reason.BAD_JSON, "x"))
    historian.add_rejection(Rejection(T0 + 3, "hv/v1/lighting/L-1/telemetry", b"{nope", Reason.BAD_JSON,
                                      "expecting value again", "L-1"))
    historian.flush()

    lamp, topic, oversize = reader.rejections()
    assert lamp == {"reason": "bad_json", "key": "L-1", "topic": "hv/v1/lighting/L-1/telemetry", "asset_id": "L-1",
                    "count": 2, "first_ms": T0, "last_ms": T0 + 3, "detail": "expecting value again",
                    "sample": b"{nope", "sample_size": 5}
    assert (topic["key"], topic["count"], topic["asset_id"]) == ("hv/v1/water/W-9/telemetry", 1, None)
    assert len(oversize["sample"]) == sample_bytes and oversize["sample_size"] == len(big)
    assert reader.rejection_counts() == {"bad_json": 3, "oversize": 1}


def stored_quarantine(db_path: Path) -> tuple[dict[tuple[str, str], dict], dict[str, int]]:
    """The digest's entries by (reason, key), and the messages counted per reason."""
    reader = HistorianReader(db_path)
    try:
        return {(r["reason"], r["key"]): r for r in reader.rejections()}, reader.rejection_counts()
    finally:
        reader.close()


def test_the_quarantine_keeps_its_budget_and_counts_the_rest_as_other(db_path: Path) -> None:
    budget = QuarantineBudget(max_keys=3, sample_bytes=4, detail_chars=10)
    for _ in range(2):  # the budget holds across a restart, and counts go on
        historian = Historian(db_path, quarantine=budget)
        historian.start()
        for n in range(10):
            historian.add_rejection(Rejection(T0 + n, f"hv/v1/waste/X-{n}/telemetry", b"0123456789",
                                              Reason.UNKNOWN_ASSET, "no asset " * 5, f"X-{n}"))
        historian.add_rejection(Rejection(T0 + 10, "hv/v1/nowhere", b"{}", Reason.UNKNOWN_TOPIC, "no decoder"))
        historian.close()
    rows, counts = stored_quarantine(db_path)
    assert set(rows) == {("unknown_asset", "X-0"), ("unknown_asset", "X-1"), ("unknown_asset", "X-2"),
                         ("unknown_asset", "*"), ("unknown_topic", "*")}
    assert rows["unknown_asset", "*"]["count"] == 14 and rows["unknown_asset", "X-1"]["count"] == 2
    assert rows["unknown_asset", "*"]["asset_id"] == "X-9"
    assert (rows["unknown_asset", "X-0"]["sample"], rows["unknown_asset", "X-0"]["detail"]) == (b"0123", "no asset n")
    assert counts == {"unknown_asset": 20, "unknown_topic": 2}


def test_a_version_2_quarantine_is_folded_into_the_digest(db_path: Path) -> None:
    from sqlite_utils import Database

    with Database(db_path) as db:  # what a version 2 historian left: one row per rejected message
        schema.migrations.apply(db, stop_before="m003_quarantine_digest")
        rows = [(T0 + n, f"hv/v1/water/W-{n % 3}/telemetry", "unknown_asset", "no asset", f"W-{n % 3}",
                 b"x" * 5000, 5000) for n in range(30)]
        rows.append((T0 + 99, "hv/v1/bad", "unknown_topic", "no decoder", None, b"{}", 2))
        db.conn.executemany("INSERT INTO rejections (received_ms, topic, reason, detail, asset_id, payload,"
                            " payload_size) VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
        db.conn.commit()
    historian = Historian(db_path)
    historian.start()
    historian.close()
    digest, counts = stored_quarantine(db_path)
    assert counts == {"unknown_asset": 30, "unknown_topic": 1}
    w0 = digest["unknown_asset", "W-0"]
    assert (w0["count"], w0["first_ms"], w0["last_ms"], w0["sample_size"]) == (10, T0, T0 + 27, 5000)
    assert len(w0["sample"]) == QuarantineBudget().sample_bytes
    assert digest["unknown_topic", "hv/v1/bad"]["count"] == 1


def test_alarm_events_newest_first_and_filtered(historian: Historian, reader: HistorianReader) -> None:
    historian.add_alarm_events([event("pressure_lo:W-P-012", T0, "unack", extra_field=[1, 2]),
                                event("pressure_lo:W-P-012", T0 + 5_000, "acked", user="alice"),
                                event("fault:L-1", T0 + 1_000, "unack")])
    historian.flush()

    everything = reader.alarm_events()
    assert [e["ts_ms"] for e in everything] == [T0 + 5_000, T0 + 1_000, T0]
    assert everything[-1] == event("pressure_lo:W-P-012", T0, "unack", extra_field=[1, 2])
    assert [e["to_state"] for e in reader.alarm_events(asset_id="W-P-012")] == ["acked", "unack"]
    recent = reader.alarm_events(alarm_id="pressure_lo:W-P-012", since_ms=T0 + 1)
    assert [e["user"] for e in recent] == ["alice"]
    assert len(reader.alarm_events(limit=1)) == 1


def test_alarm_records_are_upserted_and_deleted_on_normal(historian: Historian,
                                                          reader: HistorianReader) -> None:
    historian.put_alarm_records([{"alarm_id": "a:1", "state": "unack", "changed_ms": T0, "value": 1},
                                 {"alarm_id": "b:2", "state": "unack", "changed_ms": T0 + 1}])
    historian.put_alarm_records([{"alarm_id": "a:1", "state": "acked", "changed_ms": T0 + 2, "user": "bob"}])
    historian.flush()
    assert reader.alarm_records() == [
        {"alarm_id": "b:2", "state": "unack", "changed_ms": T0 + 1},
        {"alarm_id": "a:1", "state": "acked", "changed_ms": T0 + 2, "user": "bob"}]

    historian.put_alarm_records([{"alarm_id": "b:2", "state": "normal", "changed_ms": T0 + 3}])
    historian.flush()
    assert [r["alarm_id"] for r in reader.alarm_records()] == ["a:1"]

    historian.put_alarm_records([{"alarm_id": "a:1", "state": "normal", "changed_ms": T0 + 4},
                                 {"alarm_id": "c:3", "state": "rtn_unack", "changed_ms": T0 + 5}])
    historian.flush()
    assert reader.alarm_records() == [{"alarm_id": "c:3", "state": "rtn_unack", "changed_ms": T0 + 5}]


def test_actions_include_refused_commands(historian: Historian, reader: HistorianReader) -> None:
    historian.add_action(T0, "alice", "desk-1", "ack", "a:1", None, "r1", True, None)
    historian.add_action(T0 + 1, "bob", "wall", "shelve", "a:1", "works planned", "r2", False,
                         "not_permitted")
    historian.add_action(T0 + 2, "bob", "wall", "ack", "b:2", None, "r3", True, None)
    historian.flush()
    refused, accepted = reader.actions(alarm_id="a:1")
    assert refused == {"ts_ms": T0 + 1, "user": "bob", "console": "wall", "verb": "shelve", "alarm_id": "a:1",
                       "comment": "works planned", "request_id": "r2", "ok": False, "reason": "not_permitted"}
    assert accepted["ok"] is True and accepted["user"] == "alice"
    assert [a["request_id"] for a in reader.actions()] == ["r3", "r2", "r1"]


def test_sessions_start_and_end(historian: Historian, reader: HistorianReader) -> None:
    first = historian.start_session("engine", {"broker": "bus://"}, started_ms=T0)
    second = historian.start_session("training", {"scenario": "flood"}, started_ms=T0 + 1)
    historian.end_session(first, ended_ms=T0 + 10)
    assert second != first
    assert reader.sessions() == [
        {"id": second, "kind": "training", "started_ms": T0 + 1, "ended_ms": None,
         "info": {"scenario": "flood"}},
        {"id": first, "kind": "engine", "started_ms": T0, "ended_ms": T0 + 10, "info": {"broker": "bus://"}}]
    assert [s["id"] for s in reader.sessions(kind="engine")] == [first]


def test_nothing_is_visible_before_flush_everything_after(historian: Historian,
                                                          reader: HistorianReader) -> None:
    historian.add_measurements([luminaire("L-1", T0, 40.0)])
    assert historian.stats["queue_len"] == 1
    assert reader.telemetry("L-1", T0) == []
    historian.flush()
    assert len(reader.telemetry("L-1", T0)) == 1
    assert historian.stats["queue_len"] == 0
    assert historian.stats["rows_written"] == 1 and historian.stats["flushes"] == 1
    historian.flush()
    assert historian.stats["flushes"] == 1


def test_a_full_batch_is_written_without_waiting_for_the_interval(db_path: Path) -> None:
    h = Historian(db_path, flush_interval_s=60, max_batch=100)
    h.start()
    try:
        h.add_measurements([luminaire(f"L-{i}", T0, 1.0) for i in range(250)])
        wait_until(lambda: h.stats["rows_written"] == 250)
        assert h.stats["flushes"] == 1
    finally:
        h.close()


def test_adds_from_many_threads_are_all_kept(historian: Historian, reader: HistorianReader) -> None:
    def feed(asset_id: str) -> None:
        for k in range(0, 2_000, 100):
            historian.add_measurements([luminaire(asset_id, T0 + k + i, 1.0) for i in range(100)])

    threads = [threading.Thread(target=feed, args=(f"L-{n}",)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    historian.flush()
    assert [len(reader.telemetry(f"L-{n}", T0)) for n in range(4)] == [2_000] * 4


def test_close_writes_what_is_queued_and_is_idempotent(db_path: Path) -> None:
    h = Historian(db_path, flush_interval_s=60)
    h.start()
    h.add_measurements([luminaire("L-1", T0, 40.0)])
    h.close()
    h.close()
    with pytest.raises(RuntimeError):
        h.add_measurements([luminaire("L-1", T0 + 1, 40.0)])
    reader = HistorianReader(db_path)
    assert len(reader.telemetry("L-1", T0)) == 1
    reader.close()
    Historian(db_path).close()


def test_bad_values_are_dropped_alone_and_the_writer_goes_on(historian: Historian, reader: HistorianReader,
                                                            caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.ERROR)
    historian.add_measurements([luminaire("L-1", T0, 1.0),
                                Measurement(None, "lighting", T0, {"on": True}),  # type: ignore[arg-type]
                                luminaire("L-1", T0 + 1, 2.0)])
    historian.add_alarm_events([{"ts_ms": T0, "rule_id": "no alarm id"}, event("fault:L-1", T0, "unack")])
    historian.flush()
    assert [m["power_w"] for _, m in reader.telemetry("L-1", T0)] == [1.0, 2.0]
    assert len(reader.alarm_events()) == 1
    assert historian.stats["write_errors"] == 2 and historian.stats["rows_dropped"] == 2
    assert "telemetry" in caplog.text and "alarm_events" in caplog.text

    historian.add_measurements([luminaire("L-1", T0 + 2, 3.0)])
    historian.flush()
    assert len(reader.telemetry("L-1", T0)) == 3


def test_a_locked_database_delays_the_batch_but_loses_nothing(db_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(schema, "BUSY_TIMEOUT_MS", 20)
    h = Historian(db_path, flush_interval_s=0.01)
    h.start()
    blocker = sqlite3.connect(db_path, isolation_level=None)
    try:
        blocker.execute("BEGIN IMMEDIATE")
        h.add_measurements([luminaire("L-1", T0 + i, 1.0) for i in range(10)])
        wait_until(lambda: h.stats["write_errors"] >= 1)
        with pytest.raises(TimeoutError):
            h.flush(timeout_s=0.05)
        assert h.stats["queue_len"] == 10
        blocker.execute("COMMIT")
        h.flush()
        assert h.stats["rows_written"] == 10 and h.stats["rows_dropped"] == 0
    finally:
        blocker.close()
        h.close()
    reader = HistorianReader(db_path)
    assert len(reader.telemetry("L-1", T0)) == 10
    reader.close()


def test_reader_works_from_another_thread(historian: Historian, reader: HistorianReader) -> None:
    historian.add_measurements([luminaire("L-1", T0, 5.0)])
    historian.flush()
    seen: list[int] = []
    worker = threading.Thread(target=lambda: seen.append(len(reader.telemetry("L-1", T0))))
    worker.start()
    worker.join()
    assert seen == [1]
