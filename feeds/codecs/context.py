"""What a foreign-format codec needs: the inventory, the clock reading, and a batch to fill."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from feeds.catalogue import KIND_METRICS
from feeds.codecs.mapping import Mapped
from feeds.codecs.schema import shorten
from feeds.codecs.timestamps import check_range, parse_timestamp
from feeds.inventory import Asset, Inventory
from feeds.model import Measurement, MetricValue, Reading
from feeds.rejection import Reason, Rejected

if TYPE_CHECKING:
    from feeds.devices import DeviceProfiles


@dataclass(frozen=True, slots=True)
class ForeignContext:
    """One message's view of the world: assets, the time it arrived, the future-time limit."""

    inventory: Inventory
    now_ms: int
    max_future_ms: int
    profiles: DeviceProfiles | None = None
    parts_rejected: list[Rejected] = field(default_factory=list)
    """Parts of the message refused while the rest is used (one unknown entity of a notification)."""

    def timestamp(self, value: object, asset_id: str | None) -> int:
        """Epoch ms of a foreign timestamp field; ``None`` means the arrival time."""
        if value is None:
            return self.now_ms
        return parse_timestamp(value, self.now_ms, self.max_future_ms, asset_id)

    def check_ms(self, ms: int, asset_id: str | None) -> int:
        return check_range(ms, self.now_ms, self.max_future_ms, asset_id)

    def resolve(self, name: str) -> Asset | None:
        """An asset by id or alias; a URN ending in one of our ids (``urn:...:W-P-012``) names that asset."""
        asset = self.inventory.resolve(name)
        if asset is None and name.startswith("urn:"):
            asset = self.inventory.get(name.rpartition(":")[2])
        return asset

    def resolve_device(self, *names: object) -> Asset | None:
        """A LoRaWAN device by device id, name or DevEUI; DevEUIs match in any hex case."""
        for name in names:
            if type(name) is not str or not name:
                continue
            for candidate in (name, name.upper(), name.lower()):
                asset = self.inventory.resolve(candidate)
                if asset is not None:
                    return asset
        return None


@dataclass(slots=True)
class MeasurementBatch:
    """Mapped metrics grouped by asset and instant; becomes the message's measurements or a rejection."""

    groups: dict[tuple[str, int], tuple[Asset, dict[str, MetricValue]]] = field(default_factory=dict)
    ignored: list[str] = field(default_factory=list)
    assets: dict[str, Asset] = field(default_factory=dict)

    def add(self, asset: Asset, ts_ms: int, metric: str, value: MetricValue, combine: str | None = None) -> None:
        """One value; with ``combine = "min"`` the lowest of several values of the metric is kept."""
        self.assets[asset.id] = asset
        group = self.groups.get((asset.id, ts_ms))
        if group is None:
            self.groups[(asset.id, ts_ms)] = (asset, {metric: value})
            return
        metrics = group[1]
        if combine == "min" and metric in metrics:
            value = min(metrics[metric], value)  # type: ignore[type-var]
        metrics[metric] = value

    def add_all(self, asset: Asset, ts_ms: int, name: str, mapped: list[Mapped]) -> None:
        """The values one attribute maps to, or a note that it maps to nothing we supervise."""
        if not mapped:
            self.ignore(asset, name)
        for item in mapped:
            self.add(asset, ts_ms, *item)

    def ignore(self, asset: Asset, name: str) -> None:
        """Remember an attribute we have no use for, to explain an empty result."""
        self.assets[asset.id] = asset
        if len(self.ignored) < 8:
            self.ignored.append(shorten(name, 40))

    def measurements(self, what: str) -> list[Reading]:
        """The measurements, or ``Rejected(NO_METRICS)`` naming what was there instead."""
        if self.groups:
            return [Measurement(a.id, a.domain, ts, metrics) for (_, ts), (a, metrics) in self.groups.items()]
        if len(self.assets) != 1:
            detail = f"{what} carries no field we can map" if self.assets else f"{what} carries no values"
            raise Rejected(Reason.NO_METRICS, detail, None)
        asset = next(iter(self.assets.values()))
        ours = ", ".join(sorted(KIND_METRICS.get(asset.kind, ()))) or "none"
        detail = (
            f"none of the fields {self.ignored} of this {what} maps to a metric of {asset.kind} {asset.id} ({ours})"
        )
        raise Rejected(Reason.NO_METRICS, detail, asset.id)
