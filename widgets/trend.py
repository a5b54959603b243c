"""Time trend of one or more series, backed by preallocated ring buffers and redrawn on demand."""

from __future__ import annotations

import math
import time
from datetime import datetime

import numpy as np
import numpy.typing as npt
import pyqtgraph as pg
from pyqtgraph.graphicsItems.DateAxisItem import adjustTimestampToPreferredUtcOffset
from PySide6.QtCore import QCoreApplication, QDateTime, QLocale, Qt, QTimer, QTimeZone
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QVBoxLayout, QWidget

from widgets import theme
from widgets.clock import display_zone


class SeriesBuffer:
    """Fixed-capacity ring of (epoch ms, value) pairs kept in time order; the oldest points fall off.

    Late points (a historian backfill arriving after live data) are merged into place, so a curve never
    runs backwards in time.
    """

    def __init__(self, capacity: int) -> None:
        if capacity < 1:
            raise ValueError("capacity must be at least 1")
        self.capacity = capacity
        self._ts = np.empty(capacity, dtype=np.int64)
        self._values = np.empty(capacity, dtype=np.float64)
        self._start = 0
        self._size = 0

    def __len__(self) -> int:
        return self._size

    def last_ts(self) -> int | None:
        """Time of the newest point, or ``None`` when empty."""
        if not self._size:
            return None
        return int(self._ts[(self._start + self._size - 1) % self.capacity])

    def append(self, ts_ms: int, value: float) -> None:
        """Add one point; an out-of-order point is merged into place."""
        last = self.last_ts()
        if last is not None and ts_ms < last:
            self.extend(np.array([ts_ms], dtype=np.int64), np.array([value], dtype=np.float64))
            return
        end = (self._start + self._size) % self.capacity
        self._ts[end] = ts_ms
        self._values[end] = value
        if self._size < self.capacity:
            self._size += 1
        else:
            self._start = (self._start + 1) % self.capacity

    def extend(self, ts_ms: npt.ArrayLike, values: npt.ArrayLike) -> None:
        """Add many points at once (history backfill); keeps time order and the newest ``capacity``."""
        ts = np.asarray(ts_ms, dtype=np.int64).ravel()
        vals = np.asarray(values, dtype=np.float64).ravel()
        if ts.shape != vals.shape:
            raise ValueError(f"{ts.size} timestamps for {vals.size} values")
        if not ts.size:
            return
        if np.any(np.diff(ts) < 0):
            order = np.argsort(ts, kind="stable")
            ts, vals = ts[order], vals[order]
        last = self.last_ts()
        if last is not None and ts[0] < last:
            old_ts, old_vals = self.data()
            merged_ts = np.concatenate((old_ts, ts))
            order = np.argsort(merged_ts, kind="stable")
            self._reset(merged_ts[order], np.concatenate((old_vals, vals))[order])
            return
        if ts.size >= self.capacity:
            self._reset(ts, vals)
            return
        end = (self._start + self._size) % self.capacity
        first = min(ts.size, self.capacity - end)
        self._ts[end : end + first], self._values[end : end + first] = ts[:first], vals[:first]
        rest = ts.size - first
        self._ts[:rest], self._values[:rest] = ts[first:], vals[first:]
        overflow = max(0, self._size + ts.size - self.capacity)
        self._size = min(self.capacity, self._size + ts.size)
        self._start = (self._start + overflow) % self.capacity

    def _reset(self, ts: np.ndarray, values: np.ndarray) -> None:
        keep = min(ts.size, self.capacity)
        self._ts[:keep] = ts[ts.size - keep :]
        self._values[:keep] = values[values.size - keep :]
        self._start, self._size = 0, keep

    def data(self) -> tuple[np.ndarray, np.ndarray]:
        """Copies of the timestamps (epoch ms) and values, oldest first."""
        index = (self._start + np.arange(self._size)) % self.capacity
        return self._ts[index], self._values[index]


MIN_RELATIVE_SPAN = 0.1
REDRAW_EVERY_MS = 500
"""A trend fed at every frame redraws at most this often (``refresh_soon``): a curve over hours moves by
less than a pixel between frames, and each redraw costs pyqtgraph about 40 ms of the GUI thread."""
MIN_ABSOLUTE_SPAN = 1.0


_QT_DATE_FORMATS = {"%a %d": "ddd d", "%b": "MMM"}
"""pyqtgraph's tick formats that name a day or a month, and the Qt formats that name them in the locale."""


class LocalDateAxis(pg.DateAxisItem):
    """Time axis whose day and month names follow the interface language (pyqtgraph's come from the C
    locale, so a French console read "Sun 22")."""

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


