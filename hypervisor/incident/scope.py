"""What an incident export covers: a time window, and optionally some districts and domains."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

import numpy as np

from feeds.inventory import Inventory
from hypervisor.historian.frames import CityFrame, Segment

Progress = Callable[[str, float], None]
"""Called with what is being done and the fraction done (0 to 1)."""


def parse_instant(text: str) -> int:
    """An ISO 8601 instant as epoch milliseconds; without a zone it is UTC."""
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError as exc:
        raise ValueError(f"{text!r} is not an ISO 8601 date and time (e.g. 2026-01-15T08:00:00Z)") from exc
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return int(moment.timestamp() * 1000)


def iso(ts_ms: int) -> str:
    return datetime.fromtimestamp(ts_ms / 1000, UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


@dataclass(frozen=True, slots=True)
class ExportScope:
    since_ms: int
    until_ms: int
    districts: frozenset[str] = frozenset()
    domains: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        if self.until_ms <= self.since_ms:
            raise ValueError(f"the period ends ({iso(self.until_ms)}) before it starts ({iso(self.since_ms)})")

    @property
    def filtered(self) -> bool:
        return bool(self.districts or self.domains)

    def asset_ids(self, inventory: Inventory) -> set[str] | None:
        """Assets in scope, or None when every asset is."""
        if not self.filtered:
            return None
        return {a.id for a in inventory if (not self.districts or a.district in self.districts)
                and (not self.domains or a.domain in self.domains)}

    def check(self, inventory: Inventory) -> None:
        """Refuse district or domain names the inventory does not know, listing the ones it does."""
        for asked, known, what in ((self.districts, {a.district for a in inventory}, "district"),
                                   (self.domains, {a.domain for a in inventory}, "domain")):
            unknown = sorted(asked - known)
            if unknown:
                raise ValueError(f"unknown {what} {', '.join(unknown)}; the inventory has {', '.join(sorted(known))}")


def restrict_segment(segment: Segment, keep: np.ndarray) -> Segment:
    """The readings of the assets whose key is marked in ``keep`` (a boolean array by asset key)."""
    if not len(segment):
        return segment
    return segment.select(_mask(keep, segment.keys))


def restrict_frame(frame: CityFrame, keep: np.ndarray) -> CityFrame:
    """The frame with every asset outside ``keep`` as never seen."""
    out = frame.copy()
    drop = ~_mask(keep, np.arange(len(out)))
    out.last_ms[drop] = -1
    out.online[drop] = -1
    out.status_ms[drop] = -1
    for column in out.metrics.values():
        column.present[drop[:len(column.present)]] = False
    return out


def _mask(keep: np.ndarray, keys: np.ndarray) -> np.ndarray:
    inside = keys < len(keep)
    out = np.zeros(len(keys), bool)
    out[inside] = keep[keys[inside]]
    return out
