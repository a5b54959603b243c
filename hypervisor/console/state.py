"""The console's picture of the city, kept off the GUI thread and read as coalesced snapshots."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np

from alerts.flood import FloodChange
from alerts.records import AlarmRecord
from feeds.inventory import Inventory
from feeds.solar import sun_elevation
from hypervisor.console.engine_view import EngineView
from hypervisor.console.kpis import TRACKED_METRICS, compute_kpis, kind_masks
from hypervisor.console.snapshot import (
    PRIORITY_RANK,
    UNACKED_STATES,
    VISIBLE_STATES,
    ConsoleSnapshot,
    LinkStatus,
)
from hypervisor.feed.contract import (
    AlarmChanged,
    CommandReply,
    FeedEvent,
    FloodChanged,
    Health,
    Reading,
    ReadingBlock,
    Reset,
    Status,
)
from widgets.clock import display_zone

log = logging.getLogger(__name__)

STALE_GRACE = 2.5  # a device may miss a report or two before it is called silent


NIGHT_FLOW_HOURS = (2, 5)
"""Minimum night flow is the lowest network flow from 02:00 to 05:00 local time, when a city's use is least."""


class NightFlowTracker:
    """Minimum night flow: the lowest network flow in ``NIGHT_FLOW_HOURS`` of the last night."""

    def __init__(self, tz: ZoneInfo) -> None:
        self.zone = tz
        self._night: str | None = None
        self._running: float | None = None
        self.last_night: float | None = None

    def observe(self, now_ms: int, flow: float | None) -> float | None:
        local = datetime.fromtimestamp(now_ms / 1000, self.zone)
        if flow is not None and NIGHT_FLOW_HOURS[0] <= local.hour < NIGHT_FLOW_HOURS[1]:
            night = local.date().isoformat()
            if night != self._night:
                self._night, self._running = night, None
            self._running = flow if self._running is None else min(self._running, flow)
            return self._running
        if self._running is not None:
            self.last_night, self._running = self._running, None
        return self.last_night


