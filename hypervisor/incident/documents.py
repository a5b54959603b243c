"""The inventory, rule set and basemap in force in an export, by content hash as the historian keeps them."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import orjson
from sqlite_utils import Database

from hypervisor.historian.documents import record_document


def copy_in_force(db: Database, schema: str, since_ms: int, until_ms: int) -> set[str]:
    """Copy from the attached ``schema`` the documents in force at ``since_ms`` and those taking effect
    before ``until_ms``; return the kinds found."""
    rows = db.execute(
        f"SELECT f.ts_ms, f.kind, f.name, f.hash FROM {schema}.documents_in_force AS f"
        f" WHERE f.ts_ms < ? AND (f.ts_ms >= ? OR f.ts_ms = (SELECT max(g.ts_ms) FROM {schema}.documents_in_force AS g"
        " WHERE g.kind = f.kind AND g.ts_ms <= ?))", [until_ms, since_ms, since_ms]).fetchall()
    for ts_ms, kind, name, digest in rows:
        db.execute(f"INSERT OR IGNORE INTO documents SELECT * FROM {schema}.documents WHERE hash = ?", [digest])
        db.execute("INSERT INTO documents_in_force (ts_ms, kind, name, hash) VALUES (?, ?, ?, ?)",
                   [ts_ms, kind, name, digest])
    return {kind for _, kind, _, _ in rows}


def store_files(db: Database, kind: str, files: Sequence[Path], ts_ms: int) -> None:
    for path in files:
        record_document(db, ts_ms, kind, path.name, path.read_bytes())


def asset_positions(body: bytes) -> tuple[list[str], list[str], list[float], list[float]]:
    """Ids, domains, longitudes and latitudes of an inventory document (the engine's list of assets or a
    GeoJSON file), read without building and checking every asset: enough to draw them on a map."""
    doc = orjson.loads(body)
    if isinstance(doc, dict):
        points = [(f["properties"], f["geometry"]["coordinates"]) for f in doc.get("features", [])
                  if (f.get("geometry") or {}).get("type") == "Point"]
        return ([str(p["id"]) for p, _ in points], [str(p["domain"]) for p, _ in points],
                [float(c[0]) for _, c in points], [float(c[1]) for _, c in points])
    return ([str(a["id"]) for a in doc], [str(a["domain"]) for a in doc], [float(a["lon"]) for a in doc],
            [float(a["lat"]) for a in doc])


def document_in_force(db: Database, kind: str, at_ms: int | None = None) -> tuple[str, bytes] | None:
    """The name and body of the latest document of ``kind`` in force at ``at_ms`` (or the latest)."""
    sql = ("SELECT f.name, d.body FROM documents_in_force AS f JOIN documents AS d ON d.hash = f.hash"
           " WHERE f.kind = ?")
    params: list[object] = [kind]
    if at_ms is not None:
        sql += " AND f.ts_ms <= ?"
        params.append(at_ms)
    row = db.execute(sql + " ORDER BY f.ts_ms DESC, f.rowid DESC LIMIT 1", params).fetchone()
    return None if row is None else (row[0], bytes(row[1]))
