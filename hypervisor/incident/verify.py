"""Checking a historian or incident file against its hash chain and the signatures of its head.

What a pass proves: every alarm event and operator action the chain covers is stored exactly as the
engine stored it, none was removed, added or moved, and the heads were signed by the key whose
fingerprint is shown. What it does not prove: that the key is the deployment's (compare the fingerprint,
or pass ``--key``), that records after the last signature are genuine, or anything against the holder of
the private key, who can rebuild and re-sign a chain.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from hypervisor.incident.chain import ACTION, EVENT, GENESIS, ROW_KEY, ROW_SQL, digest_of, next_head, signed_message
from hypervisor.incident.keys import fingerprint

INTACT, TAMPERED, UNPROVEN = 0, 1, 2
"""Exit codes of ``hypervisor incident verify``."""


@dataclass(frozen=True, slots=True)
class Finding:
    seq: int
    kind: str
    """``altered``, ``deleted``, ``inserted``, ``reordered``, ``chain`` or ``signature``."""
    message: str


@dataclass(slots=True)
class Verdict:
    links: int = 0
    signatures: int = 0
    fingerprints: set[str] = field(default_factory=set)
    key_given: bool = False
    out_of_scope: int = 0
    unsigned: int = 0
    unchained: int = 0
    first_ms: int | None = None
    last_signed_ms: int | None = None
    findings: list[Finding] = field(default_factory=list)

    @property
    def intact(self) -> bool:
        return not self.findings

    @property
    def exit_code(self) -> int:
        if self.findings:
            return TAMPERED
        return UNPROVEN if self.unsigned or not self.signatures else INTACT

    def summary(self) -> str:
        """What a director reads: the verdict first, then what it rests on."""
        if self.findings:
            first = self.findings[0]
            extra = len(self.findings) - 1
            more = f" ({extra} more after it)" if extra else ""
            return f"TAMPERED: {first.message}{more}"
        keys = ", ".join(sorted(self.fingerprints)) or "none"
        origin = "the key given" if self.key_given else "the key embedded in the file (give --key to check it)"
        lines = [f"{self.links} records chained, {self.signatures} signatures by {keys}, checked against {origin}"]
        if self.out_of_scope:
            lines.append(f"{self.out_of_scope} records outside the export's scope are present as digests only")
        if self.unchained:
            lines.append(f"{self.unchained} records stored after the last link are not chained yet")
        if self.exit_code == UNPROVEN:
            reason = (f"{self.unsigned} chained records come after the last signature" if self.signatures
                      else "the chain has no signature")
            return "NOT PROVEN: " + reason + "\n" + "\n".join(lines)
        return "intact\n" + "\n".join(lines)


def _iso(ts_ms: int) -> str:
    return datetime.fromtimestamp(ts_ms / 1000, UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def describe(kind: str, row_id: int, ts_ms: int, row: tuple[Any, ...] | None = None) -> str:
    """A record as a director can find it: table, id, engine time and what it was."""
    if kind == EVENT:
        what = "" if row is None else f" ({row[2]}: {row[6]} -> {row[7]})"
        return f"alarm event #{row_id} at {_iso(ts_ms)}{what}"
    what = "" if row is None else f" ({row[2]} {row[4]} {row[5] or ''})".replace(" )", ")")
    return f"operator action #{row_id} at {_iso(ts_ms)}{what}"


def _rows(conn: sqlite3.Connection) -> dict[str, dict[int, tuple[Any, ...]]]:
    return {kind: {row[0]: row for row in conn.execute(f"{sql} ORDER BY {ROW_KEY[kind]}")}
            for kind, sql in ROW_SQL.items()}


def _has_table(conn: sqlite3.Connection, name: str) -> bool:
    sql = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?"
    return conn.execute(sql, [name]).fetchone()[0] > 0


def verify_file(path: str | Path, trusted: Ed25519PublicKey | None = None) -> Verdict:
    """Check every chained record, link and signature of a file, opened read-only."""
    if not Path(path).is_file():
        raise FileNotFoundError(f"no file at {path}")
    conn = sqlite3.connect(Path(path).resolve().as_uri() + "?mode=ro", uri=True)
    try:
        return _verify(conn, trusted)
    finally:
        conn.close()


def _verify(conn: sqlite3.Connection, trusted: Ed25519PublicKey | None) -> Verdict:
    verdict = Verdict(key_given=trusted is not None)
    if not _has_table(conn, "chain_links"):
        return verdict
    is_export = _has_table(conn, "incident_meta")
    links = conn.execute("SELECT seq, kind, row_id, ts_ms, digest, head, in_scope FROM chain_links"
                         " ORDER BY seq").fetchall()
    signatures = conn.execute("SELECT seq, ts_ms, head, signature, fingerprint FROM chain_signatures"
                              " ORDER BY seq, ts_ms").fetchall()
    keys = {fp: Ed25519PublicKey.from_public_bytes(raw) for fp, raw in conn.execute(
        "SELECT fingerprint, public_key FROM chain_keys")}
    rows = _rows(conn)
    findings = verdict.findings
    verdict.links = len(links)
    if not links:
        _leftovers(rows, {EVENT: 0, ACTION: 0}, True, verdict)
        return verdict
    verdict.first_ms = links[0][3]
    first_seq = links[0][0]
    head = GENESIS
    if first_seq > 1:
        start = [s for s in signatures if s[0] == first_seq - 1]
        if not start:
            findings.append(Finding(first_seq, "chain", f"the chain starts at link {first_seq} without a signed head"))
        else:
            head = start[0][2]
    heads, last_linked = _walk(links, rows, head, verdict)
    _leftovers(rows, last_linked, is_export, verdict)
    last_signed = _check_signatures(signatures, heads, keys, trusted, verdict)
    verdict.unsigned = sum(1 for link in links if link[0] > last_signed and link[6])
    findings.sort(key=lambda f: f.seq)
    return verdict


def _walk(links: list[tuple[Any, ...]], rows: dict[str, dict[int, tuple[Any, ...]]], head: bytes,
          verdict: Verdict) -> tuple[dict[int, bytes], dict[str, int]]:
    """Recompute the heads from the links, and check each covered row against its link's digest."""
    findings = verdict.findings
    first_seq = links[0][0]
    heads = {first_seq - 1: head}
    by_digest: dict[bytes, list[int]] = {}
    for seq, _, _, _, digest, _, in_scope in links:
        if in_scope:
            by_digest.setdefault(digest, []).append(seq)
    described = {seq: (kind, row_id, ts) for seq, kind, row_id, ts, _, _, _ in links}
    previous = first_seq - 1
    chain_broken = False
    last_linked = {EVENT: 0, ACTION: 0}
    for seq, kind, row_id, ts_ms, digest, stored_head, in_scope in links:
        last_linked[kind] = max(last_linked[kind], row_id)
        if seq != previous + 1:
            findings.append(Finding(seq, "deleted", f"links {previous + 1} to {seq - 1} of the chain are missing"))
        previous = seq
        head = next_head(head, digest)
        heads[seq] = head
        if head != stored_head and not chain_broken:
            chain_broken = True
            findings.append(Finding(seq, "chain", f"link {seq} of the chain was altered "
                                                  f"({describe(kind, row_id, ts_ms)})"))
        row = rows[kind].pop(row_id, None)
        if row is None:
            if in_scope:
                findings.append(Finding(seq, "deleted", f"{describe(kind, row_id, ts_ms)} was deleted"))
            else:
                verdict.out_of_scope += 1
            continue
        actual = digest_of(kind, row)
        if actual == digest:
            continue
        others = [s for s in by_digest.get(actual, []) if s != seq]
        if others:
            other = described[others[0]]
            findings.append(Finding(seq, "reordered", f"{describe(kind, row_id, ts_ms)} and {describe(*other)}"
                                                      " were re-ordered: the first now holds the second's record"))
        else:
            findings.append(Finding(seq, "altered", f"{describe(kind, row_id, ts_ms, row)} was altered"))
    return heads, last_linked


