"""Opening a historian file for reading only, as every reader of it does."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlite_utils import Database

from hypervisor.historian.schema import BUSY_TIMEOUT_MS, check_version


def open_read_only(path: str | Path) -> Database:
    """A connection that never changes the file: read-write (SQLite needs the WAL index) but ``query_only``."""
    if not Path(path).is_file():
        raise FileNotFoundError(f"no historian file at {path}")
    uri = Path(path).resolve().as_uri() + "?mode=rw"
    db = Database(sqlite3.connect(uri, uri=True, check_same_thread=False))
    db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    db.execute("PRAGMA query_only = ON")
    check_version(db)
    return db
