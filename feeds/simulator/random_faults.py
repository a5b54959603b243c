"""Demo mode: now and then a random fault of any kind, which clears itself after a while."""

from __future__ import annotations

import numpy as np

from feeds.inventory import Inventory
from feeds.simulator.faults import FAULT_KINDS, TARGET_KINDS, Fault
from feeds.simulator.timing import MS_PER_HOUR, MS_PER_MINUTE

DURATION_MIN = (10, 60)
DEFAULT_PER_HOUR = 12.0
"""The demo's and ``hypervisor simulate``'s rate: an alarm now and then for an operator to work on, and at
60× a fault every few real seconds, which is still far below a flood."""


class RandomFaults:
    """Draws faults as a Poisson process of ``per_hour`` faults per simulated hour."""

    def __init__(self, inventory: Inventory, seed: int, per_hour: float) -> None:
        if not np.isfinite(per_hour) or per_hour < 0:
            raise ValueError(f"random fault rate must be a finite number >= 0, got {per_hour!r}")
        self.per_hour = per_hour
        self._rng = np.random.default_rng([seed, 99])
        self._drawn = 0
        self._targets: dict[str, list[str]] = {}
        for kind in FAULT_KINDS:
            allowed = TARGET_KINDS[kind]
            ids = [a.id for a in inventory if allowed is None or a.kind in allowed]
            if kind == "main_burst":
                ids = [a.id for a in inventory if a.kind == "flow_meter" and a.attrs.get("role") == "district"]
            if ids:
                self._targets[kind] = ids

    def draw(self, after_ms: int, until_ms: int) -> list[Fault]:
        """Faults starting in ``(after_ms, until_ms]``."""
        if self.per_hour == 0 or until_ms <= after_ms or not self._targets:
            return []
        count = int(self._rng.poisson(self.per_hour * (until_ms - after_ms) / MS_PER_HOUR))
        kinds = list(self._targets)
        faults = []
        for _ in range(count):
            kind = kinds[int(self._rng.integers(len(kinds)))]
            targets = self._targets[kind]
            self._drawn += 1
            faults.append(Fault(
                kind=kind,
                asset_id=targets[int(self._rng.integers(len(targets)))],
                start_ms=int(self._rng.integers(after_ms + 1, until_ms + 1)),
                duration_ms=int(self._rng.integers(*DURATION_MIN)) * MS_PER_MINUTE,
                fault_id=f"random-{self._drawn}",
            ))
        return faults
