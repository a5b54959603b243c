"""Rule sets and inventories kept by content hash, with the time each took effect.

The same content is stored once however often it comes back into force; ``documents_in_force`` has a
row each time the content in force under a name changes.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

import orjson
from sqlite_utils import Database

from feeds.inventory import Asset


def content_hash(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


def inventory_body(assets: Iterable[Asset]) -> bytes:
    """An inventory as canonical JSON (sorted keys), so the same assets always hash the same."""
    return orjson.dumps(list(assets), option=orjson.OPT_SORT_KEYS)


def record_document(db: Database, ts_ms: int, kind: str, name: str, body: bytes) -> str:
    """Store ``body`` under its hash and note it in force from ``ts_ms`` if it is not already."""
    digest = content_hash(body)
    with db.atomic():
        db.execute("INSERT OR IGNORE INTO documents (hash, kind, body) VALUES (?, ?, ?)", [digest, kind, body])
        current = db.execute("SELECT hash FROM documents_in_force WHERE kind = ? AND name = ?"
                             " ORDER BY ts_ms DESC, rowid DESC LIMIT 1", [kind, name]).fetchone()
        if current is None or current[0] != digest:
            db.execute("INSERT INTO documents_in_force (ts_ms, kind, name, hash) VALUES (?, ?, ?, ?)",
                       [ts_ms, kind, name, digest])
    return digest


def documents_at(db: Database, kind: str, at_ms: int) -> dict[str, bytes]:
    """The content in force at ``at_ms`` under each name of ``kind`` (e.g. every rule file)."""
    rows = db.execute("SELECT f.name, d.body FROM documents_in_force AS f JOIN documents AS d ON d.hash = f.hash"
                      " WHERE f.kind = ? AND f.ts_ms <= ? ORDER BY f.ts_ms, f.rowid", [kind, at_ms]).fetchall()
    return {name: body for name, body in rows}