class CityState:
    """Latest values, alarm records, floods and link facts; fed in batches by a source."""

    def __init__(self, inventory: Inventory, tz: str | None = None) -> None:
        self.inventory = inventory
        n = len(inventory)
        self._index = inventory.index
        self.latest: dict[str, tuple[int, dict[str, Any]]] = {}
        self.values = {m: np.full(n, np.nan) for m in TRACKED_METRICS}
        self.last_seen = np.zeros(n)
        self.period_ms = np.array([a.report_period_s * 1000 for a in inventory.assets])
        self.offline = np.zeros(n, dtype=bool)
        self.priority = np.zeros(n, dtype=np.uint8)
        self.unacked = np.zeros(n, dtype=bool)
        self.alarms: dict[str, AlarmRecord] = {}
        self.floods: dict[str, FloodChange] = {}
        self.engine = EngineView()
        self.replies: list[dict[str, Any]] = []
        self.score: dict[str, Any] | None = None
        """A training session's result for this console's user, once it has ended."""
        self._score_changed = False
        self._recorded: Callable[[str], tuple[int, dict[str, Any]] | None] = lambda _: None
        self._row_cache = np.empty(0, dtype=np.int64)
        self._reset_pending = False
        self._moved = False
        self._masks = kind_masks(inventory)
        domains = np.array([a.domain for a in inventory.assets])
        self._domain_masks = {str(d): domains == d for d in np.unique(domains)}
        self._centre = (float(inventory.lon.mean()), float(inventory.lat.mean())) if n else (0.0, 0.0)
        self._night_flow = NightFlowTracker(ZoneInfo(tz) if tz else display_zone())
        self._alarms_of_asset: dict[str, set[str]] = {}
        self._changed_assets: set[str] = set()
        self._changed_alarms: set[str] = set()
        self._removed_alarms: set[str] = set()
        self._alarm_arrays_dirty = True
        self._sent_first = False
        self._sent_values = False
        self._last_stale: np.ndarray | None = None
        self.received = 0
        self.last_message_ms: int | None = None
        self._rate_count = 0
        self._rate_at = time.monotonic()
        self.rate = 0.0
        self._window_accepted = 0
        self._window_rejected = 0
        self._locally_all_rejected = False

    @property
    def values_sent(self) -> bool:
        """Whether a snapshot with readings has gone out."""
        return self._sent_values

    @property
    def urgent(self) -> bool:
        """Something the operator waits for changed: an alarm, a flood, a command reply, a score, the first
        values, or nothing sent yet."""
        return bool(self._changed_alarms or self._removed_alarms or self.replies or self._score_changed
                    or not self._sent_first or (self._changed_assets and not self._sent_values))

    def apply_events(self, events: Iterable[FeedEvent]) -> None:
        """Take in a feed's typed events, in order."""
        for event in events:
            kind = type(event)
            if kind is Reading:
                self.take_reading(event.ts_ms, event.asset_id, event.metrics)
            elif kind is AlarmChanged:
                self.take_alarm(event.alarm_id, event.record)
            elif kind is Status:
                self.take_status(event.asset_id, event.online)
            elif kind is FloodChanged:
                self.take_flood(event.change)
            elif kind is Health:
                self.engine.take(event.body)
            elif kind is CommandReply:
                self.replies.append(event.body)
            elif kind is ReadingBlock:
                self.take_block(event)
            elif kind is Reset:
                self.reset(event)

    def take_score(self, body: dict[str, Any]) -> None:
        self.score = body
        self._score_changed = True

    def take_reading(self, ts_ms: int, asset_id: str, metrics: dict[str, Any]) -> None:
        i = self._index.get(asset_id)
        if i is None:
            return
        self.last_message_ms = ts_ms
        if ts_ms >= self.last_seen[i]:
            self.last_seen[i] = ts_ms
            previous = self.latest.get(asset_id) or self._recorded(asset_id)
            merged = {**previous[1], **metrics} if previous else dict(metrics)
            self.latest[asset_id] = (ts_ms, merged)
            self._changed_assets.add(asset_id)
            for name, value in metrics.items():
                column = self.values.get(name)
                if column is not None and not isinstance(value, str):
                    column[i] = float(value)

    def take_status(self, asset_id: str, online: bool) -> None:
        i = self._index.get(asset_id)
        if i is not None:
            self.offline[i] = not online

    def count_message(self, accepted: bool) -> None:
        """One message received: used, or refused (the engine quarantines it and reports it in its health)."""
        if accepted:
            self.received += 1
            self._window_accepted += 1
            self._rate_count += 1
        else:
            self._window_rejected += 1

    def take_alarm(self, alarm_id: str, record: AlarmRecord | None) -> None:
        """An alarm's record after a change, or None when it left the list."""
        previous = self.alarms.pop(alarm_id, None)
        if record is None:
            if previous is not None:
                self._removed_alarms.add(alarm_id)
                self._changed_alarms.discard(alarm_id)
                self._alarms_of_asset.get(previous.asset_id, set()).discard(alarm_id)
        else:
            self.alarms[alarm_id] = record
            self._changed_alarms.add(alarm_id)
            self._removed_alarms.discard(alarm_id)
            self._alarms_of_asset.setdefault(record.asset_id, set()).add(alarm_id)
        self._alarm_arrays_dirty = True

    def take_flood(self, change: FloodChange) -> None:
        self.floods[change.scope] = change
        self._changed_alarms.add("")  # wake the GUI even if no record changed

    def reset(self, reset: Reset) -> None:
        """Replace everything known by the whole city at ``reset.at_ms`` (a seek, or a join)."""
        rows = self._inventory_rows(reset.asset_ids)
        known = rows >= 0
        self.last_seen[:] = 0
        self.offline[:] = False
        self.last_seen[rows[known]] = np.maximum(reset.last_ms[known], 0)
        self.offline[rows[known]] = reset.online[known] == 0
        for name, column in self.values.items():
            column[:] = np.nan
            column[rows[known]] = reset.values(name)[known]
        self.latest.clear()
        self._recorded = reset.latest
        for alarm_id in self.alarms:
            self._removed_alarms.add(alarm_id)
        self.alarms.clear()
        self._alarms_of_asset.clear()
        self._alarm_arrays_dirty = True
        for record in reset.alarms:
            self.take_alarm(record.alarm_id, record)
        self.floods = dict(reset.floods)
        self._changed_alarms.add("")
        self._night_flow = NightFlowTracker(self._night_flow.zone)
        self._last_stale = None
        self._reset_pending = True
        seen = reset.last_ms[reset.last_ms >= 0]
        self.last_message_ms = int(seen.max()) if seen.size else None

    def take_block(self, block: ReadingBlock) -> None:
        """Many assets' readings in a few array operations (a replay playing at thousands of times real time)."""
        rows = self._inventory_rows(block.asset_ids)[block.keys]
        known = rows >= 0
        rows = rows[known]
        if not rows.size:
            return
        self.last_seen[rows] = np.maximum(self.last_seen[rows], block.last_ms[known])
        for name, column in self.values.items():
            values = block.values(name)[known]
            reported = ~np.isnan(values)
            column[rows[reported]] = values[reported]
        for asset_id in (block.asset_ids[k] for k in block.keys[known].tolist()):
            self.latest.pop(asset_id, None)
        self._recorded = block.latest
        self._moved = True
        self.last_message_ms = int(block.last_ms.max())

    def _inventory_rows(self, asset_ids: list[str]) -> np.ndarray:
        """The inventory row of each recorded asset (-1 for assets the inventory does not hold)."""
        if len(self._row_cache) != len(asset_ids):
            known = len(self._row_cache)
            extra = [self._index.get(a, -1) for a in asset_ids[known:]]
            self._row_cache = np.r_[self._row_cache, np.asarray(extra, dtype=np.int64)]
        return self._row_cache

    def latest_of(self, asset_id: str) -> tuple[int, dict[str, Any]] | None:
        """An asset's last reading: since the last reset, or as the reset recorded it."""
        return self.latest.get(asset_id) or self._recorded(asset_id)

    def _refresh_alarm_arrays(self) -> None:
        self.priority[:] = 0
        self.unacked[:] = False
        for asset_id, alarm_ids in self._alarms_of_asset.items():
            i = self._index.get(asset_id)
            if i is None:
                continue
            for alarm_id in alarm_ids:
                record = self.alarms[alarm_id]
                if record.state in VISIBLE_STATES:
                    self.priority[i] = max(self.priority[i], PRIORITY_RANK.get(record.priority, 1))
                    self.unacked[i] |= record.state in UNACKED_STATES
        self._alarm_arrays_dirty = False

    def stale_mask(self, now_ms: int) -> np.ndarray:
        """Assets silent for longer than their expected period (or reported offline)."""
        seen = self.last_seen > 0
        return (seen & (now_ms - self.last_seen > self.period_ms * STALE_GRACE)) | self.offline

    def snapshot(self, now_ms: int, link_state: str, link_error: str = "") -> ConsoleSnapshot:
        elapsed = time.monotonic() - self._rate_at
        if elapsed >= 1.0:
            self.rate, self._rate_count, self._rate_at = self._rate_count / elapsed, 0, time.monotonic()
            if self._window_accepted or self._window_rejected:
                self._locally_all_rejected = self._window_accepted == 0
            self._window_accepted = self._window_rejected = 0
        alarms_changed = self._alarm_arrays_dirty
        if alarms_changed:
            self._refresh_alarm_arrays()
        stale = self.stale_mask(now_ms)
        stale_changed = self._last_stale is None or not np.array_equal(stale, self._last_stale)
        self._last_stale = stale
        kpis = compute_kpis(self.values, self._masks)
        kpis["water_min_night_flow_m3h"] = self._night_flow.observe(now_ms, kpis["water_flow_m3h"])
        kpis["night"] = float(sun_elevation(now_ms, *self._centre) < 0)
        for domain, mask in self._domain_masks.items():
            newest = float(self.last_seen[mask].max()) if mask.any() else 0.0
            kpis[f"{domain}_last_ms"] = newest or None
        snapshot = ConsoleSnapshot(
            now_ms=now_ms,
            assets={a: self.latest[a] for a in self._changed_assets},
            alarms={a: self.alarms[a] for a in self._changed_alarms if a in self.alarms},
            removed_alarms=tuple(self._removed_alarms),
            priority=self.priority.copy() if alarms_changed or not self._sent_first else None,
            unacked=self.unacked.copy() if alarms_changed or not self._sent_first else None,
            stale=stale if stale_changed else None,
            kpis=kpis,
            floods=dict(self.floods),
            link=LinkStatus(
                state=link_state,
                messages_per_s=self.rate,
                last_message_ms=self.last_message_ms,
                rejected=self.engine.rejected,
                rejected_by_reason=self.engine.rejected_by_reason,
                engine_online=self.engine.online,
                engine_lag_ms=self.engine.lag_ms,
                error=link_error,
                engine_age_s=self.engine.age_s,
                recently_all_rejected=self._locally_all_rejected or self.engine.all_rejected,
                rule_errors=self.engine.rule_errors,
            ),
            replies=tuple(self.replies),
            score=self.score if self._score_changed else None,
            first=not self._sent_first,
            reset=self._reset_pending,
            latest=self.latest_of,
            moved=self._moved,
        )
        self._reset_pending = self._moved = False
        self._sent_values = self._sent_values or bool(self._changed_assets)
        self._changed_assets.clear()
        self._changed_alarms.clear()
        self._removed_alarms.clear()
        self.replies.clear()
        self._score_changed = False
        self._sent_first = True
        return snapshot
