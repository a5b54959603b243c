"""The hash chain over alarm events and operator actions, and the signatures of its head.

Each stored row is encoded canonically (:func:`canonical`), hashed (its *digest*), and linked:
``head[n] = SHA-256(head[n-1] + digest[n])`` from 32 zero bytes. A link records which row it covers
(``kind``, ``row_id``), the row's engine time, its digest and the head after it. The head is signed with
the deployment's Ed25519 key every minute of engine time (:data:`SIGN_EVERY_MS`); a signature covers
every link up to its ``seq``. Changing, inserting, deleting or swapping a row then needs either the
private key or a break of SHA-256 to go unseen.
"""

from __future__ import annotations

import contextlib
import hashlib
import struct
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import orjson
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from hypervisor.incident.keys import fingerprint, public_bytes

SIGN_EVERY_MS = 60_000
GENESIS = bytes(32)
SIGNED_PREFIX = b"hypervisor-chain-v1\x00"

EVENT, ACTION = "event", "action"
ROW_SQL = {
    EVENT: ("SELECT rowid, ts_ms, alarm_id, rule_id, asset_id, priority, from_state, to_state, value, user,"
            " console, comment, request_id, body FROM alarm_events"),
    ACTION: ("SELECT id, ts_ms, user, console, verb, alarm_id, comment, request_id, ok, reason FROM actions"),
}
ROW_KEY = {EVENT: "rowid", ACTION: "id"}

migrations = Migrations("hypervisor.incident")


@migrations(name="m001_chain")
def _chain_tables(db: Database) -> None:
    db.execute("CREATE TABLE IF NOT EXISTS chain_links (seq INTEGER PRIMARY KEY, kind TEXT NOT NULL,"
               " row_id INTEGER NOT NULL, ts_ms INTEGER NOT NULL, digest BLOB NOT NULL, head BLOB NOT NULL,"
               " in_scope INTEGER NOT NULL DEFAULT 1)")
    db.execute("CREATE UNIQUE INDEX IF NOT EXISTS idx_chain_links_row ON chain_links (kind, row_id)")
    db.execute("CREATE INDEX IF NOT EXISTS idx_chain_links_ts_ms ON chain_links (ts_ms)")
    db.execute("CREATE TABLE IF NOT EXISTS chain_signatures (seq INTEGER NOT NULL, ts_ms INTEGER NOT NULL,"
               " head BLOB NOT NULL, signature BLOB NOT NULL, fingerprint TEXT NOT NULL)")
    db.execute("CREATE INDEX IF NOT EXISTS idx_chain_signatures_seq ON chain_signatures (seq)")
    db.execute("CREATE TABLE IF NOT EXISTS chain_keys (fingerprint TEXT PRIMARY KEY, public_key BLOB NOT NULL)")


def ensure_tables(db: Database) -> None:
    """Create the chain's tables in a historian file (their own migration set, beside the historian's)."""
    migrations.apply(db)


def canonical(kind: str, row: Iterable[Any]) -> bytes:
    """The bytes a row is hashed as: its kind and stored columns (the row id left out) as compact JSON."""
    values = list(row)[1:]
    return orjson.dumps([kind, *values], option=orjson.OPT_SERIALIZE_NUMPY)


def digest_of(kind: str, row: Iterable[Any]) -> bytes:
    return hashlib.sha256(canonical(kind, row)).digest()


def next_head(head: bytes, digest: bytes) -> bytes:
    return hashlib.sha256(head + digest).digest()


def signed_message(seq: int, ts_ms: int, head: bytes) -> bytes:
    """What a signature signs: the head, the number of links it covers and the engine time it was made."""
    return SIGNED_PREFIX + struct.pack(">qq", seq, ts_ms) + head


@dataclass(frozen=True, slots=True)
class Signer:
    """The deployment's private key and its fingerprint."""

    key: Ed25519PrivateKey

    @property
    def public(self) -> Ed25519PublicKey:
        return self.key.public_key()

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.public)

    def sign(self, db: Database, seq: int, ts_ms: int, head: bytes) -> None:
        db.execute("INSERT OR IGNORE INTO chain_keys (fingerprint, public_key) VALUES (?, ?)",
                   [self.fingerprint, public_bytes(self.public)])
        db.execute("INSERT INTO chain_signatures (seq, ts_ms, head, signature, fingerprint) VALUES (?, ?, ?, ?, ?)",
                   [seq, ts_ms, head, self.key.sign(signed_message(seq, ts_ms, head)), self.fingerprint])


