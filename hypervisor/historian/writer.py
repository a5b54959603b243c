"""The historian's writer: callers queue values cheaply, one thread commits them in batches.

``add_*`` only append to pending lists under a lock, so the asyncio engine never waits on the disk. The
writer thread swaps the lists out, then writes them with one ``executemany`` per table inside one
transaction per ``max_batch`` rows. A value that cannot be stored is logged and dropped alone; an error
of the database itself (locked, disk full, I/O) keeps the whole batch and retries it with a backoff.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from feeds.model import Measurement, StatusUpdate
from feeds.rejection import Rejection
from hypervisor.historian.documents import record_document
from hypervisor.historian.maintenance import Maintenance
from hypervisor.historian.quarantine import COLUMNS, DEFAULT_BUDGET, QuarantineBudget, QuarantineDigest
from hypervisor.historian.rows import Batch, TableWrite, chunks, describe, dumps, prepare
from hypervisor.historian.schema import connect
from hypervisor.historian.settings import DEFAULT_HISTORY, HistorySettings

log = logging.getLogger(__name__)

ROW_ERRORS = (sqlite3.IntegrityError, sqlite3.InterfaceError, sqlite3.DataError, sqlite3.ProgrammingError,
              OverflowError, TypeError, ValueError)
"""Errors caused by one row's content; any other error is the database's and keeps the batch for retry."""

MAX_BACKOFF_S = 5.0

Job = Callable[[Database], Any]


def _now_ms() -> int:
    return time.time_ns() // 1_000_000


class Historian:
    """Batched, crash-safe writer of telemetry, status, alarms, operator actions and the quarantine digest.

    Call :meth:`close` before the process exits: the writer is a daemon thread and values still queued
    are lost otherwise (committed ones never are).
    """

    def __init__(self, path: str | Path, flush_interval_s: float = 0.2, max_batch: int = 20_000,
                 quarantine: QuarantineBudget = DEFAULT_BUDGET,
                 history: HistorySettings | None = DEFAULT_HISTORY) -> None:
        """``history`` sets keyframes, compaction, retention and the disk budget, done in the background;
        None leaves the file raw (tools that only append)."""
        if flush_interval_s <= 0 or max_batch <= 0:
            raise ValueError("flush_interval_s and max_batch must be positive")
        self.path = Path(path)
        self._maintenance = Maintenance(self.path, history) if history is not None else None
        self.flush_interval_s = flush_interval_s
        self.max_batch = max_batch
        self._cond = threading.Condition()
        self._pending = Batch()
        self._jobs: list[tuple[Job, Future[Any]]] = []
        self._backlog: list[TableWrite] = []
        self._in_flight = 0  # rows the writer holds and has not committed: the batch and any backlog
        self._queued_seq = 0
        self._committed_seq = 0
        self._flush_requested = False
        self._stopping = False
        self._abandoned = False
        self._closed = False
        self._next_write = 0.0
        self._retry_at = 0.0
        self._failures = 0
        self._thread: threading.Thread | None = None
        self._commit_listeners: list[Callable[[int], None]] = []
        self._db: Database | None = None
        self._quarantine = QuarantineDigest(quarantine)
        self._stats = {"rows_written": 0, "flushes": 0, "last_flush_ms": None, "last_flush_duration_ms": None,
                       "write_errors": 0, "rows_dropped": 0}

    # -- lifecycle ---------------------------------------------------------------------------------------

    def start(self) -> None:
        """Open the file (creating or migrating it) and start the writer thread."""
        with self._cond:
            if self._thread is not None or self._closed:
                raise RuntimeError("historian already started or closed")
            self._db = connect(self.path)
            self._quarantine.load(self._db.execute(f"SELECT {', '.join(COLUMNS)} FROM quarantine").fetchall())
            self._next_write = time.monotonic() + self.flush_interval_s
            self._thread = threading.Thread(target=self._run, name="historian-writer", daemon=True)
            self._thread.start()
        if self._maintenance is not None:
            self._maintenance.start()

    def close(self, timeout_s: float = 10.0) -> None:
        """Write everything queued, stop the thread and close the file. Safe to call twice."""
        with self._cond:
            if self._closed:
                return
            self._closed = True
            self._stopping = True
            self._cond.notify_all()
            thread = self._thread
        if self._maintenance is not None:
            self._maintenance.stop()
        if thread is None:
            return
        thread.join(timeout_s)
        if thread.is_alive():
            with self._cond:
                unwritten = len(self._pending) + self._in_flight
                self._abandoned = True
                self._cond.notify_all()
            log.error("historian %s closed with %d rows unwritten after %.1f s of write errors",
                      self.path, unwritten, timeout_s)
            thread.join()

    def flush(self, timeout_s: float = 10) -> None:
        """Block until everything queued before this call is committed; TimeoutError otherwise."""
        with self._cond:
            if self._thread is None or self._abandoned:
                raise RuntimeError("historian is not running")
            ticket = self._queued_seq
            if self._committed_seq >= ticket:
                return
            self._flush_requested = True
            self._cond.notify_all()
            if not self._cond.wait_for(lambda: self._committed_seq >= ticket, timeout_s):
                raise TimeoutError(f"historian did not commit within {timeout_s} s "
                                   f"({self._stats['write_errors']} write errors so far)")

    # -- commit notification: what lets the engine acknowledge a message once it is stored -------------

    def ticket(self) -> int:
        """A number that :meth:`on_commit` listeners see reached once everything queued so far is committed."""
        with self._cond:
            return self._queued_seq

    @property
    def committed_ticket(self) -> int:
        with self._cond:
            return self._committed_seq

    def on_commit(self, listener: Callable[[int], None]) -> None:
        """Call ``listener(ticket)`` from the writer thread after each commit, with the ticket it reached."""
        with self._cond:
            self._commit_listeners.append(listener)

    def commit_soon(self) -> None:
        """Commit what is queued without waiting for the flush interval (returns at once)."""
        with self._cond:
            if self._committed_seq < self._queued_seq and not self._flush_requested:
                self._flush_requested = True
                self._cond.notify_all()

    @property
    def stats(self) -> dict[str, Any]:
        """Counters for engine health: rows_written, flushes, last_flush_ms (epoch ms of the last commit),
        last_flush_duration_ms, queue_len (rows not yet committed), write_errors, rows_dropped; and
        the upkeep's (``Maintenance.stats``): disk_bytes, disk_budget_bytes, disk_warning, ..."""
        upkeep = self._maintenance.stats if self._maintenance is not None else {}
        with self._cond:
            queued = len(self._pending) + self._in_flight
            return {**upkeep, **self._stats, "queue_len": queued}

    # -- queueing (any thread, no I/O) ---------------------------------------------------------------------

    def add_measurements(self, measurements: Sequence[Measurement]) -> None:
        """Queue telemetry, one row per measurement."""
        with self._cond:
            self._check_open()
            self._pending.measurements.extend(measurements)
            self._queued()

    def add_status(self, updates: Sequence[StatusUpdate]) -> None:
        """Queue device online/offline changes."""
        with self._cond:
            self._check_open()
            self._pending.status.extend(updates)
            self._queued()

    def add_rejection(self, rejection: Rejection) -> None:
        """Count a rejected message in the quarantine digest; its entry is written with the next flush."""
        with self._cond:
            self._check_open()
            key, row = self._quarantine.note(rejection)
            self._pending.quarantine[key] = row
            self._queued()

    @property
    def quarantine_stats(self) -> dict[str, Any]:
        """The quarantine digest's keys, budget and "other" counts per reason, for engine health."""
        with self._cond:
            return self._quarantine.stats()

    def add_alarm_events(self, events: Sequence[dict[str, Any]]) -> None:
        """Queue alarm transitions, each an event's ``to_json()`` dict."""
        with self._cond:
            self._check_open()
            self._pending.events.extend(events)
            self._queued()

    def put_alarm_records(self, records: Sequence[dict[str, Any]]) -> None:
        """Queue the current record of each alarm; a record in state ``normal`` deletes the stored one."""
        keyed = {record["alarm_id"]: record for record in records}
        with self._cond:
            self._check_open()
            self._pending.records.update(keyed)
            self._queued()

    def add_action(self, ts_ms: int, user: str | None, console: str | None, verb: str,
                   alarm_id: str | None, comment: str | None, request_id: str | None, ok: bool,
                   reason: str | None) -> None:
        """Queue an operator command and its outcome, refused ones included."""
        row = (ts_ms, user, console, verb, alarm_id, comment, request_id, int(bool(ok)), reason)
        with self._cond:
            self._check_open()
            self._pending.actions.append(row)
            self._queued()

    def add_flood_change(self, ts_ms: int, change: dict[str, Any]) -> None:
        """Queue an alarm flood starting or ending (``alerts.FloodChange`` as a dict), stamped by the engine."""
        row = (ts_ms, change["scope"], int(bool(change["active"])), int(change["count"]), change.get("since_ms"))
        with self._cond:
            self._check_open()
            self._pending.floods.append(row)
            self._queued()

    def record_document(self, kind: str, name: str, body: bytes, ts_ms: int | None = None) -> str:
        """Keep a rule file or inventory by content hash, in force from ``ts_ms``; returns the hash."""
        at = ts_ms if ts_ms is not None else _now_ms()
        return str(self._run_job(lambda db: record_document(db, at, kind, name, body)))

    def start_session(self, kind: str, info: dict[str, Any] | None = None,
                      started_ms: int | None = None) -> int:
        """Record the start of an engine, console or training session and return its id."""
        row = {"kind": kind, "started_ms": started_ms if started_ms is not None else _now_ms(),
               "ended_ms": None, "info": dumps(info or {})}
        return int(self._run_job(lambda db: db["sessions"].insert(row).last_pk))

    def end_session(self, session_id: int, ended_ms: int | None = None) -> None:
        """Record the end of a session started with :meth:`start_session`."""
        ended = ended_ms if ended_ms is not None else _now_ms()
        self._run_job(lambda db: db["sessions"].update(session_id, {"ended_ms": ended}))

    def _check_open(self) -> None:
        if self._closed:
            raise RuntimeError("historian is closed")

    def _queued(self) -> None:
        was_idle = self._queued_seq == self._committed_seq
        self._queued_seq += 1
        if was_idle or len(self._pending) >= self.max_batch:
            self._cond.notify_all()

    def _run_job(self, job: Job, timeout_s: float = 10.0) -> Any:
        future: Future[Any] = Future()
        with self._cond:
            self._check_open()
            if self._thread is None:
                raise RuntimeError("historian is not running")
            self._jobs.append((job, future))
            self._cond.notify_all()
        return future.result(timeout_s)

    # -- writer thread -------------------------------------------------------------------------------------

    def _run(self) -> None:
        assert self._db is not None
        try:
            while True:
                with self._cond:
                    while not self._should_write():
                        self._cond.wait(self._wait_s())
                    if self._abandoned or (self._stopping and self._idle()):
                        break
                    batch, seq = self._pending, self._queued_seq
                    self._in_flight = len(batch) + sum(len(w.rows) for w in self._backlog)
                    self._pending = Batch()
                    jobs, self._jobs = self._jobs, []
                    self._flush_requested = False
                    self._next_write = time.monotonic() + self.flush_interval_s
                try:
                    self._write_round(self._db, batch, seq)
                except Exception:  # the writer outlives any single batch
                    self._count(write_errors=1)
                    log.exception("historian writer failed on a batch of %d values", len(batch))
                self._run_jobs(self._db, jobs)
        finally:
            self._fail_jobs()
            self._db.close()

    def _idle(self) -> bool:
        return self._queued_seq == self._committed_seq and not self._jobs and not self._backlog

    def _should_write(self) -> bool:
        now = time.monotonic()
        if now < self._retry_at:
            return self._abandoned
        if self._jobs or self._stopping or self._abandoned:
            return True
        if self._idle():
            return False
        return self._flush_requested or len(self._pending) >= self.max_batch or now >= self._next_write

    def _wait_s(self) -> float | None:
        if self._idle() and not self._stopping:
            return None
        return max(0.0, max(self._retry_at, self._next_write) - time.monotonic())

    def _write_round(self, db: Database, batch: Batch, seq: int) -> None:
        started = time.monotonic()
        try:
            writes, bad = prepare(batch)
        except Exception:  # a bug in row building must not stop the writer
            log.exception("historian could not prepare a batch of %d values; they are lost", len(batch))
            writes, bad = [], len(batch)
        self._count(write_errors=bad, rows_dropped=bad, in_flight=-bad)
        pending = [*self._backlog, *writes]
        self._backlog = []
        parts = list(chunks(pending, self.max_batch))
        for index, part in enumerate(parts):
            try:
                written, dropped = self._commit(db, part)
            except Exception as exc:  # keep the rows, log, back off, retry
                self._backlog = [w for p in parts[index:] for w in p]
                self._back_off(exc, sum(len(w.rows) for w in self._backlog))
                return
            self._count(rows_written=written, write_errors=dropped, rows_dropped=dropped,
                        in_flight=-(written + dropped))
        with self._cond:
            self._failures = 0
            self._in_flight = 0
            self._committed_seq = seq
            self._stats["flushes"] += 1
            self._stats["last_flush_ms"] = _now_ms()
            self._stats["last_flush_duration_ms"] = round((time.monotonic() - started) * 1000, 3)
            self._cond.notify_all()
            listeners = list(self._commit_listeners)
        for listener in listeners:
            try:
                listener(seq)
            except Exception:  # a listener's bug must not stop the writer
                log.exception("historian commit listener %r failed", listener)

    def _commit(self, db: Database, part: list[TableWrite]) -> tuple[int, int]:
        """Write one transaction; on a row error, write it again row by row without the bad rows."""
        try:
            with db.atomic():
                for write in part:
                    if write.bulk_sql is None:
                        db.conn.executemany(write.sql, write.rows)
                    else:
                        db.conn.execute(write.bulk_sql, (write.bulk_json(),))
            return sum(len(w.rows) for w in part), 0
        except ROW_ERRORS:
            pass
        written = dropped = 0
        with db.atomic():
            for write in part:
                for row in write.rows:
                    try:
                        db.conn.execute(write.sql, write.sql_row(row))
                        written += 1
                    except ROW_ERRORS as exc:
                        dropped += 1
                        log.error("historian dropped a %s row it cannot store (%s: %s): %s",
                                  write.table, type(exc).__name__, exc, describe(row))
        return written, dropped

    def _back_off(self, exc: BaseException, kept_rows: int) -> None:
        with self._cond:
            self._failures += 1
            delay = min(MAX_BACKOFF_S, self.flush_interval_s * 2 ** (self._failures - 1))
            self._retry_at = time.monotonic() + delay
            self._stats["write_errors"] += 1
        log.error("historian write to %s failed (%s: %s); keeping %d rows, retry in %.2f s",
                  self.path, type(exc).__name__, exc, kept_rows, delay)

    def _count(self, in_flight: int = 0, **increments: int) -> None:
        with self._cond:
            self._in_flight += in_flight
            for key, value in increments.items():
                self._stats[key] += value

    def _run_jobs(self, db: Database, jobs: list[tuple[Job, Future[Any]]]) -> None:
        for job, future in jobs:
            try:
                future.set_result(job(db))
            except Exception as exc:  # handed to the caller waiting on the future
                self._count(write_errors=1)
                future.set_exception(exc)

    def _fail_jobs(self) -> None:
        with self._cond:
            jobs, self._jobs = self._jobs, []
        for _, future in jobs:
            future.set_exception(RuntimeError("historian closed before the request ran"))
