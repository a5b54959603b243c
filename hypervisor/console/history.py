"""History for the console's trends and asset panel, read from the historian off the GUI thread."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from feeds.inventory import Inventory
from hypervisor.historian.frames import CityFrame

if TYPE_CHECKING:  # the historian (SQLite, pandas) loads with the first read, off the GUI thread
    from hypervisor.historian.reader import HistorianReader

DAY_MS = 24 * 3600 * 1000

# Per domain panel: the asset kind and metric its trend shows, and how assets combine into one line.
DOMAIN_TRENDS: dict[str, tuple[str, str, str]] = {
    "lighting": ("cabinet", "power_kw", "sum"),
    "heating": ("building", "temp_c", "mean"),
    "waste": ("container", "fill_pct", "mean"),
    "water": ("pressure_sensor", "pressure_bar", "min"),
}


@dataclass(frozen=True, slots=True)
class AssetHistory:
    """24 h of one asset: a series per numeric metric, its alarm events and the operators' actions."""

    asset_id: str
    series: dict[str, tuple[np.ndarray, np.ndarray]]
    events: list[dict[str, Any]] = field(default_factory=list)
    actions: list[dict[str, Any]] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class DomainHistory:
    domain: str
    ts_ms: np.ndarray
    values: np.ndarray


def asset_history(reader: HistorianReader, asset_id: str, now_ms: int, span_ms: int = DAY_MS) -> AssetHistory:
    rows = reader.telemetry(asset_id, now_ms - span_ms, now_ms)
    columns: dict[str, tuple[list[int], list[float]]] = {}
    for ts, metrics in rows:
        for name, value in metrics.items():
            if isinstance(value, bool | int | float):
                ts_list, values = columns.setdefault(name, ([], []))
                ts_list.append(ts)
                values.append(float(value))
    series = {name: (np.asarray(t, dtype=np.int64), np.asarray(v)) for name, (t, v) in columns.items()}
    events = reader.alarm_events(asset_id=asset_id, limit=100)
    alarm_ids = {e["alarm_id"] for e in events}
    actions = [a for alarm_id in sorted(alarm_ids) for a in reader.actions(alarm_id=alarm_id, limit=50)]
    actions.sort(key=lambda a: a.get("ts_ms", 0), reverse=True)
    return AssetHistory(asset_id, series, events, actions)


def domain_histories(
    reader: HistorianReader,
    inventory: Inventory,
    domains: Sequence[str],
    now_ms: int,
    span_ms: int = 6 * 3600 * 1000,
    bucket: str = "5min",
) -> list[DomainHistory]:
    """The domain panels' trend lines (e.g. lighting power every 5 min): from the keyframes, the city's
    frame moved forward once for every domain (a fraction of a second for a whole city; a walk per
    domain cost four), else from the stored readings."""
    since = now_ms - span_ms
    kinds = {domain: DOMAIN_TRENDS[domain] for domain in domains}
    ids = {domain: [a.id for a in inventory.assets if a.kind == kind] for domain, (kind, _, _) in kinds.items()}
    measures = [_combined(set(ids[domain]), metric, how) for domain, (_, metric, how) in kinds.items()]
    ts, values = reader.series(since, now_ms, lambda frame, asset_ids: [m(frame, asset_ids) for m in measures])
    if len(ts):
        out = []
        for column, domain in enumerate(kinds):
            finite = np.isfinite(values[:, column])
            out.append(DomainHistory(domain, ts[finite], values[finite, column]))
        return out
    return [_from_readings(reader, domain, ids[domain], metric, how, since, now_ms, bucket)
            for domain, (_, metric, how) in kinds.items()]


def _from_readings(reader: HistorianReader, domain: str, ids: list[str], metric: str, how: str, since_ms: int,
                   until_ms: int, bucket: str) -> DomainHistory:
    """A domain's trend line from the stored readings: each asset's last value per bucket, combined."""
    frame = reader.telemetry_frame(since_ms, until_ms, asset_ids=ids, metrics=[metric])
    if not len(frame):
        return DomainHistory(domain, np.empty(0, dtype=np.int64), np.empty(0))
    frame = frame.assign(t=frame["ts_ms"].astype("datetime64[ms]"), value=frame["value"].astype(float))
    latest = frame.set_index("t").groupby("asset_id")["value"].resample(bucket).last()
    per_bucket = latest.groupby(level="t")
    combined = {"sum": per_bucket.sum, "mean": per_bucket.mean, "min": per_bucket.min}[how]().dropna()
    ts = combined.index.to_numpy().astype("datetime64[ms]").astype(np.int64)
    return DomainHistory(domain, ts, combined.to_numpy(dtype=float))


def _combined(ids: set[str], metric: str, how: str) -> Callable[[CityFrame, list[str]], float]:
    """How a domain's assets combine into its trend's value at one instant (NaN when none reported)."""
    mask: list[np.ndarray] = []

    def measure(frame: CityFrame, asset_ids: list[str]) -> float:
        if not mask or len(mask[0]) != len(asset_ids):
            mask[:] = [np.fromiter((a in ids for a in asset_ids), bool, len(asset_ids))]
        values = frame.numeric(metric)
        chosen = values[mask[0][: len(values)]]
        chosen = chosen[np.isfinite(chosen)]
        if not chosen.size:
            return float("nan")
        return float({"sum": np.sum, "mean": np.mean, "min": np.min}[how](chosen))

    return measure


@dataclass(frozen=True, slots=True)
class Quarantine:
    """Rejected messages: counts by reason and the latest rows."""

    counts: dict[str, int]
    rows: list[dict[str, Any]]


def quarantine(reader: HistorianReader, limit: int = 500) -> Quarantine:
    return Quarantine(reader.rejection_counts(), reader.rejections(limit=limit))
