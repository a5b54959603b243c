"""Metrics a drill forces or ramps on an asset, laid over what the simulator (or a recording) reports."""

from __future__ import annotations

from dataclasses import dataclass

from feeds.model import Measurement, Reading

REPORT_PERIOD_MS = 60_000
"""While a value is forced, the device reports it at least this often, as devices do on alarm."""


@dataclass(frozen=True, slots=True)
class MetricOverride:
    """``metric`` of ``asset_id`` goes from ``start_value`` to ``end_value`` over ``ramp_ms``, then holds."""

    asset_id: str
    domain: str
    metric: str
    start_ms: int
    end_value: float
    start_value: float | None = None
    ramp_ms: int = 0
    until_ms: int | None = None

    def value_at(self, t_ms: int) -> float:
        if self.start_value is None or self.ramp_ms <= 0 or t_ms >= self.start_ms + self.ramp_ms:
            return self.end_value
        share = max(0.0, (t_ms - self.start_ms) / self.ramp_ms)
        return self.start_value + (self.end_value - self.start_value) * share

    def covers(self, t_ms: int) -> bool:
        return self.start_ms <= t_ms and (self.until_ms is None or t_ms < self.until_ms)


class Overrides:
    """Every forced metric of a drill; ``apply`` rewrites a step's readings and adds the forced reports."""

    def __init__(self) -> None:
        self._active: list[MetricOverride] = []

    def add(self, override: MetricOverride) -> None:
        self._active.append(override)

    def __len__(self) -> int:
        return len(self._active)

    def apply(self, readings: list[Reading], after_ms: int, until_ms: int) -> list[Reading]:
        """``readings`` due in ``(after_ms, until_ms]`` with forced values, plus the reports forcing adds."""
        self._active = [o for o in self._active if o.until_ms is None or o.until_ms > after_ms]
        if not self._active:
            return readings
        by_asset: dict[str, list[MetricOverride]] = {}
        for override in self._active:
            by_asset.setdefault(override.asset_id, []).append(override)
        out: list[Reading] = []
        for reading in readings:
            found = by_asset.get(reading.asset_id)
            if found and type(reading) is Measurement:
                metrics = dict(reading.metrics)
                for o in found:
                    if o.covers(reading.ts_ms) and o.metric in metrics:
                        metrics[o.metric] = round(o.value_at(reading.ts_ms), 3)
                out.append(Measurement(reading.asset_id, reading.domain, reading.ts_ms, metrics))
            else:
                out.append(reading)
        for override in self._active:
            for t in _report_times(override, after_ms, until_ms):
                out.append(Measurement(override.asset_id, override.domain, t,
                                       {override.metric: round(override.value_at(t), 3)}))
        out.sort(key=lambda r: r.ts_ms)
        return out


def _report_times(override: MetricOverride, after_ms: int, until_ms: int) -> list[int]:
    """The start of the override, each period after it, and its end, within ``(after_ms, until_ms]``."""
    first = override.start_ms
    times = []
    if after_ms < first <= until_ms:
        times.append(first)
    k = max(1, (after_ms - first) // REPORT_PERIOD_MS + 1)
    t = first + k * REPORT_PERIOD_MS
    while t <= until_ms:
        if t > after_ms and override.covers(t):
            times.append(t)
        t += REPORT_PERIOD_MS
    return times
