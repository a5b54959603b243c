"""The historian's tables, created and upgraded by versioned migrations.

Every migration is recorded in sqlite-utils' ``_sqlite_migrations`` table, and ``PRAGMA user_version``
mirrors the number applied so that a plain ``sqlite3`` shell shows the schema version too.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from hypervisor.historian.quarantine import create_digest

MIGRATION_SET = "hypervisor.historian"

SCHEMA_VERSION = 4
"""Number of migrations this code knows; a file with a higher ``user_version`` was written by a newer one."""

BUSY_TIMEOUT_MS = 5_000
WRITER_CACHE_KIB = 65_536
WAL_CHECKPOINT_PAGES = 10_000
"""A checkpoint copies each page changed since the last one once, however often it changed: the hot pages
of the indexes change in every transaction. 10,000 pages (a WAL of about 40 MB) rather than SQLite's
1,000 took 10 % less CPU writing 500,000 rows."""

migrations = Migrations(MIGRATION_SET)


class SchemaTooNewError(RuntimeError):
    """The file was written by a newer historian; opening it here could misread or damage it."""


@migrations(name="m001_tables")
def _create_tables(db: Database) -> None:
    db["telemetry"].create({"ts_ms": int, "asset_id": str, "metrics": str},
                           not_null=["ts_ms", "asset_id", "metrics"])
    db["telemetry"].create_index(["asset_id", "ts_ms"])
    # Replay and reports read whole time windows across all assets.
    db["telemetry"].create_index(["ts_ms"])

    db["status"].create({"ts_ms": int, "asset_id": str, "online": int},
                        not_null=["ts_ms", "asset_id", "online"])
    db["status"].create_index(["asset_id", "ts_ms"])

    db["alarm_events"].create(
        {"ts_ms": int, "alarm_id": str, "rule_id": str, "asset_id": str, "priority": str,
         "from_state": str, "to_state": str, "value": float, "user": str, "console": str,
         "comment": str, "request_id": str, "body": str},
        not_null=["ts_ms", "alarm_id", "body"],
    )
    db["alarm_events"].create_index(["asset_id", "ts_ms"])
    db["alarm_events"].create_index(["alarm_id", "ts_ms"])
    db["alarm_events"].create_index(["ts_ms"])

    db["alarms"].create({"alarm_id": str, "record": str, "state": str, "changed_ms": int},
                        pk="alarm_id", not_null=["record", "state"])

    db["actions"].create(
        {"id": int, "ts_ms": int, "user": str, "console": str, "verb": str, "alarm_id": str,
         "comment": str, "request_id": str, "ok": int, "reason": str},
        pk="id", not_null=["ts_ms", "verb", "ok"],
    )
    db["actions"].create_index(["alarm_id", "ts_ms"])
    db["actions"].create_index(["ts_ms"])

    db["rejections"].create(
        {"id": int, "received_ms": int, "topic": str, "reason": str, "detail": str, "asset_id": str,
         "payload": bytes, "payload_size": int},
        pk="id", not_null=["received_ms", "topic", "reason"],
    )
    db["rejections"].create_index(["reason"])
    db["rejections"].create_index(["received_ms"])

    db["sessions"].create({"id": int, "kind": str, "started_ms": int, "ended_ms": int, "info": str},
                          pk="id", not_null=["kind", "started_ms"])
    db.execute("PRAGMA user_version = 1")


TELEMETRY_HOUR_MS = 3_600_000
TELEMETRY_HOUR = f"ts_ms / {TELEMETRY_HOUR_MS}"
"""The hour a telemetry row belongs to, as the index of migration 2 has it: queries must write it the same."""


@migrations(name="m002_telemetry_by_hour")
def _telemetry_by_hour(db: Database) -> None:
    """Index an asset's telemetry within each hour, not across all time.

    Rows arrive for every asset at once, so an (asset_id, ts_ms) index takes each insert at a random
    place among all the history: with 3 million rows (less than a day of the whole city), inserting
    100,000 cost 1.7 s against 0.24 s into an empty table. Within the hour, inserts only touch the
    current hour's part of the index, and the cost stays that of an empty table however long the history.
    An asset's window is then one index range per hour: 0.7 ms for a day.
    """
    db.execute("DROP INDEX IF EXISTS idx_telemetry_asset_id_ts_ms")
    db.execute(f"CREATE INDEX idx_telemetry_hour_asset_id_ts_ms ON telemetry ({TELEMETRY_HOUR}, asset_id, ts_ms)")
    db.execute("PRAGMA user_version = 2")


@migrations(name="m003_quarantine_digest")
def _quarantine_digest(db: Database) -> None:
    """One row per distinct (reason, asset or topic) of rejected messages instead of one per message."""
    create_digest(db)
    db.execute("PRAGMA user_version = 3")


DAY_MS = 86_400_000
"""Compacted telemetry is kept in one block per asset and UTC day."""


@migrations(name="m004_compacted_history")
def _compacted_history(db: Database) -> None:
    """Compacted telemetry, keyframes, rollups, flood changes and the rules and inventories in force.

    Version 3 is the quarantine's digest; a file that lacks it still gets this one (migrations are
    applied by name), and ``user_version`` says 4 once both are there.
    """
    db.execute("CREATE TABLE telemetry_blocks (asset_id TEXT NOT NULL, day INTEGER NOT NULL,"
               " first_ms INTEGER NOT NULL, last_ms INTEGER NOT NULL, readings INTEGER NOT NULL,"
               " data BLOB NOT NULL, PRIMARY KEY (asset_id, day))")
    db.execute("CREATE INDEX idx_telemetry_blocks_day ON telemetry_blocks (day)")
    db.execute("CREATE TABLE rollups (asset_id TEXT NOT NULL, day INTEGER NOT NULL, resolution TEXT NOT NULL,"
               " data BLOB NOT NULL, PRIMARY KEY (asset_id, day, resolution))")
    db.execute("CREATE TABLE asset_keys (key INTEGER PRIMARY KEY, asset_id TEXT NOT NULL UNIQUE)")
    db.execute("CREATE TABLE keyframes (ts_ms INTEGER PRIMARY KEY, full INTEGER NOT NULL,"
               " readings INTEGER NOT NULL, data BLOB NOT NULL)")
    db.execute("CREATE TABLE flood_changes (ts_ms INTEGER NOT NULL, scope TEXT NOT NULL,"
               " active INTEGER NOT NULL, count INTEGER NOT NULL, since_ms INTEGER)")
    db.execute("CREATE INDEX idx_flood_changes_ts_ms ON flood_changes (ts_ms)")
    db.execute("CREATE TABLE documents (hash TEXT PRIMARY KEY, kind TEXT NOT NULL, body BLOB NOT NULL)")
    db.execute("CREATE TABLE documents_in_force (ts_ms INTEGER NOT NULL, kind TEXT NOT NULL,"
               " name TEXT NOT NULL, hash TEXT NOT NULL REFERENCES documents(hash))")
    db.execute("CREATE INDEX idx_documents_in_force ON documents_in_force (kind, ts_ms)")
    db.execute("CREATE INDEX idx_status_ts_ms ON status (ts_ms)")
    db.execute("PRAGMA user_version = 4")


def connect(path: str | Path) -> Database:
    """Open (creating if needed) a historian file for writing: WAL, NORMAL sync, latest schema.

    The connection may be handed to another thread, which must then be its only user.
    """
    conn = sqlite3.connect(str(path), check_same_thread=False)
    db = Database(conn)
    try:
        db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        check_version(db)
        db.enable_wal()
        db.execute("PRAGMA synchronous = NORMAL")
        # Every commit writes into the current hour's part of the telemetry index; keep its pages in memory.
        db.execute(f"PRAGMA cache_size = -{WRITER_CACHE_KIB}")
        db.execute(f"PRAGMA wal_autocheckpoint = {WAL_CHECKPOINT_PAGES}")
        migrations.apply(db)
    except BaseException:
        db.close()
        raise
    return db


@contextlib.contextmanager
def write_transaction(db: Database) -> Iterator[Database]:
    """A transaction that takes the write lock at its start (``BEGIN IMMEDIATE``).

    Upkeep reads and computes outside any transaction, then writes in one of these: a deferred
    transaction that read first could not become a writer once the ingest writer had committed since
    (SQLite answers "database is locked" at once, without waiting).
    """
    db.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        db.conn.rollback()
        raise
    db.conn.commit()


def check_version(db: Database) -> int:
    """Return the file's schema version, refusing files written by a newer historian."""
    version = int(db.execute("PRAGMA user_version").fetchone()[0])
    if version > SCHEMA_VERSION:
        raise SchemaTooNewError(
            f"historian schema version {version} is newer than this program's {SCHEMA_VERSION}"
        )
    return version


def applied_migrations(db: Database) -> list[str]:
    """Names of the historian migrations applied to ``db``, oldest first."""
    return [migration.name for migration in migrations.applied(db)]
