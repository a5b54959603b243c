"""Heating: public buildings warmed to their setpoint when occupied, by a boiler or a substation."""

from __future__ import annotations

import re

import numpy as np

from feeds.simulator.context import Metrics, SimContext
from feeds.simulator.timing import MS_PER_MINUTE, minute_of_week

WEEK_MINUTES = 7 * 1440
PREHEAT_MIN = 120
"""Heating resumes this long before occupants arrive, so rooms are comfortable when they do."""
HEATING_SEASON_MEAN_C = 15.5
"""Heating season (late September to mid-May): while the seasonal mean temperature is below this."""
HOLD_CYCLE_MIN = (15, 45)
"""Burner on 15 minutes in every 45 while it only holds a closed building at its setback temperature."""
SUBSTEP_MS = 10 * MS_PER_MINUTE
MIN_STEP_MS = MS_PER_MINUTE
"""Building temperatures move slowly: integrating more often than this would only cost time."""

_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_RULE = re.compile(r"^\s*([a-z]{3})(?:-([a-z]{3}))?\s+(\d{1,2}):(\d{2})-(\d{1,2}):(\d{2})\s*$")
_NOISE_TEMP, _NOISE_SUPPLY, _NOISE_LOAD = 21, 22, 23
_STREAM_CYCLE = 24


def occupancy_mask(schedule: str) -> np.ndarray:
    """Minutes of the week (Monday 00:00 first) covered by a schedule like ``mon-fri 07:30-19:00; sat ...``."""
    mask = np.zeros(WEEK_MINUTES, dtype=bool)
    for rule in filter(str.strip, schedule.lower().split(";")):
        match = _RULE.match(rule)
        if match is None or match[1] not in _DAYS or (match[2] and match[2] not in _DAYS):
            raise ValueError(f"occupancy rule {rule.strip()!r}: expected e.g. 'mon-fri 07:30-19:00'")
        first = _DAYS.index(match[1])
        last = _DAYS.index(match[2]) if match[2] else first
        begin = int(match[3]) * 60 + int(match[4])
        end = int(match[5]) * 60 + int(match[6])
        if begin > 1440 or end > 1440:
            raise ValueError(f"occupancy rule {rule.strip()!r}: time past 24:00")
        length = (end - begin) % 1440 or 1440
        for day in range(first, last + 1 if last >= first else last + 8):
            start = (day % 7) * 1440 + begin
            mask[np.arange(start, start + length) % WEEK_MINUTES] = True
    return mask


def _preheat(mask: np.ndarray) -> np.ndarray:
    """Occupied now or within the next ``PREHEAT_MIN`` minutes (wrapping round the week)."""
    ahead = np.concatenate([mask, mask[:, :PREHEAT_MIN]], axis=1).astype(np.int32)
    window = np.cumsum(ahead, axis=1)
    counts = window[:, PREHEAT_MIN:] - np.concatenate([np.zeros((len(mask), 1), np.int32),
                                                        window[:, : WEEK_MINUTES - 1]], axis=1)
    return counts > 0


