"""Turning queued values into SQL rows, one bad value never spoiling the rows around it."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import msgspec
import orjson

from feeds.model import Measurement, StatusUpdate
from feeds.rejection import Rejection

log = logging.getLogger(__name__)

PAYLOAD_KEEP_BYTES = 4096
"""Quarantined payloads are cut to this size; ``payload_size`` keeps the original length."""

_JSON_OPTIONS = orjson.OPT_SERIALIZE_NUMPY | orjson.OPT_NON_STR_KEYS

INSERT_TELEMETRY = "INSERT INTO telemetry (ts_ms, asset_id, metrics) VALUES (?, ?, ?)"
INSERT_STATUS = "INSERT INTO status (ts_ms, asset_id, online) VALUES (?, ?, ?)"
# Measurements and status updates encode as [asset_id, domain, ts_ms, metrics or online].
BULK_TELEMETRY = (
    "INSERT INTO telemetry (ts_ms, asset_id, metrics)"
    " SELECT json_extract(value, '$[2]'), json_extract(value, '$[0]'), json_extract(value, '$[3]')"
    " FROM json_each(?)"
)
BULK_STATUS = (
    "INSERT INTO status (ts_ms, asset_id, online)"
    " SELECT json_extract(value, '$[2]'), json_extract(value, '$[0]'), json_extract(value, '$[3]')"
    " FROM json_each(?)"
)
INSERT_EVENT = (
    "INSERT INTO alarm_events (ts_ms, alarm_id, rule_id, asset_id, priority, from_state, to_state, value,"
    " user, console, comment, request_id, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
UPSERT_RECORD = (
    "INSERT INTO alarms (alarm_id, record, state, changed_ms) VALUES (?, ?, ?, ?)"
    " ON CONFLICT(alarm_id) DO UPDATE SET record = excluded.record, state = excluded.state,"
    " changed_ms = excluded.changed_ms"
)
DELETE_RECORD = "DELETE FROM alarms WHERE alarm_id = ?"
INSERT_ACTION = (
    "INSERT INTO actions (ts_ms, user, console, verb, alarm_id, comment, request_id, ok, reason)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
INSERT_FLOOD = "INSERT INTO flood_changes (ts_ms, scope, active, count, since_ms) VALUES (?, ?, ?, ?, ?)"
INSERT_REJECTION = (
    "INSERT INTO rejections (received_ms, topic, reason, detail, asset_id, payload, payload_size)"
    " VALUES (?, ?, ?, ?, ?, ?, ?)"
)

Row = tuple[Any, ...]

_STRUCTS = msgspec.json.Encoder()


@dataclass(slots=True)
class Batch:
    """Values queued since the last swap, in arrival order (alarm records: the latest per alarm)."""

    measurements: list[Measurement] = field(default_factory=list)
    status: list[StatusUpdate] = field(default_factory=list)
    rejections: list[Rejection] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)
    records: dict[str, dict[str, Any]] = field(default_factory=dict)
    actions: list[Row] = field(default_factory=list)
    floods: list[Row] = field(default_factory=list)

    def __len__(self) -> int:
        return (len(self.measurements) + len(self.status) + len(self.rejections) + len(self.events)
                + len(self.records) + len(self.actions) + len(self.floods))


@dataclass(slots=True)
class TableWrite:
    """Rows bound for one statement; ``table`` names them in logs.

    ``bulk_sql``, when set, inserts every row in one statement that takes them as a JSON array. The
    sqlite3 module releases the GIL around each statement it steps, and takes it back after: with
    ``executemany`` that is once per row, and a writer thread waiting for the GIL behind a busy engine
    (up to the 5 ms switch interval each time) falls far behind. One statement per transaction lets the
    whole insert run beside the engine. Its rows are the measurements or status updates themselves,
    which msgspec encodes in C without making a tuple each; ``row_of`` makes one an SQL row for
    isolating a bad value with ``sql``. Whatever the writer does holding the GIL, the engine waits for:
    it must stay this small.
    """

    table: str
    sql: str
    rows: Sequence[Any]
    bulk_sql: str | None = None
    row_of: Callable[[Any], Row] | None = None

    def bulk_json(self) -> str:
        """The rows as one JSON array, for ``bulk_sql`` (text: SQLite would read bytes as binary JSON)."""
        return _STRUCTS.encode(self.rows).decode()

    def sql_row(self, row: Any) -> Row:
        return row if self.row_of is None else self.row_of(row)


def dumps(value: Any) -> str:
    """JSON text (not bytes, so SQLite's json functions accept it)."""
    return orjson.dumps(value, option=_JSON_OPTIONS, default=str).decode()


def prepare(batch: Batch) -> tuple[list[TableWrite], int]:
    """SQL rows for a batch, and how many values could not be turned into rows (each one logged)."""
    upserts = {key: rec for key, rec in batch.records.items() if rec.get("state") != "normal"}
    deletes = [(key,) for key, rec in batch.records.items() if rec.get("state") == "normal"]
    writes: list[TableWrite] = []
    if batch.measurements:
        writes.append(TableWrite("telemetry", INSERT_TELEMETRY, batch.measurements, BULK_TELEMETRY,
                                 _telemetry_sql_row))
    if batch.status:
        writes.append(TableWrite("status", INSERT_STATUS, batch.status, BULK_STATUS, _status_sql_row))
    parts = [
        ("alarm_events", INSERT_EVENT, batch.events, _event_row),
        ("alarms", UPSERT_RECORD, list(upserts.items()), _record_row),
        ("actions", INSERT_ACTION, batch.actions, tuple),
        ("flood_changes", INSERT_FLOOD, batch.floods, tuple),
        ("rejections", INSERT_REJECTION, batch.rejections, _rejection_row),
    ]
    bad = 0
    for table, sql, values, to_row in parts:
        rows, failed = _rows(table, values, to_row)
        bad += failed
        if rows:
            writes.append(TableWrite(table, sql, rows))
    if deletes:
        writes.append(TableWrite("alarms", DELETE_RECORD, deletes))
    return writes, bad


def chunks(writes: Sequence[TableWrite], max_rows: int) -> Iterator[list[TableWrite]]:
    """Split writes into transactions of at most ``max_rows`` rows, keeping statement order."""
    current: list[TableWrite] = []
    room = max_rows
    for write in writes:
        start = 0
        while start < len(write.rows):
            part = write.rows[start:start + room]
            current.append(TableWrite(write.table, write.sql, part, write.bulk_sql, write.row_of))
            start += len(part)
            room -= len(part)
            if room == 0:
                yield current
                current, room = [], max_rows
    if current:
        yield current


def describe(row: Row, limit: int = 400) -> str:
    """A row as text short enough for a log line."""
    text = repr(row)
    return text if len(text) <= limit else text[:limit] + "…"


def _rows(table: str, values: Sequence[Any], to_row: Callable[[Any], Row]) -> tuple[list[Row], int]:
    try:
        return [to_row(value) for value in values], 0
    except Exception:  # fall back to isolating the bad values, each logged below
        rows: list[Row] = []
        bad = 0
        for value in values:
            try:
                rows.append(to_row(value))
            except Exception as exc:  # one bad value must not lose the others
                bad += 1
                log.error("historian dropped a %s value it cannot store (%s: %s): %s",
                          table, type(exc).__name__, exc, describe((value,)))
        return rows, bad


def _telemetry_sql_row(measurement: Measurement) -> Row:
    return (measurement.ts_ms, measurement.asset_id, dumps(measurement.metrics))


def _status_sql_row(update: StatusUpdate) -> Row:
    return (update.ts_ms, update.asset_id, int(bool(update.online)))


def _event_row(event: dict[str, Any]) -> Row:
    return (
        event["ts_ms"], event["alarm_id"], event.get("rule_id"), event.get("asset_id"),
        event.get("priority"), event.get("from_state"), event.get("to_state"), _scalar(event.get("value")),
        event.get("user"), event.get("console"), event.get("comment"), event.get("request_id"),
        dumps(event),
    )


def _record_row(item: tuple[str, dict[str, Any]]) -> Row:
    alarm_id, record = item
    return (alarm_id, dumps(record), record["state"], record.get("changed_ms"))


def _rejection_row(r: Rejection) -> Row:
    payload = bytes(r.payload)
    return (r.received_ms, r.topic, str(r.reason), r.detail, r.asset_id,
            payload[:PAYLOAD_KEEP_BYTES], len(payload))


def _scalar(value: Any) -> Any:
    if value is None or isinstance(value, int | float | str):
        return value
    return dumps(value)
