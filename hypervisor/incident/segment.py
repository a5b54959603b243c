"""The part of the hash chain an export carries: from the signed head before its first record to the
first signature after its last, records outside its scope kept as digests only."""

from __future__ import annotations

from sqlite_utils import Database

IN_EXPORT = ("(kind = 'event' AND row_id IN (SELECT rowid FROM main.alarm_events))"
             " OR (kind = 'action' AND row_id IN (SELECT id FROM main.actions))")


def copy_chain_segment(db: Database, start_ms: int, until_ms: int) -> int:
    """Copy the chain segment covering the rows already in the export from the attached ``src``."""
    has_chain = db.execute("SELECT count(*) FROM src.sqlite_master WHERE name = 'chain_links'").fetchone()[0]
    if not has_chain:
        return 0
    first, last = db.execute(f"SELECT min(seq), max(seq) FROM src.chain_links WHERE {IN_EXPORT}").fetchone()
    if first is None:
        return 0
    lo = db.execute("SELECT max(seq) FROM src.chain_signatures WHERE seq < ?", [first]).fetchone()[0] or 0
    hi = db.execute("SELECT min(seq) FROM src.chain_signatures WHERE seq >= ?", [last]).fetchone()[0]
    if hi is None:
        hi = db.execute("SELECT max(seq) FROM src.chain_links").fetchone()[0]
    with db.atomic():
        copied = db.execute(f"INSERT INTO chain_links SELECT seq, kind, row_id, ts_ms, digest, head, {IN_EXPORT}"
                            " FROM src.chain_links WHERE seq > ? AND seq <= ?", [lo, hi]).rowcount
        db.execute("INSERT INTO chain_signatures SELECT * FROM src.chain_signatures WHERE seq >= ? AND seq <= ?",
                   [lo, hi])
        db.execute("INSERT OR IGNORE INTO chain_keys SELECT * FROM src.chain_keys")
    return copied
