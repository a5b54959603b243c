"""Queries the console, the engine and reports run against the historian, on their own connection.

Time windows are half-open: ``since_ms <= ts_ms < until_ms``. Every query materialises its rows before
returning, so no read transaction stays open to hold back WAL checkpoints.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import orjson
import pandas as pd
from sqlite_utils import Database

from alerts.records import AlarmRecord
from hypervisor.historian.blocks import as_numeric, asset_block_readings, rollup_series, window_block_frame
from hypervisor.historian.compaction import unique_rows
from hypervisor.historian.frames import CityFrame
from hypervisor.historian.read_only import open_read_only
from hypervisor.historian.rollups import Rollup
from hypervisor.historian.schema import TELEMETRY_HOUR, TELEMETRY_HOUR_MS
from hypervisor.historian.timeline import Timeline

_NUMERIC_JSON_TYPES = ("integer", "real", "true", "false")
_FAR_FUTURE_MS = 2**62
_ASSET_WINDOW = (
    "WITH RECURSIVE hours(h) AS (SELECT :first UNION ALL SELECT h + 1 FROM hours WHERE h < :last)"
    " SELECT {select} FROM telemetry"
    f" WHERE {TELEMETRY_HOUR} IN hours AND asset_id = :asset AND ts_ms >= :since AND ts_ms < :until"
    "{where} ORDER BY ts_ms"
)
"""One asset's telemetry in a window, read through the hour index: one index range per hour."""


