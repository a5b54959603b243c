"""The pyqtgraph side of a trend: plot, time axis in the city's zone and language, limit lines, cursor.

Imported once a trend is enabled (``TrendWidget.enable_plot``): pyqtgraph and the Qt
modules it loads take about a third of a second, which the console's first look does without.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from pyqtgraph.graphicsItems.DateAxisItem import (
    DAY_HOUR_ZOOM_LEVEL,
    DAY_SPACING,
    HOUR_SPACING,
    TickSpec,
    ZoomLevel,
    adjustTimestampToPreferredUtcOffset,
    makeSStepper,
)
from PySide6.QtCore import QCoreApplication, QDateTime, QLocale, Qt, QTimeZone
from PySide6.QtWidgets import QWidget

from widgets import theme

_QT_DATE_FORMATS = {"%a %d": "ddd d", "%b": "MMM"}
"""pyqtgraph's tick formats that name a day or a month, and the Qt formats that name them in the locale."""


HOURS_EVERY = [1, 2, 3, 6]
"""Hour label steps: pyqtgraph goes from one hour straight to six, so a six-hour trend in a dock showed a
single time label."""


class LocalDateAxis(pg.DateAxisItem):
    """Time axis whose day and month names follow the interface language (pyqtgraph's come from the C
    locale, so a French console read "Sun 22"), with hours labelled every 1, 2, 3 or 6 hours."""

    def __init__(self, orientation: str = "bottom") -> None:
        super().__init__(orientation=orientation)
        hours = ZoomLevel([TickSpec(DAY_SPACING, makeSStepper(DAY_SPACING), "%a %d"),
                           TickSpec(HOUR_SPACING, makeSStepper(HOUR_SPACING), "%H:%M", autoSkip=HOURS_EVERY)],
                          DAY_HOUR_ZOOM_LEVEL.exampleText)
        self.zoomLevels = {limit: hours if level is DAY_HOUR_ZOOM_LEVEL else level
                           for limit, level in self.zoomLevels.items()}

    def tickStrings(self, values: list[float], scale: float, spacing: float) -> list[str]:
        spec = next((s for s in self.zoomLevel.tickSpecs if s.spacing == spacing), None)
        qt_format = _QT_DATE_FORMATS.get(spec.format) if spec is not None else None
        if qt_format is None:
            return super().tickStrings(values, scale, spacing)
        locale, utc = QLocale(), QTimeZone.utc()
        return [
            locale.toString(QDateTime.fromSecsSinceEpoch(int(adjustTimestampToPreferredUtcOffset(v, self.utcOffset)),
                                                         utc), qt_format)
            for v in values
        ]


class TrendPlot:
    """A plot with its limit lines, replay cursor and "no data yet" text; curves are added by name."""

    def __init__(self, parent: QWidget, title: str, unit: str) -> None:
        self.widget = pg.PlotWidget(
            parent=parent, background=theme.SURFACE, axisItems={"bottom": LocalDateAxis(orientation="bottom")}
        )
        item = self.widget.getPlotItem()
        item.setTitle(title, color=theme.TEXT_MUTED)
        item.setLabel("left", unit, color=theme.TEXT_MUTED)
        item.showGrid(x=True, y=True, alpha=0.15)
        item.setDownsampling(auto=True, mode="peak")
        item.setClipToView(True)
        item.setMouseEnabled(x=False, y=True)
        item.getAxis("left").enableAutoSIPrefix(False)  # "kW", never "kW (x0.001)"
        for name in ("left", "bottom"):
            axis = item.getAxis(name)
            axis.setPen(pg.mkPen(theme.BORDER))
            axis.setTextPen(pg.mkPen(theme.TEXT_MUTED))
        self.legend = item.addLegend(offset=(10, 10), labelTextColor=theme.TEXT_MUTED)
        self.limit_lines = tuple(
            pg.InfiniteLine(angle=0, movable=False, pen=pg.mkPen(theme.LIMIT_COLOURS[name], width=1.5,
                                                                   style=Qt.PenStyle.DashLine))
            for name in ("lo", "hi")
        )
        for line in self.limit_lines:
            line.setVisible(False)
            item.addItem(line, ignoreBounds=True)
        self.cursor = pg.InfiniteLine(angle=90, movable=False, pen=pg.mkPen(theme.MODE_COLOURS["replay"][0], width=2))
        self.cursor.setVisible(False)
        item.addItem(self.cursor, ignoreBounds=True)
        self.waiting = pg.TextItem(QCoreApplication.translate("TrendWidget", "no data yet"), color=theme.TEXT_MUTED,
                                   anchor=(0.5, 0.5))
        item.addItem(self.waiting, ignoreBounds=True)
        self.waiting.setPos(0.5, 0.5)

    def add_curve(self, label: str, colour: str) -> pg.PlotDataItem:
        return self.widget.getPlotItem().plot(name=label, pen=pg.mkPen(colour, width=2), connect="finite",
                                              symbolBrush=colour, symbolPen=colour, symbolSize=8)

    @staticmethod
    def draw(curve: pg.PlotDataItem, seconds: np.ndarray, values: np.ndarray) -> None:
        """A series' points; a lone one (a line needs two: a trend's first minute) is drawn as a dot."""
        lone = len(seconds) == 1
        if (curve.opts["symbol"] is not None) != lone:
            curve.setSymbol("o" if lone else None)
        curve.setData(seconds, values)

    def remove_curves(self, curves: list[pg.PlotDataItem]) -> None:
        item = self.widget.getPlotItem()
        for curve in curves:
            item.removeItem(curve)
        if self.legend is not None:
            self.legend.clear()

    def show_axes(self, shown: bool) -> None:
        """An empty trend says "no data yet" instead of showing axes with meaningless numbers."""
        item = self.widget.getPlotItem()
        for name in ("left", "bottom"):
            item.showAxis(name, shown)
        self.waiting.setVisible(not shown)

    def set_limits(self, limits: tuple[float | None, float | None]) -> None:
        for line, level in zip(self.limit_lines, limits, strict=True):
            line.setVisible(level is not None)
            if level is not None:
                line.setValue(level)

    def set_cursor(self, ts_ms: int | None) -> None:
        self.cursor.setVisible(ts_ms is not None)
        if ts_ms is not None:
            self.cursor.setValue(ts_ms / 1000.0)

    def set_utc_offset(self, seconds: int) -> None:
        self.widget.getPlotItem().getAxis("bottom").utcOffset = seconds

    def set_range(self, x_range: tuple[float, float], y_range: tuple[float, float] | None) -> None:
        # One range change for both axes: each costs pyqtgraph a full relayout of the plot.
        self.widget.getPlotItem().getViewBox().setRange(xRange=x_range, yRange=y_range, padding=0)
