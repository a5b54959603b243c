"""When assets report, local time in Dijon, and noise that depends only on (seed, asset, instant).

Noise is a hash of its inputs rather than a random stream, so a reading has the same value however the
simulation is stepped: a day stepped every second and a day stepped every minute agree.
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

import numpy as np

from feeds.clock import CITY_ZONE

TIMEZONE = ZoneInfo(CITY_ZONE)
MS_PER_MINUTE = 60_000
MS_PER_HOUR = 3_600_000
MS_PER_DAY = 86_400_000

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_MIX1 = np.uint64(0xBF58476D1CE4E5B9)
_MIX2 = np.uint64(0x94D049BB133111EB)
_TIME = np.uint64(0xC2B2AE3D27D4EB4F)


def _splitmix(z: np.ndarray) -> np.ndarray:
    z = z + _GOLDEN
    z = (z ^ (z >> np.uint64(30))) * _MIX1
    z = (z ^ (z >> np.uint64(27))) * _MIX2
    return z ^ (z >> np.uint64(31))


def hash_uniform(seed: int, stream: int, idx: np.ndarray, t_ms: np.ndarray | int = 0) -> np.ndarray:
    """Uniform in [0, 1), a pure function of its arguments; ``stream`` separates unrelated quantities."""
    key = np.uint64((seed * 1_000_003 + stream) & 0xFFFFFFFFFFFFFFFF)
    a = _splitmix(np.asarray(idx, dtype=np.int64).astype(np.uint64) ^ key)
    b = np.asarray(t_ms, dtype=np.int64).astype(np.uint64) * _TIME
    return (_splitmix(a ^ b) >> np.uint64(11)).astype(np.float64) * (1.0 / 9007199254740992.0)


def hash_normal(seed: int, stream: int, idx: np.ndarray, t_ms: np.ndarray | int = 0) -> np.ndarray:
    """Standard normal noise (Box–Muller over two hashes), clipped at ±3.5 so it never fakes a fault."""
    u1 = hash_uniform(seed, stream, idx, t_ms)
    u2 = hash_uniform(seed, stream + 7919, idx, t_ms)
    z = np.sqrt(-2.0 * np.log1p(-u1)) * np.cos(2.0 * np.pi * u2)
    return np.clip(z, -3.5, 3.5)


@lru_cache(maxsize=4096)
def _offset_for_hour(hour: int) -> int:
    offset = datetime.fromtimestamp(hour * 3600, UTC).astimezone(TIMEZONE).utcoffset()
    return int(offset.total_seconds() * 1000) if offset is not None else 0


def local_ms(t_ms: np.ndarray) -> np.ndarray:
    """Epoch milliseconds shifted to Dijon wall-clock time (CET/CEST)."""
    t = np.asarray(t_ms, dtype=np.int64)
    hours, inverse = np.unique(t // MS_PER_HOUR, return_inverse=True)
    offsets = np.array([_offset_for_hour(int(h)) for h in hours], dtype=np.int64)
    return t + offsets[inverse.reshape(t.shape)]


def local_hour(t_ms: np.ndarray) -> np.ndarray:
    """Hour of the day in Dijon as a float in [0, 24)."""
    return (local_ms(t_ms) % MS_PER_DAY) / MS_PER_HOUR


def minute_of_week(t_ms: np.ndarray) -> np.ndarray:
    """Minutes since Monday 00:00 local time (1970-01-01 was a Thursday)."""
    local = local_ms(t_ms)
    return (((local // MS_PER_DAY) + 3) % 7) * 1440 + (local % MS_PER_DAY) // MS_PER_MINUTE


class ReportSchedule:
    """Periodic report instants: asset ``i`` reports at ``phase[i] + k * period[i]``."""

    def __init__(self, periods_ms: np.ndarray, phases_ms: np.ndarray) -> None:
        periods = np.asarray(periods_ms, dtype=np.int64)
        phases = np.asarray(phases_ms, dtype=np.int64) % periods
        self._groups: list[tuple[int, np.ndarray, np.ndarray]] = []
        for period in np.unique(periods):
            members = np.flatnonzero(periods == period)
            order = np.argsort(phases[members], kind="stable")
            self._groups.append((int(period), members[order], phases[members][order]))

    def due(self, after_ms: int, until_ms: int) -> tuple[np.ndarray, np.ndarray]:
        """Assets and instants of every report in ``(after_ms, until_ms]``."""
        found_idx, found_t = [], []
        for period, members, phases in self._groups:
            if until_ms - after_ms < period:
                idx, t = self._due_once(period, members, phases, after_ms, until_ms)
            else:
                first = (after_ms - phases) // period + 1
                counts = (until_ms - phases) // period - first + 1
                idx = np.repeat(members, counts)
                within = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
                t = np.repeat(phases + first * period, counts) + within * period
            found_idx.append(idx)
            found_t.append(t)
        if not found_idx:
            return np.empty(0, np.intp), np.empty(0, np.int64)
        return np.concatenate(found_idx), np.concatenate(found_t)

    @staticmethod
    def _due_once(period: int, members: np.ndarray, phases: np.ndarray, after_ms: int,
                  until_ms: int) -> tuple[np.ndarray, np.ndarray]:
        """Window shorter than the period: each asset is due at most once, found by binary search."""
        a, b = after_ms % period, until_ms % period
        lo, hi = np.searchsorted(phases, a, side="right"), np.searchsorted(phases, b, side="right")
        picked = np.arange(lo, hi) if a <= b else np.concatenate([np.arange(lo, len(phases)), np.arange(0, hi)])
        t = until_ms - (b - phases[picked]) % period
        return members[picked], t
