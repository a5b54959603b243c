"""What every domain model of the simulator shares: the inventory, the seed, the weather, the faults."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np

from feeds.inventory import Inventory
from feeds.simulator.faults import FaultBook
from feeds.simulator.timing import hash_normal, hash_uniform
from feeds.simulator.weather import Weather

Metrics = dict[str, np.ndarray]


@dataclass(frozen=True, slots=True)
class SimContext:
    """Shared by the domain models; ``kind_of`` holds each inventory asset's kind."""

    inventory: Inventory
    seed: int
    weather: Weather
    faults: FaultBook
    kind_of: np.ndarray

    def indices(self, *kinds: str) -> np.ndarray:
        """Inventory indices of the assets of these kinds, in inventory order."""
        return np.flatnonzero(np.isin(self.kind_of, kinds))

    def attr(self, idx: np.ndarray, name: str, default: float) -> np.ndarray:
        """A numeric attribute for the given assets, ``default`` where absent or not a number."""
        values = [self.inventory.assets[i].attrs.get(name, default) for i in idx]
        return np.array([v if isinstance(v, int | float) and not isinstance(v, bool) else default
                         for v in values], dtype=np.float64)

    def constant(self, stream: int, idx: np.ndarray) -> np.ndarray:
        """A per-asset constant in [0, 1): how this asset differs from its neighbours."""
        return hash_uniform(self.seed, stream, idx)

    def noise(self, stream: int, idx: np.ndarray, t_ms: np.ndarray) -> np.ndarray:
        """Measurement noise, standard normal, fixed for a given asset and instant."""
        return hash_normal(self.seed, stream, idx, t_ms)


class DomainModel(Protocol):
    """One network of the city: computes its assets' metrics at any instant."""

    kinds: tuple[str, ...]

    def advance(self, now_ms: int) -> None:
        """Move internal state (thermal inertia...) forward to ``now_ms``."""

    def measure(self, kind: str, idx: np.ndarray, t_ms: np.ndarray) -> Metrics:
        """Metrics of assets ``idx`` (inventory indices, all of ``kind``) at instants ``t_ms``."""

    def changes(self, after_ms: int, until_ms: int) -> tuple[np.ndarray, np.ndarray]:
        """Assets whose state changed in ``(after_ms, until_ms]`` and when: they report at once."""
