"""The console's picture of the city, kept off the GUI thread and read as coalesced snapshots."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import orjson

from feeds.decoding import Decoder
from feeds.inventory import Inventory
from feeds.model import Measurement, Message, StatusUpdate
from feeds.rejection import Rejected
from feeds.solar import sun_elevation
from feeds.topics import Topics
from hypervisor.console.engine_view import EngineView
from hypervisor.console.kpis import TRACKED_METRICS, compute_kpis, kind_masks
from hypervisor.console.snapshot import (
    PRIORITY_RANK,
    UNACKED_STATES,
    VISIBLE_STATES,
    ConsoleSnapshot,
    LinkStatus,
)

log = logging.getLogger(__name__)

STALE_GRACE = 2.5  # a device may miss a report or two before it is called silent


NIGHT_FLOW_HOURS = (2, 5)
"""Minimum night flow is the lowest network flow from 02:00 to 05:00 local time, when a city's use is least."""


class NightFlowTracker:
    """Minimum night flow: the lowest network flow in ``NIGHT_FLOW_HOURS`` of the last night."""

    def __init__(self, tz: ZoneInfo) -> None:
        self._tz = tz
        self._night: str | None = None
        self._running: float | None = None
        self.last_night: float | None = None

    def observe(self, now_ms: int, flow: float | None) -> float | None:
        local = datetime.fromtimestamp(now_ms / 1000, self._tz)
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

    def __init__(self, inventory: Inventory, decoder: Decoder, topics: Topics, tz: str = "Europe/Paris") -> None:
        self.inventory = inventory
        self.decoder = decoder
        self.topics = topics
        n = len(inventory)
        self._index = inventory.index
        self.latest: dict[str, tuple[int, dict[str, Any]]] = {}
        self.values = {m: np.full(n, np.nan) for m in TRACKED_METRICS}
        self.last_seen = np.zeros(n)
        self.period_ms = np.array([a.report_period_s * 1000 for a in inventory.assets])
        self.offline = np.zeros(n, dtype=bool)
        self.priority = np.zeros(n, dtype=np.uint8)
        self.unacked = np.zeros(n, dtype=bool)
        self.alarms: dict[str, dict[str, Any]] = {}
        self.floods: dict[str, dict[str, Any]] = {}
        self.engine = EngineView()
        self.replies: list[dict[str, Any]] = []
        self.on_sim_clock: Callable[[bytes], None] | None = None
        self._masks = kind_masks(inventory)
        domains = np.array([a.domain for a in inventory.assets])
        self._domain_masks = {str(d): domains == d for d in np.unique(domains)}
        self._centre = (float(inventory.lon.mean()), float(inventory.lat.mean())) if n else (0.0, 0.0)
        self._night_flow = NightFlowTracker(ZoneInfo(tz))
        self._alarms_of_asset: dict[str, set[str]] = {}
        self._changed_assets: set[str] = set()
        self._changed_alarms: set[str] = set()
        self._removed_alarms: set[str] = set()
        self._alarm_arrays_dirty = True
        self._sent_first = False
        self._last_stale: np.ndarray | None = None
        self.received = 0
        self.last_message_ms: int | None = None
        self._rate_count = 0
        self._rate_at = time.monotonic()
        self.rate = 0.0
        self._window_accepted = 0
        self._window_rejected = 0
        self._locally_all_rejected = False
        self._alarm_prefix = f"{topics.root}/alarms/"
        self._flood_prefix = f"{topics.root}/flood/"

    @property
    def urgent(self) -> bool:
        """Something the operator waits for changed: an alarm, a flood, a command reply, or nothing sent yet."""
        return bool(self._changed_alarms or self._removed_alarms or self.replies or not self._sent_first)

    def apply(self, batch: Sequence[Message]) -> None:
        for message in batch:
            topic = message.topic
            if topic.startswith(self._alarm_prefix):
                self._apply_alarm(topic[len(self._alarm_prefix) :], message.payload)
            elif topic.startswith(self._flood_prefix):
                self._apply_flood(message.payload)
            elif topic == self.topics.health:
                self.engine.take(self._json(message.payload))
            elif topic.startswith(f"{self.topics.root}/cmd-reply/"):
                reply = self._json(message.payload)
                if reply:
                    self.replies.append(reply)
            elif topic == self.topics.sim_clock:
                if self.on_sim_clock is not None:
                    self.on_sim_clock(message.payload)
            else:
                self._apply_reading(message)

    def _apply_reading(self, message: Message) -> None:
        try:
            readings = self.decoder.decode(message)
        except Rejected:
            self._window_rejected += 1  # the engine quarantines it and reports it in its health
            return
        self.received += 1
        self._window_accepted += 1
        self._rate_count += 1
        for reading in readings:
            i = self._index[reading.asset_id]
            if type(reading) is StatusUpdate:
                self.offline[i] = not reading.online
                continue
            assert isinstance(reading, Measurement)
            self.last_message_ms = reading.ts_ms
            if reading.ts_ms >= self.last_seen[i]:
                self.last_seen[i] = reading.ts_ms
                previous = self.latest.get(reading.asset_id)
                merged = {**previous[1], **reading.metrics} if previous else dict(reading.metrics)
                self.latest[reading.asset_id] = (reading.ts_ms, merged)
                self._changed_assets.add(reading.asset_id)
                for name, value in reading.metrics.items():
                    column = self.values.get(name)
                    if column is not None and not isinstance(value, str):
                        column[i] = float(value)

    def _apply_alarm(self, alarm_id: str, payload: bytes) -> None:
        record = self._json(payload) if payload else None
        previous = self.alarms.pop(alarm_id, None)
        if record is None:
            if previous is not None:
                self._removed_alarms.add(alarm_id)
                self._changed_alarms.discard(alarm_id)
                self._alarms_of_asset.get(previous.get("asset_id", ""), set()).discard(alarm_id)
        else:
            self.alarms[alarm_id] = record
            self._changed_alarms.add(alarm_id)
            self._removed_alarms.discard(alarm_id)
            self._alarms_of_asset.setdefault(str(record.get("asset_id", "")), set()).add(alarm_id)
        self._alarm_arrays_dirty = True

    def _apply_flood(self, payload: bytes) -> None:
        flood = self._json(payload)
        if flood and "scope" in flood:
            self.floods[str(flood["scope"])] = flood
            self._changed_alarms.add("")  # wake the GUI even if no record changed

    @staticmethod
    def _json(payload: bytes) -> dict[str, Any] | None:
        try:
            value = orjson.loads(payload)
        except orjson.JSONDecodeError:
            log.warning("unreadable payload ignored: %r", payload[:80])
            return None
        return value if isinstance(value, dict) else None

    def _refresh_alarm_arrays(self) -> None:
        self.priority[:] = 0
        self.unacked[:] = False
        for asset_id, alarm_ids in self._alarms_of_asset.items():
            i = self._index.get(asset_id)
            if i is None:
                continue
            for alarm_id in alarm_ids:
                record = self.alarms[alarm_id]
                if record.get("state") in VISIBLE_STATES:
                    self.priority[i] = max(self.priority[i], PRIORITY_RANK.get(record.get("priority", ""), 1))
                    self.unacked[i] |= record.get("state") in UNACKED_STATES
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
            first=not self._sent_first,
        )
        self._changed_assets.clear()
        self._changed_alarms.clear()
        self._removed_alarms.clear()
        self.replies.clear()
        self._sent_first = True
        return snapshot