class Heating:
    """Buildings with thermal inertia, and their heat sources following a heating curve."""

    kinds = ("building", "boiler", "substation")

    def __init__(self, ctx: SimContext, start_ms: int) -> None:
        self._ctx = ctx
        inventory = ctx.inventory
        self.buildings = ctx.indices("building")
        self.sources = ctx.indices("boiler", "substation")
        self._local = np.full(len(inventory), -1, dtype=np.intp)
        self._local[self.buildings] = np.arange(len(self.buildings))
        self._local[self.sources] = np.arange(len(self.sources))
        self._setpoint = ctx.attr(self.buildings, "setpoint_c", 19.0)
        self._setback = ctx.attr(self.buildings, "setback_c", 15.0)
        self._occupied = np.array([occupancy_mask(str(inventory.assets[i].attrs.get("occupancy", "")))
                                   for i in self.buildings]).reshape(len(self.buildings), WEEK_MINUTES)
        self._heated = _preheat(self._occupied)
        self._nominal_kw = ctx.attr(self.sources, "nominal_power_kw", 200.0)
        parents = [inventory.assets[i].parent for i in self.sources]
        self._building_of = np.array([self._local[inventory.index[p]] if p in inventory else -1
                                      for p in parents], dtype=np.intp)
        self._is_substation = ctx.kind_of[self.sources] == "substation"
        self._source_of = np.full(len(self.buildings), -1, dtype=np.intp)
        has_building = self._building_of >= 0
        self._source_of[self._building_of[has_building]] = np.flatnonzero(has_building)
        self._cycle_phase = (ctx.constant(_STREAM_CYCLE, self.sources) * HOLD_CYCLE_MIN[1]).astype(np.int64)
        self.temp_c = self._setback.copy()
        self.supply_c = np.full(len(self.sources), 45.0)
        self._state_ms = start_ms - 36 * 3_600_000
        self.advance(start_ms)

    def _failed_buildings(self, failed: np.ndarray) -> np.ndarray:
        """Buildings whose heat source is in ``failed`` (a mask over the sources)."""
        own = self._source_of >= 0
        result = np.zeros(len(self.buildings), dtype=bool)
        result[own] = failed[self._source_of[own]]
        return result

    def _in_season(self, t_ms: np.ndarray | int) -> np.ndarray:
        return self._ctx.weather.seasonal_mean_c(t_ms) < HEATING_SEASON_MEAN_C

    def _running(self, local: np.ndarray, t_ms: np.ndarray, failed: np.ndarray) -> np.ndarray:
        """Heat sources run through occupancy and preheat, and cycle to hold a closed building at setback."""
        building = np.maximum(self._building_of[local], 0)
        has_building = self._building_of[local] >= 0
        heated = np.where(has_building, self._heated[building, minute_of_week(t_ms)], True)
        holding = has_building & (self.temp_c[building] < self._setback[building] + 0.5)
        burner = (t_ms // MS_PER_MINUTE + self._cycle_phase[local]) % HOLD_CYCLE_MIN[1] < HOLD_CYCLE_MIN[0]
        return self._in_season(t_ms) & ~failed & (heated | (holding & burner))

    def _substep(self, t_ms: int, dt_ms: int) -> None:
        outdoor = float(self._ctx.weather.outdoor_temp_c(t_ms))
        minute = int(minute_of_week(np.array([t_ms]))[0])
        every = np.arange(len(self.sources))
        at = np.full(len(self.sources), t_ms, dtype=np.int64)
        source_failed = self._ctx.faults.affects("boiler_failure", self.sources, at)
        failed = self._failed_buildings(source_failed)
        free_running = 14.0 + 0.4 * outdoor
        wanted = np.where(self._heated[:, minute], self._setpoint, self._setback)
        target = np.where(self._in_season(t_ms), np.maximum(wanted, free_running), free_running)
        target = np.where(failed, np.minimum(free_running, outdoor + 2.0), target)
        tau_h = np.where(failed, 6.0, np.where(target > self.temp_c, 0.7, 4.0))
        self.temp_c += (target - self.temp_c) * (1.0 - np.exp(-dt_ms / 3_600_000 / tau_h))
        curve = np.where(self._is_substation, 20.0 + 1.2 * (20.0 - outdoor), 22.0 + 1.4 * (20.0 - outdoor))
        running = self._running(every, at, source_failed)
        supply = np.where(running, np.clip(curve, 35.0, 80.0), np.where(source_failed, 20.0, 24.0))
        self.supply_c += (supply - self.supply_c) * (1.0 - np.exp(-dt_ms / (15 * MS_PER_MINUTE)))

    def advance(self, now_ms: int) -> None:
        """Integrate building and supply temperatures up to ``now_ms`` in steps of at most 10 minutes."""
        if now_ms - self._state_ms < MIN_STEP_MS:
            return
        while self._state_ms < now_ms:
            dt = min(SUBSTEP_MS, now_ms - self._state_ms)
            self._state_ms += dt
            self._substep(self._state_ms, dt)

    def measure(self, kind: str, idx: np.ndarray, t_ms: np.ndarray) -> Metrics:
        """Metrics of assets ``idx`` (inventory indices, all of ``kind``) at instants ``t_ms``."""
        local = self._local[idx]
        if kind == "building":
            occupied = self._occupied[local, minute_of_week(t_ms)]
            temp = self.temp_c[local] + 0.08 * self._ctx.noise(_NOISE_TEMP, idx, t_ms)
            return {"temp_c": np.round(temp, 1), "occupied": occupied}
        fault = self._ctx.faults.affects("boiler_failure", idx, t_ms)
        outdoor = self._ctx.weather.outdoor_temp_c(t_ms)
        running = self._running(local, t_ms, fault)
        load = np.clip((19.0 - outdoor) / 29.0, 0.08, 1.0)
        load = load * (1.0 + 0.03 * self._ctx.noise(_NOISE_LOAD, idx, t_ms))
        supply = self.supply_c[local] + 0.3 * self._ctx.noise(_NOISE_SUPPLY, idx, t_ms)
        return {"supply_temp_c": np.round(supply, 1), "running": running, "fault": fault,
                "power_kw": np.round(np.where(running, self._nominal_kw[local] * load, 0.0), 1)}

    def changes(self, after_ms: int, until_ms: int) -> tuple[np.ndarray, np.ndarray]:
        """Heating changes slowly; only faults (handled by the simulator) prompt an immediate report."""
        return np.empty(0, np.intp), np.empty(0, np.int64)