class TrendWidget(QWidget):
    """A pyqtgraph plot over local time; appends are cheap, drawing happens only in :meth:`refresh`.

    The console calls ``refresh()`` at its coalesced rate, so a burst of samples costs one redraw.
    The x axis follows the newest sample over the chosen window.
    """

    def __init__(self, title: str, unit: str, capacity: int = 20_000, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._capacity = capacity
        self._window_s = 3600.0
        self._buffers: dict[str, SeriesBuffer] = {}
        self._curves: dict[str, pg.PlotDataItem] = {}
        self._dirty: set[str] = set()
        self._limits: tuple[float | None, float | None] = (None, None)
        self._redrawn_at = -math.inf
        self._redraw_later = QTimer(self)
        self._redraw_later.setSingleShot(True)
        self._redraw_later.timeout.connect(self.refresh)
        self.plot = pg.PlotWidget(
            parent=self, background=theme.SURFACE, axisItems={"bottom": LocalDateAxis(orientation="bottom")}
        )
        item = self.plot.getPlotItem()
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
        self._legend = item.addLegend(offset=(10, 10), labelTextColor=theme.TEXT_MUTED)
        self._limit_lines = tuple(
            pg.InfiniteLine(angle=0, movable=False, pen=pg.mkPen(theme.LIMIT_COLOURS[name], width=1.5,
                                                                   style=Qt.PenStyle.DashLine))
            for name in ("lo", "hi")
        )
        for line in self._limit_lines:
            line.setVisible(False)
            item.addItem(line, ignoreBounds=True)
        self._cursor = pg.InfiniteLine(angle=90, movable=False, pen=pg.mkPen(theme.MODE_COLOURS["replay"][0], width=2))
        self._cursor.setVisible(False)
        item.addItem(self._cursor, ignoreBounds=True)
        self._waiting = pg.TextItem(QCoreApplication.translate("TrendWidget", "no data yet"), color=theme.TEXT_MUTED,
                                    anchor=(0.5, 0.5))
        item.addItem(self._waiting, ignoreBounds=True)
        self._waiting.setPos(0.5, 0.5)
        self._show_axes(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.plot)

    def _show_axes(self, shown: bool) -> None:
        """An empty trend says "no data yet" instead of showing axes with meaningless numbers."""
        item = self.plot.getPlotItem()
        for name in ("left", "bottom"):
            item.showAxis(name, shown)
        self._waiting.setVisible(not shown)

    def is_waiting(self) -> bool:
        """Whether the trend has no sample yet and says so."""
        return self._waiting.isVisible()

    def add_series(self, name: str, colour: str | None = None, label: str | None = None) -> None:
        """Create a series; the colour defaults to the next theme series colour, the legend's label to ``name``."""
        if name in self._buffers:
            raise ValueError(f"series {name!r} already exists")
        colour = colour or theme.SERIES_COLOURS[len(self._buffers) % len(theme.SERIES_COLOURS)]
        self._buffers[name] = SeriesBuffer(self._capacity)
        curve = self.plot.getPlotItem().plot(name=label or name, pen=pg.mkPen(colour, width=2), connect="finite")
        self._curves[name] = curve

    def series_names(self) -> list[str]:
        """Names of the series, in creation order."""
        return list(self._buffers)

    def set_series_visible(self, name: str, visible: bool) -> None:
        """Show or hide one series (its data is kept)."""
        self._curves[name].setVisible(visible)

    def is_series_visible(self, name: str) -> bool:
        return self._curves[name].isVisible()

    def clear(self) -> None:
        """Remove every series, e.g. when the panel switches to another asset."""
        item = self.plot.getPlotItem()
        for curve in self._curves.values():
            item.removeItem(curve)
        if self._legend is not None:
            self._legend.clear()
        self._buffers.clear()
        self._curves.clear()
        self._dirty.clear()
        self._show_axes(False)

    def forget_points(self) -> None:
        """Drop every series' points but keep the series: a replay's seek, many times a minute, without
        the plot items that ``clear`` and ``add_series`` make anew (50 ms of the GUI thread each time)."""
        for name, curve in self._curves.items():
            self._buffers[name] = SeriesBuffer(self._capacity)
            curve.setData([], [])
        self._dirty.clear()
        self._show_axes(False)

    def append(self, name: str, ts_ms: int, value: float | None) -> None:
        """Record one sample; ``None`` records a gap in the line."""
        self._buffers[name].append(ts_ms, np.nan if value is None else value)
        self._dirty.add(name)

    def extend(self, name: str, ts_ms: npt.ArrayLike, values: npt.ArrayLike) -> None:
        """Record many samples at once, e.g. history read back from the historian."""
        self._buffers[name].extend(ts_ms, values)
        self._dirty.add(name)

    def series_data(self, name: str) -> tuple[np.ndarray, np.ndarray]:
        """Timestamps (epoch ms) and values of a series, oldest first."""
        return self._buffers[name].data()

    def set_limits(self, lo: float | None, hi: float | None) -> None:
        """Alarm limits drawn as dashed horizontal lines; ``None`` hides a line."""
        self._limits = (lo, hi)
        for line, level in zip(self._limit_lines, self._limits, strict=True):
            line.setVisible(level is not None)
            if level is not None:
                line.setValue(level)

    def set_cursor(self, ts_ms: int | None) -> None:
        """A vertical line at an instant (the replayed one); ``None`` hides it."""
        self._cursor.setVisible(ts_ms is not None)
        if ts_ms is not None:
            self._cursor.setValue(ts_ms / 1000.0)

    def cursor(self) -> int | None:
        """The instant marked by the cursor, if shown."""
        return round(self._cursor.value() * 1000) if self._cursor.isVisible() else None

    def limits(self) -> tuple[float | None, float | None]:
        """The (lo, hi) limits currently drawn."""
        return self._limits

    def set_window(self, seconds: float) -> None:
        """Visible time span ending at the newest sample (e.g. 3600 for one hour)."""
        if seconds <= 0:
            raise ValueError("window must be positive")
        self._window_s = float(seconds)
        self._follow_newest()

    def window(self) -> float:
        """Visible time span in seconds."""
        return self._window_s

    def refresh(self) -> None:
        """Push the series that changed since the last refresh to the plot and follow the newest sample.

        A hidden trend (a domain tab not shown) keeps its changes for when it is shown: redrawing it
        would cost the GUI thread the same as a visible one.
        """
        if not self.isVisible():
            return
        self._redraw_later.stop()
        self._redrawn_at = time.monotonic()
        for name in self._dirty:
            ts, values = self._buffers[name].data()
            self._curves[name].setData(ts / 1000.0, values)
        changed = bool(self._dirty)
        self._dirty.clear()
        if changed:
            self._follow_newest()

    def refresh_soon(self) -> None:
        """``refresh`` now, or once ``REDRAW_EVERY_MS`` have passed since the last redraw."""
        if self._redraw_later.isActive():
            return
        wait_ms = REDRAW_EVERY_MS - (time.monotonic() - self._redrawn_at) * 1000
        if wait_ms > 0:
            self._redraw_later.start(math.ceil(wait_ms))
            return
        self.refresh()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.refresh()

    def _follow_newest(self) -> None:
        newest = [last for buffer in self._buffers.values() if (last := buffer.last_ts()) is not None]
        if newest:
            if self.is_waiting():
                self._show_axes(True)
            end = max(newest) / 1000.0
            self._follow_zone(end)
            # One range change for both axes: each costs pyqtgraph a full relayout of the plot.
            self.plot.getPlotItem().getViewBox().setRange(
                xRange=(end - self._window_s, end), yRange=self._value_range(int(end * 1000 - self._window_s * 1000)),
                padding=0)

    def _follow_zone(self, at_s: float) -> None:
        """Hours on the time axis in the display zone (the city's), not the machine's."""
        offset = datetime.fromtimestamp(at_s, display_zone()).utcoffset()
        self.plot.getPlotItem().getAxis("bottom").utcOffset = -int(offset.total_seconds()) if offset else 0

    def _value_range(self, since_ms: int) -> tuple[float, float] | None:
        """The value axis fitted to what is shown (with a 5 % margin), but never so tight that noise on a
        steady value looks like a swing; None when nothing is shown."""
        shown = [values[(ts >= since_ms) & np.isfinite(values)]
                 for name, curve in self._curves.items() if curve.isVisible()
                 for ts, values in (self._buffers[name].data(),)]
        shown = [v for v in shown if v.size]
        if not shown:
            return None
        low = min(float(v.min()) for v in shown)
        high = max(float(v.max()) for v in shown)
        centre = (low + high) / 2
        least = max(abs(centre) * MIN_RELATIVE_SPAN, MIN_ABSOLUTE_SPAN)
        if high - low < least:
            low, high = centre - least / 2, centre + least / 2
            if min(float(v.min()) for v in shown) >= 0 > low:  # a power or a level never reads below zero
                low, high = 0.0, least
        margin = (high - low) * 0.05
        return low - margin, high + margin
