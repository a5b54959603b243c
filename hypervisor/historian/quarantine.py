"""The quarantine digest: every distinct (reason, asset or topic) of rejected messages, within a budget.

A city's bad messages are mostly the same few mistakes repeated: one misconfigured gateway, one device
missing from the inventory. Keeping a row per message made 350,000 messages for unknown assets 333 MB of
rows; the digest keeps one entry per distinct (reason, key) with a count, the first and last time, the
last topic, detail and a sample payload cut to ``sample_bytes``. At most ``max_keys`` distinct keys are
kept; once full, a new key of a reason counts in that reason's ``*`` entry ("other"). Memory and disk
then stay below ``max_keys`` entries (plus one "other" per reason), whatever the flood.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from feeds.rejection import Rejection

if TYPE_CHECKING:  # the console's quarantine dialog reads this module's names without loading SQLite
    from sqlite_utils import Database

OTHER_KEY = "*"
"""The key of a reason's overflow entry, once ``max_keys`` distinct keys are kept."""

UPSERT_QUARANTINE = (
    "INSERT INTO quarantine (reason, key, topic, asset_id, count, first_ms, last_ms, detail, sample, sample_size)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
    " ON CONFLICT(reason, key) DO UPDATE SET topic = excluded.topic, asset_id = excluded.asset_id,"
    " count = excluded.count, first_ms = excluded.first_ms, last_ms = excluded.last_ms,"
    " detail = excluded.detail, sample = excluded.sample, sample_size = excluded.sample_size"
)
COLUMNS = ("reason", "key", "topic", "asset_id", "count", "first_ms", "last_ms", "detail", "sample", "sample_size")

Key = tuple[str, str]
Row = tuple[Any, ...]


@dataclass(frozen=True, slots=True)
class QuarantineBudget:
    """How much the quarantine may hold; disk use stays under about
    ``(max_keys + reasons) * (sample_bytes + detail_chars + 300)`` bytes, memory about twice that."""

    max_keys: int = 10_000
    sample_bytes: int = 1024
    detail_chars: int = 300

    def __post_init__(self) -> None:
        if self.max_keys < 1 or self.sample_bytes < 0 or self.detail_chars < 0:
            raise ValueError("the quarantine budget needs max_keys >= 1 and non-negative sizes")


DEFAULT_BUDGET = QuarantineBudget()


class QuarantineDigest:
    """Entries by (reason, key) as SQL rows; ``note`` is O(1) and allocates nothing once a key is known."""

    def __init__(self, budget: QuarantineBudget = DEFAULT_BUDGET) -> None:
        self.budget = budget
        self._rows: dict[Key, list[Any]] = {}
        self._keys = 0  # entries counted against the budget (every key but the "other" ones)

    def load(self, rows: list[Row]) -> None:
        """Take back what a previous run stored, so counts go on and the budget holds across restarts."""
        for row in rows:
            self._rows[(row[0], row[1])] = list(row)
            self._keys += row[1] != OTHER_KEY

    def note(self, rejection: Rejection) -> tuple[Key, Row]:
        """Count one rejected message; returns its entry's key and row as it now stands."""
        reason = str(rejection.reason)
        key = (reason, rejection.asset_id or rejection.topic)
        row = self._rows.get(key)
        if row is None:
            if self._keys >= self.budget.max_keys:
                key = (reason, OTHER_KEY)
                row = self._rows.get(key)
            if row is None:
                row = self._rows[key] = [*key, None, None, 0, rejection.received_ms, 0, None, None, 0]
                self._keys += key[1] != OTHER_KEY
        payload = rejection.payload
        row[2], row[3] = rejection.topic, rejection.asset_id
        row[4] += 1
        row[6] = rejection.received_ms
        row[7] = rejection.detail[: self.budget.detail_chars]
        row[8], row[9] = bytes(payload[: self.budget.sample_bytes]), len(payload)
        return key, tuple(row)

    def stats(self) -> dict[str, Any]:
        """For engine health: keys kept, the budget, and messages counted in "other" per reason."""
        return {
            "keys": self._keys,
            "max_keys": self.budget.max_keys,
            "sample_bytes": self.budget.sample_bytes,
            "other": {reason: row[4] for (reason, key), row in self._rows.items() if key == OTHER_KEY},
        }


def create_digest(db: Database, budget: QuarantineBudget = DEFAULT_BUDGET) -> None:
    """Create the ``quarantine`` table and fold the rows of the former ``rejections`` table into it:
    the most frequent keys up to the budget, the others into their reason's "other" entry."""
    db.execute(
        "CREATE TABLE quarantine (reason TEXT NOT NULL, key TEXT NOT NULL, topic TEXT, asset_id TEXT,"
        " count INTEGER NOT NULL, first_ms INTEGER NOT NULL, last_ms INTEGER NOT NULL, detail TEXT, sample BLOB,"
        " sample_size INTEGER, PRIMARY KEY (reason, key))"
    )
    db.execute("CREATE INDEX idx_quarantine_last_ms ON quarantine (last_ms)")
    if "rejections" not in db.table_names():
        return
    groups = (
        "WITH g AS (SELECT reason, coalesce(asset_id, topic) AS key, count(*) AS n, min(received_ms) AS first_ms,"
        " max(received_ms) AS last_ms, max(id) AS last_id FROM rejections GROUP BY reason, key),"
        " ranked AS (SELECT *, row_number() OVER (ORDER BY n DESC, last_id DESC) AS rank FROM g)"
    )
    db.execute(
        f"{groups} INSERT INTO quarantine SELECT g.reason, g.key, r.topic, r.asset_id, g.n, g.first_ms, g.last_ms,"
        " substr(r.detail, 1, :detail), substr(r.payload, 1, :sample), r.payload_size"
        " FROM ranked AS g JOIN rejections AS r ON r.id = g.last_id WHERE g.rank <= :keys",
        {"keys": budget.max_keys, "sample": budget.sample_bytes, "detail": budget.detail_chars},
    )
    db.execute(
        f"{groups}, other AS (SELECT reason, sum(n) AS n, min(first_ms) AS first_ms, max(last_ms) AS last_ms,"
        " max(last_id) AS last_id FROM ranked WHERE rank > :keys GROUP BY reason)"
        " INSERT INTO quarantine SELECT o.reason, :other, r.topic, r.asset_id, o.n, o.first_ms, o.last_ms,"
        " substr(r.detail, 1, :detail), substr(r.payload, 1, :sample), r.payload_size"
        " FROM other AS o JOIN rejections AS r ON r.id = o.last_id",
        {"keys": budget.max_keys, "sample": budget.sample_bytes, "detail": budget.detail_chars, "other": OTHER_KEY},
    )
    db.execute("DROP TABLE rejections")
