"""Time conditions of schedule-aware rules (day, night, occupancy, heating season), refreshed each minute.

Gates are shared: every asset in the same 0.1° cell shares one sun gate, every building with the same
schedule one occupancy gate, so a refresh costs a few sun computations, not one per luminaire.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

from alerts.schedule import Occupancy, OccupancyError
from feeds.inventory import Asset

SunElevation = Callable[[float, float, int], float]
"""``sun_elevation_deg(lon, lat, ts_ms)``: degrees above the horizon at that position and instant."""

GateId = tuple[str, str | float, str | float, float]

log = logging.getLogger(__name__)

HEATING_MONTHS = frozenset({10, 11, 12, 1, 2, 3, 4})
_MINUTE_MS = 60_000


class GateBoard:
    """Current truth of every gate; ``refresh`` says which gates flipped since the previous minute."""

    def __init__(self, sun_elevation_deg: SunElevation | None = None) -> None:
        self._sun = sun_elevation_deg
        self.values: dict[GateId, bool] = {}
        self._minute: int | None = None

    def gate(self, name: str, asset_lon: float, asset_lat: float, occupancy: str | None, margin: float,
             timezone: str) -> GateId | None:
        """The shared gate for one asset, or None when the asset lacks what the gate needs (a schedule)."""
        if name in ("day", "night"):
            gid: GateId = (name, round(asset_lon, 1), round(asset_lat, 1), margin)
        elif name in ("occupied", "unoccupied"):
            if not occupancy or _occupancy(occupancy) is None:
                return None
            gid = (name, occupancy, timezone, 0.0)
        else:
            gid = (name, timezone, "", 0.0)
        self.values.setdefault(gid, False)
        return gid

    def refresh(self, now_ms: int, force: bool = False) -> list[GateId]:
        """Recompute once per minute of engine time; returns the gates whose value changed."""
        minute = now_ms // _MINUTE_MS
        if minute == self._minute and not force:
            return []
        self._minute = minute
        flipped = []
        for gid, old in self.values.items():
            new = self._evaluate(gid, now_ms)
            if new != old:
                self.values[gid] = new
                flipped.append(gid)
        return flipped

    def _evaluate(self, gid: GateId, now_ms: int) -> bool:
        name, a, b, margin = gid
        if name in ("day", "night") and self._sun is None:
            self._sun = default_sun_elevation()
        if name == "day":
            return self._sun(float(a), float(b), now_ms) > margin  # type: ignore[misc]
        if name == "night":
            return self._sun(float(a), float(b), now_ms) < -margin  # type: ignore[misc]
        if name in ("occupied", "unoccupied"):
            occupancy = _occupancy(str(a))
            occupied = occupancy is not None and occupancy.is_occupied(now_ms, ZoneInfo(str(b)))
            return occupied == (name == "occupied")
        return datetime.fromtimestamp(now_ms / 1000, ZoneInfo(str(a))).month in HEATING_MONTHS


def occupancy_text(asset: Asset, parent: Asset | None) -> str | None:
    """A boiler follows its building's schedule unless it has its own."""
    text = asset.attrs.get("occupancy")
    if not text and parent is not None:
        text = parent.attrs.get("occupancy")
    return text if isinstance(text, str) else None


@lru_cache(maxsize=1024)
def _occupancy(text: str) -> Occupancy | None:
    try:
        return Occupancy.parse(text)
    except OccupancyError as exc:
        log.warning("occupancy schedule ignored, occupancy rules skip its assets: %s", exc)
        return None


def default_sun_elevation() -> SunElevation:
    """The NOAA sun position of ``feeds.solar``, imported when a rule first needs day or night."""
    from feeds.solar import sun_elevation

    def elevation(lon: float, lat: float, ts_ms: int) -> float:
        return float(sun_elevation(ts_ms, lon, lat))

    return elevation
