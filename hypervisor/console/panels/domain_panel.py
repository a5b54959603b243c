"""A domain's panel: analog gauges of its key figures and a trend backfilled from the historian."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QGridLayout, QWidget

from alerts.limits import MetricLimits
from hypervisor.console.history import DomainHistory
from widgets.gauge import GaugeWidget
from widgets.trend import TrendWidget

TREND_STEP_MS = 60_000
STALE_AFTER_MS = 5 * 60_000  # the densest feeds of every domain report at least every 5 min


@dataclass(frozen=True, slots=True)
class GaugeSpec:
    kpi: str
    title: str
    unit: str
    minimum: float
    maximum: float
    band: tuple[float, float] | None = None
    """A normal band where no rule sets one (e.g. the comfort range every building shares by default)."""
    decimals: int = 1


def domain_specs() -> dict[str, tuple[str, list[GaugeSpec]]]:
    """Title and gauges per domain; the first gauge's figure is also the trend."""
    return {
        "lighting": (
            QCoreApplication.translate("DomainPanel", "Lighting"),
            [
                GaugeSpec(
                    "lighting_power_kw",
                    QCoreApplication.translate("DomainPanel", "Lighting power"),
                    "kW",
                    0,
                    2000,
                    decimals=0,
                ),
                GaugeSpec(
                    "lighting_lit_pct",
                    QCoreApplication.translate("DomainPanel", "Luminaires lit"),
                    "%",
                    0,
                    100,
                    decimals=0,
                ),
            ],
        ),
        "heating": (
            QCoreApplication.translate("DomainPanel", "Heating"),
            [
                GaugeSpec(
                    "heating_mean_temp_c",
                    QCoreApplication.translate("DomainPanel", "Mean indoor temperature"),
                    "°C",
                    5,
                    30,
                    (19, 24),
                ),
                GaugeSpec(
                    "heating_out_of_comfort",
                    QCoreApplication.translate("DomainPanel", "Buildings out of comfort"),
                    "",
                    0,
                    50,
                    (0, 5),
                    decimals=0,
                ),
            ],
        ),
        "waste": (
            QCoreApplication.translate("DomainPanel", "Waste"),
            [
                GaugeSpec(
                    "waste_mean_fill_pct",
                    QCoreApplication.translate("DomainPanel", "Mean container fill"),
                    "%",
                    0,
                    100,
                    decimals=0,
                ),
                GaugeSpec(
                    "waste_over_80",
                    QCoreApplication.translate("DomainPanel", "Containers over 80 %"),
                    "",
                    0,
                    500,
                    (0, 100),
                    decimals=0,
                ),
            ],
        ),
        "water": (
            QCoreApplication.translate("DomainPanel", "Water"),
            [
                GaugeSpec(
                    "water_min_pressure_bar",
                    QCoreApplication.translate("DomainPanel", "Lowest network pressure"),
                    "bar",
                    0,
                    8,
                    decimals=2,
                ),
                GaugeSpec(
                    "water_flow_m3h",
                    QCoreApplication.translate("DomainPanel", "Network flow"),
                    "m³/h",
                    0,
                    6000,
                    decimals=0,
                ),
            ],
        ),
    }


class DomainPanel(QWidget):
    """Gauges and trend of one domain; stale when the domain has been silent too long."""

    def __init__(self, domain: str, parent: QWidget | None = None,
                 limits: dict[str, MetricLimits] | None = None) -> None:
        super().__init__(parent)
        self.domain = domain
        self.limits = dict(limits or {})
        self.title, self.specs = domain_specs()[domain]
        self.gauges: dict[str, GaugeWidget] = {}
        layout = QGridLayout(self)
        for column, spec in enumerate(self.specs):
            gauge = GaugeWidget(spec.title, spec.unit, spec.minimum, spec.maximum, self, decimals=spec.decimals)
            rule_limits = self.limits.get(spec.kpi)
            if rule_limits is not None:
                low, high = rule_limits.normal_band()
                gauge.set_normal_band(spec.minimum if low is None else low, spec.maximum if high is None else high)
                priorities = {level: str(p) for level, p in rule_limits.priorities.items()}
                gauge.set_limits(**rule_limits.levels, priorities=priorities)
            elif spec.band:
                gauge.set_normal_band(*spec.band)
            self.gauges[spec.kpi] = gauge
            layout.addWidget(gauge, 0, column)
        headline = self.specs[0]
        self.trend = TrendWidget(headline.title, headline.unit, parent=self, deferred=True)
        self.trend.add_series(headline.kpi, label=headline.title)
        self.trend.set_window(6 * 3600)
        layout.addWidget(self.trend, 1, 0, 1, len(self.specs))
        layout.setRowStretch(1, 1)
        self._last_point_ms = 0

    def update_kpis(self, kpis: dict[str, float | None], now_ms: int) -> None:
        last = kpis.get(f"{self.domain}_last_ms")
        stale_since = int(last) if last is not None and now_ms - last > STALE_AFTER_MS else None
        for key, gauge in self.gauges.items():
            value = kpis.get(key)
            gauge.set_value(value, int(last) if last else None)
            gauge.set_stale(stale_since)
            rule_limits = self.limits.get(key)
            priority = rule_limits.priority_of(value) if rule_limits is not None and value is not None else None
            gauge.set_alarm(None if priority is None else str(priority))
        headline = self.specs[0].kpi
        value = kpis.get(headline)
        if value is not None and stale_since is None and now_ms - self._last_point_ms >= TREND_STEP_MS:
            self._last_point_ms = now_ms
            self.trend.append(headline, now_ms, value)
            self.trend.refresh_soon()

    def restart_trend(self, cursor_ms: int | None = None) -> None:
        """Forget the trend's points (a replay jumped in time) and mark ``cursor_ms``; history is read again."""
        self.trend.forget_points()
        self.trend.set_cursor(cursor_ms)
        self._last_point_ms = 0

    def set_history(self, history: DomainHistory) -> None:
        if len(history.ts_ms):
            self.trend.extend(self.specs[0].kpi, history.ts_ms, history.values)
            self.trend.refresh()