@dataclass(slots=True)
class ChainTip:
    seq: int
    head: bytes
    signed_ms: int | None


def tip(db: Database) -> ChainTip:
    """The last link and the engine time of the last signature."""
    row = db.execute("SELECT seq, head FROM chain_links ORDER BY seq DESC LIMIT 1").fetchone()
    signed = db.execute("SELECT max(ts_ms) FROM chain_signatures").fetchone()[0]
    return ChainTip(0, GENESIS, signed) if row is None else ChainTip(row[0], row[1], signed)


def unlinked_rows(db: Database) -> Iterator[tuple[int, str, int, bytes]]:
    """Rows stored after the last linked one, as ``(ts_ms, kind, row_id, digest)`` in chain order."""
    found: list[tuple[int, str, int, bytes]] = []
    for kind, sql in ROW_SQL.items():
        last = db.execute("SELECT max(row_id) FROM chain_links WHERE kind = ?", [kind]).fetchone()[0]
        for row in db.execute(f"{sql} WHERE {ROW_KEY[kind]} > ? ORDER BY {ROW_KEY[kind]}", [last or 0]):
            found.append((row[1], kind, row[0], digest_of(kind, row)))
    found.sort(key=lambda item: (item[0], item[1] == ACTION, item[2]))
    return iter(found)


@contextlib.contextmanager
def _writing(db: Database) -> Iterator[None]:
    """A transaction that takes the write lock first. A deferred one reads, then fails at once on its first
    write (SQLITE_BUSY_SNAPSHOT, no busy wait) whenever the writer or the upkeep committed in between."""
    if db.conn.in_transaction:
        with db.atomic():
            yield
        return
    db.conn.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        db.conn.rollback()
        raise
    db.conn.execute("COMMIT")


def extend(db: Database, signer: Signer | None, now_ms: int | None, force_sign: bool = False) -> tuple[int, bool]:
    """Link every row stored since the last call, and sign the head if a minute of engine time has passed.

    Runs in one transaction. Returns the number of rows linked and whether the head was signed.
    """
    with _writing(db):
        current = tip(db)
        seq, head = current.seq, current.head
        linked = 0
        for ts_ms, kind, row_id, digest in unlinked_rows(db):
            seq += 1
            head = next_head(head, digest)
            db.execute("INSERT INTO chain_links (seq, kind, row_id, ts_ms, digest, head) VALUES (?, ?, ?, ?, ?, ?)",
                       [seq, kind, row_id, ts_ms, digest, head])
            linked += 1
        due = force_sign or current.signed_ms is None or (now_ms is not None
                                                            and now_ms >= current.signed_ms + SIGN_EVERY_MS)
        if signer is None or seq == 0 or not due:
            return linked, False
        signer.sign(db, seq, now_ms if now_ms is not None else current.signed_ms or 0, head)
        return linked, True


def seal_history(db: Database, signer: Signer) -> tuple[int, int]:
    """Link a history written without a chain, signing at each minute of engine time its rows cross.

    For files filled by bulk tools or by versions before the chain; returns (links, signatures).
    """
    with db.atomic():
        current = tip(db)
        seq, head = current.seq, current.head
        boundary = None if current.signed_ms is None else current.signed_ms + SIGN_EVERY_MS
        links = signatures = 0
        rows = []
        for ts_ms, kind, row_id, digest in unlinked_rows(db):
            if boundary is not None and ts_ms >= boundary and seq > 0:
                signer.sign(db, seq, boundary, head)
                signatures += 1
            if boundary is None or ts_ms >= boundary:
                boundary = (ts_ms // SIGN_EVERY_MS + 1) * SIGN_EVERY_MS
            seq += 1
            head = next_head(head, digest)
            rows.append((seq, kind, row_id, ts_ms, digest, head))
            links += 1
        db.conn.executemany("INSERT INTO chain_links (seq, kind, row_id, ts_ms, digest, head)"
                            " VALUES (?, ?, ?, ?, ?, ?)", rows)
        if seq > 0 and links:
            signer.sign(db, seq, boundary if boundary is not None else 0, head)
            signatures += 1
    return links, signatures