class HistorianReader:
    """Read access to a historian file from any thread (calls are serialised on one connection).

    The connection is opened read-write but set ``query_only``: SQLite needs write access to the WAL
    index to read a WAL database, and ``query_only`` makes sure this object never changes the file.
    """

    def __init__(self, path: str | Path, connection: Database | None = None) -> None:
        """``connection``: one already open to read through instead (a replay's ``mode=ro`` connection)."""
        self.path = Path(path)
        self._db = connection if connection is not None else open_read_only(path)
        self._lock = threading.Lock()
        self._compacted = False
        self._timeline: Timeline | None = None

    def series(self, since_ms: int, until_ms: int,
               measure: Callable[[CityFrame, list[str]], float | Sequence[float]]) -> tuple[np.ndarray, np.ndarray]:
        """A city-wide measure at each keyframe of the period (see ``Timeline.series``); its decoded
        keyframes are kept for the next call."""
        with self._lock:
            return self._timeline_of().series(since_ms, until_ms, measure)

    def _timeline_of(self) -> Timeline:
        """The timeline reading through this reader's connection (called under its lock)."""
        if self._timeline is None:
            self._timeline = Timeline(self.path, self._db)
        return self._timeline

    def close(self) -> None:
        """Close the connection."""
        with self._lock:
            self._db.close()

    def _has_blocks(self) -> bool:
        """Whether the file has compacted history (a file a writer has not yet migrated has none)."""
        if not self._compacted:
            self._compacted = self._db.execute(
                "SELECT count(*) FROM sqlite_master WHERE name = 'telemetry_blocks'").fetchone()[0] == 1
        return self._compacted

    def _rows(self, sql: str, params: list[Any] | tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        with self._lock:
            return self._db.execute(sql, params).fetchall()

    def _dicts(self, sql: str, params: list[Any] | tuple[Any, ...] = ()) -> list[dict[str, Any]]:
        with self._lock:
            return list(self._db.query(sql, params))

    # -- telemetry ---------------------------------------------------------------------------------------

    def _asset_window(self, asset_id: str, since_ms: int, until_ms: int | None, select: str, where: str = "",
                      **params: Any) -> list[tuple[Any, ...]]:
        """Rows of one asset's telemetry with ``since_ms <= ts_ms < until_ms``, in time order.

        The hours run over the part of the window that holds telemetry at all, so an open window
        (``since_ms`` 0, no ``until_ms``) costs no more than the history it covers.
        """
        until = _FAR_FUTURE_MS if until_ms is None else until_ms
        with self._lock:
            low, high = self._db.execute("SELECT min(ts_ms), max(ts_ms) FROM telemetry").fetchone()
            if low is None:
                return []
            first, last = max(since_ms, low) // TELEMETRY_HOUR_MS, (min(until, high + 1) - 1) // TELEMETRY_HOUR_MS
            if last < first:
                return []
            sql = _ASSET_WINDOW.format(select=select, where=where)
            bound = {"first": first, "last": last, "asset": asset_id, "since": since_ms, "until": until, **params}
            return self._db.execute(sql, bound).fetchall()

    def _readings(self, asset_id: str, since_ms: int, until_ms: int | None) -> list[tuple[int, dict[str, Any]]]:
        """One asset's readings across compacted blocks and raw rows, one per instant, in time order."""
        until = _FAR_FUTURE_MS if until_ms is None else until_ms
        raw = self._asset_window(asset_id, since_ms, until_ms, "ts_ms, metrics")
        with self._lock:
            compacted = asset_block_readings(self._db.conn, asset_id, since_ms, until) if self._has_blocks() else []
        if not compacted:
            return unique_rows((ts, orjson.loads(metrics)) for ts, metrics in raw)
        return unique_rows([*compacted, *((ts, orjson.loads(metrics)) for ts, metrics in raw)])

    def telemetry(self, asset_id: str, since_ms: int, until_ms: int | None = None,
                  metric: str | None = None) -> list[tuple[int, dict[str, Any]]]:
        """(ts_ms, metrics) of one asset in time order; with ``metric``, only rows carrying it, cut to it.

        Raw and compacted history read as one; a reading stored twice (a redelivered message) is one.
        """
        rows = self._readings(asset_id, since_ms, until_ms)
        if metric is None:
            return rows
        return [(ts, {metric: metrics[metric]}) for ts, metrics in rows if metric in metrics]

    def metric_series(self, asset_id: str, metric: str, since_ms: int,
                      until_ms: int | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Time (int64 epoch ms) and value (float64, bools as 0/1) arrays of one numeric metric.

        Rows where the metric is a string are left out; a stored ``null`` (a NaN at the source) is NaN.
        """
        return as_numeric(self._readings(asset_id, since_ms, until_ms), metric)

    def rollup_series(self, asset_id: str, metric: str, since_ms: int, until_ms: int | None = None,
                      resolution: str = "hour") -> Rollup:
        """Per-hour (or per-minute) min, max, mean, last and count of one metric: trends over weeks."""
        until = _FAR_FUTURE_MS if until_ms is None else until_ms
        with self._lock:
            if not self._has_blocks():
                return rollup_series(None, asset_id, metric, since_ms, until, resolution)
            return rollup_series(self._db.conn, asset_id, metric, since_ms, until, resolution)

    def telemetry_frame(self, since_ms: int, until_ms: int, asset_ids: list[str] | None = None,
                        metrics: list[str] | None = None) -> pd.DataFrame:
        """Long-format telemetry (ts_ms, asset_id, metric, value) of a window, for replay and reports.

        ``value`` is float64 (bools as 0/1); string-valued metrics are left out. ``asset_ids`` and
        ``metrics`` narrow the window in SQL, which is much cheaper than filtering the frame. Raw and
        compacted history read as one, a reading stored twice counted once.
        """
        sql = ("SELECT t.ts_ms, t.asset_id, j.key AS metric, j.value AS value"
               " FROM telemetry AS t, json_each(t.metrics) AS j"
               " WHERE t.ts_ms >= ? AND t.ts_ms < ?"
               f" AND j.type IN ({', '.join(repr(t) for t in _NUMERIC_JSON_TYPES)}, 'null')")
        params: list[Any] = [since_ms, until_ms]
        if asset_ids is not None:
            sql += " AND t.asset_id IN (SELECT value FROM json_each(?))"
            params.append(orjson.dumps(list(asset_ids)).decode())
        if metrics is not None:
            sql += " AND j.key IN (SELECT value FROM json_each(?))"
            params.append(orjson.dumps(list(metrics)).decode())
        sql += " ORDER BY t.ts_ms, t.asset_id, t.rowid"
        rows = self._rows(sql, params)
        raw = pd.DataFrame.from_records(rows, columns=["ts_ms", "asset_id", "metric", "value"])
        with self._lock:
            compacted = (window_block_frame(self._db.conn, since_ms, until_ms, asset_ids, metrics)
                         if self._has_blocks() else None)
        frame = pd.concat([compacted, raw], ignore_index=True) if compacted is not None and len(compacted) else raw
        frame = frame.astype({"ts_ms": "int64", "value": "float64"})
        frame = frame.drop_duplicates(["ts_ms", "asset_id", "metric"], keep="last")
        return frame.sort_values(["ts_ms", "asset_id"], kind="stable").reset_index(drop=True)

    def status(self, asset_id: str, since_ms: int, until_ms: int | None = None) -> list[tuple[int, bool]]:
        """(ts_ms, online) changes of one device in time order."""
        until = _FAR_FUTURE_MS if until_ms is None else until_ms
        rows = self._rows("SELECT ts_ms, online FROM status WHERE asset_id = ? AND ts_ms >= ? AND ts_ms < ?"
                          " ORDER BY ts_ms", (asset_id, since_ms, until))
        return [(ts, bool(online)) for ts, online in rows]

    # -- alarms and operators -------------------------------------------------------------------------------

    def alarm_records(self) -> list[dict[str, Any]]:
        """Current record of every alarm not in normal, for the engine to restore after a restart."""
        return [orjson.loads(r[0]) for r in self._rows("SELECT record FROM alarms ORDER BY changed_ms")]

    def alarm_events(self, asset_id: str | None = None, alarm_id: str | None = None,
                     since_ms: int | None = None, limit: int = 200) -> list[dict[str, Any]]:
        """Alarm transitions, newest first, as the dicts the engine queued."""
        where, params = _where(asset_id=asset_id, alarm_id=alarm_id, since_ms=since_ms)
        rows = self._rows(f"SELECT body FROM alarm_events {where} ORDER BY ts_ms DESC, rowid DESC LIMIT ?",
                          [*params, limit])
        return [orjson.loads(r[0]) for r in rows]

    def alarm_event_table(self, since_ms: int, until_ms: int) -> list[tuple[Any, ...]]:
        """Alarm events with ``since_ms <= ts_ms < until_ms`` in stored order, one flat row each for the
        reports: ts_ms, alarm_id, rule_id, asset_id, priority, from_state, to_state, user, comment,
        district, domain, description."""
        return self._rows(
            "SELECT ts_ms, alarm_id, rule_id, asset_id, priority, from_state, to_state, user, comment,"
            " coalesce(json_extract(body, '$.district'), json_extract(body, '$.record.district')),"
            " coalesce(json_extract(body, '$.domain'), json_extract(body, '$.record.domain')),"
            " json_extract(body, '$.record.description')"
            " FROM alarm_events WHERE ts_ms >= ? AND ts_ms < ? ORDER BY ts_ms, rowid", [since_ms, until_ms])

    def alarms_at(self, at_ms: int) -> list[AlarmRecord]:
        """Every alarm record not in normal at ``at_ms``, oldest change first (see ``Timeline.alarms_at``)."""
        with self._lock:
            return self._timeline_of().alarms_at(at_ms)

    def actions(self, alarm_id: str | None = None, limit: int = 200) -> list[dict[str, Any]]:
        """Operator commands, newest first, refused ones included (``ok`` False with a ``reason``)."""
        where, params = _where(alarm_id=alarm_id)
        rows = self._dicts("SELECT ts_ms, user, console, verb, alarm_id, comment, request_id, ok, reason"
                           f" FROM actions {where} ORDER BY ts_ms DESC, id DESC LIMIT ?", [*params, limit])
        for row in rows:
            row["ok"] = bool(row["ok"])
        return rows

    def sessions(self, kind: str | None = None, limit: int = 200) -> list[dict[str, Any]]:
        """Engine, console and training sessions, newest first, with ``info`` decoded."""
        where, params = _where(kind=kind)
        rows = self._dicts(f"SELECT id, kind, started_ms, ended_ms, info FROM sessions {where}"
                           " ORDER BY started_ms DESC, id DESC LIMIT ?", [*params, limit])
        for row in rows:
            row["info"] = orjson.loads(row["info"]) if row["info"] else {}
        return rows

    # -- quarantine ----------------------------------------------------------------------------------------

    def rejections(self, limit: int = 200) -> list[dict[str, Any]]:
        """The quarantine digest, most recently seen first: one entry per (reason, ``key``), ``key`` being the
        asset id or else the topic (``*``: the reason's other keys once the budget was full), with ``count``,
        ``first_ms``, ``last_ms``, the last ``topic``, ``asset_id`` and ``detail``, and ``sample`` (the
        start of the last payload; ``sample_size`` is its whole length)."""
        return self._dicts("SELECT reason, key, topic, asset_id, count, first_ms, last_ms, detail, sample,"
                           " sample_size FROM quarantine ORDER BY last_ms DESC, reason, key LIMIT ?", [limit])

    def rejection_counts(self) -> dict[str, int]:
        """Number of rejected messages per reason."""
        return dict(self._rows("SELECT reason, sum(count) FROM quarantine GROUP BY reason ORDER BY reason"))


def _where(**filters: Any) -> tuple[str, list[Any]]:
    """A WHERE clause from the filters that are set; ``since_ms`` bounds ``ts_ms`` from below."""
    clauses: list[str] = []
    params: list[Any] = []
    for name, value in filters.items():
        if value is None:
            continue
        clauses.append("ts_ms >= ?" if name == "since_ms" else f"{name} = ?")
        params.append(value)
    return ("WHERE " + " AND ".join(clauses)) if clauses else "", params
