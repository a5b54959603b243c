"""Waste: containers filling between collection rounds, with a temperature and a battery."""

from __future__ import annotations

import numpy as np

from feeds.simulator.context import Metrics, SimContext
from feeds.simulator.timing import MS_PER_DAY, MS_PER_HOUR, MS_PER_MINUTE

FIRE_RISE_C = 95.0
FIRE_TIME_CONSTANT_MS = 4 * MS_PER_MINUTE
ROUND_START_UTC_H = 4
"""Collection rounds leave the depot at 05:00/06:00 local and visit containers over about 2 hours."""
BATTERY_LIFE_DAYS = 1000

_NOISE_FILL, _NOISE_TEMP = 31, 32
_STREAM_DAY, _STREAM_ORDER, _STREAM_PEAK, _STREAM_RESIDUE, _STREAM_BATTERY = 33, 34, 35, 36, 37


class Waste:
    """Fill level is a function of the time since the container was last emptied."""

    kinds = ("container",)

    def __init__(self, ctx: SimContext) -> None:
        self._ctx = ctx
        self.containers = ctx.indices("container")
        self._local = np.full(len(ctx.inventory), -1, dtype=np.intp)
        self._local[self.containers] = np.arange(len(self.containers))
        every_d = np.clip(ctx.attr(self.containers, "collection_every_d", 7.0), 0.5, 60.0)
        self._every_ms = np.round(every_d * 2).astype(np.int64) * (MS_PER_DAY // 2)
        districts = sorted({ctx.inventory.assets[i].district for i in self.containers})
        district_no = np.array([districts.index(ctx.inventory.assets[i].district) for i in self.containers])
        first_day = np.floor(ctx.constant(_STREAM_DAY, district_no) * every_d).astype(np.int64)
        order = ctx.constant(_STREAM_ORDER, self.containers) * 2 * MS_PER_HOUR
        self._anchor_ms = (first_day * MS_PER_DAY + ROUND_START_UTC_H * MS_PER_HOUR + order).astype(np.int64)
        self._residue = 1.0 + 4.0 * ctx.constant(_STREAM_RESIDUE, self.containers)
        peak = 45.0 + 40.0 * ctx.constant(_STREAM_PEAK, self.containers)
        self._rate_per_ms = (peak - self._residue) / self._every_ms
        self._battery_phase = ctx.constant(_STREAM_BATTERY, self.containers) * BATTERY_LIFE_DAYS

    def advance(self, now_ms: int) -> None:
        """Nothing to integrate: fill follows from the collection timetable."""

    def rounds(self, local: np.ndarray, t_ms: np.ndarray) -> np.ndarray:
        """How many collections have happened up to ``t_ms`` (a counter since the epoch)."""
        return (t_ms - self._anchor_ms[local]) // self._every_ms[local]

    def measure(self, kind: str, idx: np.ndarray, t_ms: np.ndarray) -> Metrics:
        """Metrics of assets ``idx`` (inventory indices, all of ``kind``) at instants ``t_ms``."""
        local = self._local[idx]
        emptied_at = self._anchor_ms[local] + self.rounds(local, t_ms) * self._every_ms[local]
        fill = self._residue[local] + self._rate_per_ms[local] * (t_ms - emptied_at)
        fill = np.clip(fill + 0.8 * self._ctx.noise(_NOISE_FILL, idx, t_ms), 0.0, 100.0)
        temp = self._ctx.weather.outdoor_temp_c(t_ms) + 1.0 + 0.4 * self._ctx.noise(_NOISE_TEMP, idx, t_ms)
        start, _, _ = self._ctx.faults.window("container_fire")
        burning = self._ctx.faults.affects("container_fire", idx, t_ms)
        since = np.where(burning, t_ms - start[idx], 0)
        temp = temp + np.where(burning, FIRE_RISE_C * (1.0 - np.exp(-since / FIRE_TIME_CONSTANT_MS)), 0.0)
        days = t_ms / MS_PER_DAY + self._battery_phase[local]
        battery = 100.0 - (days % BATTERY_LIFE_DAYS) * 70.0 / BATTERY_LIFE_DAYS
        return {"fill_pct": np.round(fill, 0), "temp_c": np.round(temp, 1), "battery_pct": np.round(battery, 0)}

    def changes(self, after_ms: int, until_ms: int) -> tuple[np.ndarray, np.ndarray]:
        """Containers emptied in the window report right after the truck has passed."""
        every = np.arange(len(self.containers))
        done = self.rounds(every, np.full(len(every), until_ms))
        hit = np.flatnonzero(done != self.rounds(every, np.full(len(every), after_ms)))
        emptied_at = self._anchor_ms[hit] + done[hit] * self._every_ms[hit] + MS_PER_MINUTE
        keep = emptied_at <= until_ms
        return self.containers[hit[keep]], emptied_at[keep]
