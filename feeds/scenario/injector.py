"""What each scripted injection does to the sandbox's city: simulator faults, or forced metrics."""

from __future__ import annotations

from feeds.inventory import Inventory
from feeds.scenario.model import Injection
from feeds.scenario.overrides import MetricOverride
from feeds.simulator.faults import TARGET_KINDS, Fault


def faults_for(injection: Injection, at_ms: int, inventory: Inventory) -> list[Fault]:
    """The simulator faults of a ``fault``, ``silence`` or ``burst`` injection starting at ``at_ms``."""
    if injection.kind in ("fault", "silence"):
        return [Fault(injection.fault, injection.asset, at_ms, injection.duration_ms, injection.value,
                      f"{injection.id}@{at_ms}")]
    if injection.kind == "burst":
        return [Fault(injection.fault, asset_id, at_ms, injection.duration_ms, injection.value,
                      f"{injection.id}:{asset_id}@{at_ms}")
                for asset_id in burst_targets(injection, inventory)]
    return []


def burst_targets(injection: Injection, inventory: Inventory) -> list[str]:
    """The assets a burst strikes: the first ``count`` of its district that the fault applies to, by id."""
    kinds = TARGET_KINDS.get(injection.fault) or frozenset()
    found = sorted(a.id for a in inventory if a.district == injection.district and a.kind in kinds)
    return found[: injection.count]


def override_for(injection: Injection, at_ms: int, inventory: Inventory) -> MetricOverride | None:
    """The forced metric of a ``force`` or ``ramp`` injection starting at ``at_ms``."""
    if injection.kind not in ("force", "ramp") or injection.value is None:
        return None
    asset = inventory.resolve(injection.asset)
    if asset is None:
        raise ValueError(f"injection {injection.id!r}: asset {injection.asset!r} is not in the inventory")
    until = None if injection.duration_ms is None else at_ms + injection.duration_ms
    ramp = (injection.over_ms or 0) if injection.kind == "ramp" else 0
    return MetricOverride(asset.id, asset.domain, injection.metric, at_ms, injection.value, injection.ramp_from,
                          ramp, until)
