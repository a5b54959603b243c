"""The header of key figures a director asks for, one tile per figure, across the four domains."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QHBoxLayout, QWidget

from alerts.limits import MetricLimits
from hypervisor.console.state import NIGHT_FLOW_HOURS
from widgets.kpi import KpiTile


class KpiHeader(QWidget):
    """Lighting power and share lit, comfort, full containers, lowest pressure, minimum night flow."""

    def __init__(self, parent: QWidget | None = None, limits: dict[str, MetricLimits] | None = None) -> None:
        super().__init__(parent)
        self.limits = dict(limits or {})
        self.tiles = {
            "lighting_power_kw": KpiTile(
                QCoreApplication.translate("KpiHeader", "Lighting power"), "kW", self, decimals=0
            ),
            "lighting_lit_pct": KpiTile(
                QCoreApplication.translate("KpiHeader", "Luminaires lit"), "%", self, decimals=0
            ),
            "heating_out_of_comfort": KpiTile(
                QCoreApplication.translate("KpiHeader", "Buildings out of comfort"), "", self
            ),
            "waste_over_80": KpiTile(QCoreApplication.translate("KpiHeader", "Containers over 80\u00a0%"), "", self),
            "water_min_pressure_bar": KpiTile(
                QCoreApplication.translate("KpiHeader", "Lowest network pressure"), "bar", self, decimals=2
            ),
            "water_min_night_flow_m3h": KpiTile(
                QCoreApplication.translate("KpiHeader", "Minimum night flow"), "m³/h", self, decimals=0
            ),
        }
        start, end = NIGHT_FLOW_HOURS
        self.tiles["water_min_night_flow_m3h"].set_subtext(
            QCoreApplication.translate("KpiHeader", "from {start}:00 to {end}:00").format(start=start, end=end)
        )
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        for tile in self.tiles.values():
            layout.addWidget(tile)

    def update_kpis(self, kpis: dict[str, float | None], night: bool) -> None:
        for key, tile in self.tiles.items():
            tile.set_value(kpis.get(key))
        lit = self.tiles["lighting_lit_pct"]
        lit.set_subtext(
            QCoreApplication.translate("KpiHeader", "night")
            if night
            else QCoreApplication.translate("KpiHeader", "day")
        )
        lit.set_state("warning" if night and (kpis.get("lighting_lit_pct") or 100) < 90 else "normal")
        for key, rule_limits in self.limits.items():
            tile, value = self.tiles.get(key), kpis.get(key)
            if tile is not None:
                priority = rule_limits.priority_of(value) if value is not None else None
                tile.set_state("normal" if priority is None else str(priority))