def _leftovers(rows: dict[str, dict[int, tuple[Any, ...]]], last_linked: dict[str, int], is_export: bool,
               verdict: Verdict) -> None:
    """Rows no link covers: inserted, unless a live historian stored them after its last link."""
    for kind, left in rows.items():
        for row_id, row in left.items():
            if is_export or row_id < last_linked[kind]:
                verdict.findings.append(Finding(10**18 + row[1], "inserted",
                                                f"{describe(kind, row_id, row[1], row)} was inserted"))
            else:
                verdict.unchained += 1


def _check_signatures(signatures: list[tuple[Any, ...]], heads: dict[int, bytes], keys: dict[str, Ed25519PublicKey],
                      trusted: Ed25519PublicKey | None, verdict: Verdict) -> int:
    """Check each signature within the segment; return the last link a valid signature covers."""
    last_signed = min(heads)
    wanted = None if trusted is None else fingerprint(trusted)
    for seq, ts_ms, head, signature, fp in signatures:
        if seq not in heads:
            continue
        key = trusted if trusted is not None else keys.get(fp)
        if wanted is not None and fp != wanted:
            verdict.findings.append(Finding(seq, "signature", f"the signature at {_iso(ts_ms)} was made by key {fp},"
                                                              f" not by the key given ({wanted})"))
            continue
        if key is None:
            verdict.findings.append(Finding(seq, "signature", f"the signature at {_iso(ts_ms)} names key {fp},"
                                                              " which the file does not carry"))
            continue
        try:
            key.verify(signature, signed_message(seq, ts_ms, head))
        except InvalidSignature:
            verdict.findings.append(Finding(seq, "signature", f"the signature at {_iso(ts_ms)} is not valid"))
            continue
        if head != heads[seq]:
            verdict.findings.append(Finding(seq, "chain", f"the chain up to link {seq} differs from the head signed"
                                                          f" at {_iso(ts_ms)}"))
            continue
        verdict.signatures += 1
        verdict.fingerprints.add(fp)
        verdict.last_signed_ms = ts_ms if verdict.last_signed_ms is None else max(verdict.last_signed_ms, ts_ms)
        last_signed = max(last_signed, seq)
    return last_signed
