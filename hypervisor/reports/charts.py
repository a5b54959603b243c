"""Pictures for the reports, drawn offscreen by the console's own widgets (trend, city map) and pyqtgraph."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QWidget

from widgets import theme
from widgets.citymap import CityMapWidget, MapDomain, basemap_layers_from_geojson
from widgets.trend import TrendWidget
from widgets.trend_plot import LocalDateAxis

PRIORITY_CODES = {"low": 1, "medium": 2, "high": 3, "critical": 4}


def snapshot(widget: QWidget, width: int, height: int) -> QImage:
    """The widget drawn at the given size without ever appearing on a screen."""
    widget.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen)
    widget.resize(width, height)
    widget.show()
    image = widget.grab().toImage()
    widget.close()
    widget.deleteLater()
    return image


@dataclass(frozen=True, slots=True)
class TrendSeries:
    label: str
    ts_ms: np.ndarray
    values: np.ndarray


def trend_image(title: str, unit: str, series: Sequence[TrendSeries], limits: tuple[float | None, float | None],
                since_ms: int, until_ms: int, size: tuple[int, int] = (1000, 360)) -> QImage:
    """A trend as the console draws it, over the whole period, with its alarm limits as dashed lines."""
    trend = TrendWidget(title, unit, capacity=max(1, max((len(s.ts_ms) for s in series), default=1)))
    for item in series:
        trend.add_series(item.label)
        trend.extend(item.label, item.ts_ms, item.values)
    trend.set_limits(*limits)
    trend.set_window(max(1.0, (until_ms - since_ms) / 1000))
    trend.refresh()
    trend.plot.getPlotItem().setXRange(since_ms / 1000, until_ms / 1000, padding=0)
    return snapshot(trend, *size)


def bars_image(title: str, starts_ms: np.ndarray, counts: np.ndarray, period_ms: int, threshold: float | None,
               size: tuple[int, int] = (1000, 330)) -> QImage:
    """Counts per period as bars over local time, with an optional threshold line (e.g. EEMUA's flood)."""
    plot = pg.PlotWidget(background=theme.SURFACE, axisItems={"bottom": LocalDateAxis(orientation="bottom")})
    item = plot.getPlotItem()
    item.setTitle(title, color=theme.TEXT_MUTED)
    item.showGrid(x=False, y=True, alpha=0.15)
    centres = (starts_ms + period_ms / 2) / 1000
    colours = [theme.PRIORITY_COLOURS["high"] if threshold is not None and c > threshold else theme.SERIES_COLOURS[0]
               for c in counts.tolist()]
    item.addItem(pg.BarGraphItem(x=centres, height=counts, width=period_ms / 1000 * 0.85, brushes=colours,
                                 pen=pg.mkPen(None)))
    if threshold is not None:
        item.addItem(pg.InfiniteLine(threshold, angle=0, pen=pg.mkPen(theme.LIMIT_COLOURS["hi"], width=1.5,
                                                                      style=Qt.PenStyle.DashLine)))
    if len(starts_ms):
        item.setXRange(starts_ms[0] / 1000, (starts_ms[-1] + period_ms) / 1000, padding=0.01)
    for name in ("left", "bottom"):
        item.getAxis(name).setTextPen(pg.mkPen(theme.TEXT_MUTED))
    return snapshot(plot, *size)


def map_image(assets: tuple[list[str], list[str], list[float], list[float]], basemap: dict | None,
              alarms: dict[str, tuple[str, bool]], size: tuple[int, int] = (1000, 720)) -> QImage:
    """The city map of ``assets`` (ids, domains, longitudes, latitudes) with the alarms given
    (asset id -> (priority, unacknowledged)) as the console shows them."""
    ids, domains, lon, lat = assets
    view = CityMapWidget()
    if basemap is not None:
        view.set_basemap(basemap_layers_from_geojson(basemap))
    view.set_assets(np.asarray(lon), np.asarray(lat), np.array([MapDomain[d.upper()] for d in domains]), ids)
    priority = np.zeros(len(ids), np.uint8)
    unacked = np.zeros(len(ids), bool)
    for index, asset_id in enumerate(ids):
        state = alarms.get(asset_id)
        if state is not None:
            priority[index] = PRIORITY_CODES.get(state[0], 1)
            unacked[index] = state[1]
    view.set_states(priority, unacked)
    view.resize(*size)
    view.fit_city()
    image = QImage(size[0], size[1], QImage.Format.Format_ARGB32_Premultiplied)
    view.render_frame(image)
    view.deleteLater()
    return image
