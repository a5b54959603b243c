"""Street lighting: luminaires switched at dusk and dawn at their own position, dimmed at night."""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np

from feeds.simulator.context import Metrics, SimContext
from feeds.simulator.timing import MS_PER_DAY, local_hour
from feeds.solar import LIGHTING_ELEVATION_DEG, sun_times

NIGHT_DIM_PCT = 50
NIGHT_DIM_HOURS = (23.0, 5.0)
"""Local hours between which lit luminaires run dimmed, as Dijon's LED retrofit allows."""

_NOISE_POWER = 11
_NOISE_VOLTAGE = 12


class Lighting:
    """Luminaires and the cabinets that feed them."""

    kinds = ("luminaire", "cabinet")

    def __init__(self, ctx: SimContext) -> None:
        self._ctx = ctx
        inventory = ctx.inventory
        self.lamps = ctx.indices("luminaire")
        self.cabinets = ctx.indices("cabinet")
        self._local = np.full(len(inventory), -1, dtype=np.intp)
        self._local[self.lamps] = np.arange(len(self.lamps))
        self._local[self.cabinets] = np.arange(len(self.cabinets))
        self._lon = inventory.lon[self.lamps]
        self._lat = inventory.lat[self.lamps]
        self._nominal = ctx.attr(self.lamps, "nominal_power_w", 40.0)
        parents = [inventory.assets[i].parent for i in self.lamps]
        cabinet_of = np.array([self._local[inventory.index[p]] if p in inventory and
                               inventory[p].kind == "cabinet" else -1 for p in parents], dtype=np.intp)
        self._by_cabinet = np.argsort(cabinet_of, kind="stable")
        self._bounds = np.searchsorted(cabinet_of[self._by_cabinet], np.arange(len(self.cabinets) + 1))
        self._switch: dict[int, tuple[np.ndarray, np.ndarray]] = {}

    def advance(self, now_ms: int) -> None:
        """Lighting has no inertia: everything follows from the sun and the clock."""

    def switch_times(self, day: int) -> tuple[np.ndarray, np.ndarray]:
        """Per luminaire, when it switches off in the morning and on in the evening of UTC ``day``."""
        if day not in self._switch:
            if len(self._switch) >= 4:
                del self._switch[min(self._switch)]
            date = datetime.fromtimestamp(day * 86_400, UTC).date()
            off, on = sun_times(date, self._lon, self._lat, LIGHTING_ELEVATION_DEG)
            self._switch[day] = (np.nan_to_num(off, nan=0).astype(np.int64),
                                 np.nan_to_num(on, nan=MS_PER_DAY * (day + 1)).astype(np.int64))
        return self._switch[day]

    def commanded(self, local: np.ndarray, t_ms: np.ndarray) -> np.ndarray:
        """Whether the astronomical clock asks luminaires ``local`` to be lit at ``t_ms``."""
        days = t_ms // MS_PER_DAY
        lit = np.zeros(len(local), dtype=bool)
        for day in np.unique(days):
            sel = days == day
            off, on = self.switch_times(int(day))
            lit[sel] = (t_ms[sel] < off[local[sel]]) | (t_ms[sel] >= on[local[sel]])
        return lit

    def _lamp_power(self, local: np.ndarray, t_ms: np.ndarray) -> Metrics:
        idx = self.lamps[local]
        faults = self._ctx.faults
        broken = faults.affects("lamp_fault", idx, t_ms)
        powered = ~faults.affects("cabinet_power_loss", idx, t_ms)
        asked = self.commanded(local, t_ms) & powered
        hour = local_hour(t_ms)
        night = (hour >= NIGHT_DIM_HOURS[0]) | (hour < NIGHT_DIM_HOURS[1])
        dim = np.where(asked, np.where(night, NIGHT_DIM_PCT, 100), 0)
        lit = asked & ~broken
        drift = 1.0 + 0.01 * self._ctx.noise(_NOISE_POWER, idx, t_ms)
        power = np.where(lit, self._nominal[local] * dim / 100.0 * drift, 0.0)
        return {"on": lit, "dim_pct": dim, "power_w": np.round(power, 1), "fault": broken}

    def measure(self, kind: str, idx: np.ndarray, t_ms: np.ndarray) -> Metrics:
        """Metrics of assets ``idx`` (inventory indices, all of ``kind``) at instants ``t_ms``."""
        local = self._local[idx]
        if kind == "luminaire":
            return self._lamp_power(local, t_ms)
        counts = self._bounds[local + 1] - self._bounds[local]
        firsts = np.repeat(self._bounds[local], counts)
        within = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
        children = self._by_cabinet[firsts + within]
        watts = self._lamp_power(children, np.repeat(t_ms, counts))["power_w"]
        load_kw = np.bincount(np.repeat(np.arange(len(local)), counts), weights=watts,
                              minlength=len(local)) / 1000.0
        mains = ~self._ctx.faults.affects("cabinet_power_loss", idx, t_ms)
        voltage = 231.0 + 1.5 * self._ctx.noise(_NOISE_VOLTAGE, idx, t_ms)
        return {"mains": mains, "power_kw": np.round(np.where(mains, load_kw, 0.0), 3),
                "voltage_v": np.round(np.where(mains, voltage, 0.0), 1)}

    def changes(self, after_ms: int, until_ms: int) -> tuple[np.ndarray, np.ndarray]:
        """Luminaires switching on or off in the window, at the instant they switch."""
        found_idx, found_t = [], []
        for day in range((after_ms + 1) // MS_PER_DAY, until_ms // MS_PER_DAY + 1):
            for instants in self.switch_times(day):
                hit = np.flatnonzero((instants > after_ms) & (instants <= until_ms))
                found_idx.append(self.lamps[hit])
                found_t.append(instants[hit])
        return np.concatenate(found_idx), np.concatenate(found_t)
