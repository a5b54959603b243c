"""Time trend of one or more series, backed by preallocated ring buffers and redrawn on demand (the plot
itself is in ``trend_plot``, built once the trend is enabled: ``TrendWidget.enable_plot``)."""

from __future__ import annotations

import math
import time
from datetime import datetime
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt
from PySide6.QtCore import QCoreApplication, Qt, QTimer
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from widgets import theme
from widgets.clock import display_zone

if TYPE_CHECKING:
    import pyqtgraph as pg

    from widgets.trend_plot import TrendPlot


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
NEWEST_MARGIN = 0.02
"""Room right of the newest reading, as a share of the window: the line's end and a lone first reading
are drawn whole instead of cut by the plot's edge."""
REDRAW_EVERY_MS = 500
"""A trend fed at every frame redraws at most this often (``refresh_soon``): a curve over hours moves by
less than a pixel between frames, and each redraw costs pyqtgraph about 40 ms of the GUI thread."""
MIN_ABSOLUTE_SPAN = 1.0


class TrendWidget(QWidget):
    """A plot over local time; appends are cheap, drawing happens only in :meth:`refresh`.

    The console calls ``refresh()`` at its coalesced rate, so a burst of samples costs one redraw.
    The x axis follows the newest sample over the chosen window. A ``deferred`` trend is a line of text
    until ``enable_plot`` (or a first look at ``plot``), and pyqtgraph is not loaded for it: the console
    starts without it.
    """

    def __init__(self, title: str, unit: str, capacity: int = 20_000, parent: QWidget | None = None,
                 deferred: bool = False) -> None:
        super().__init__(parent)
        self._title = title
        self._unit = unit
        self._capacity = capacity
        self._window_s = 3600.0
        self._buffers: dict[str, SeriesBuffer] = {}
        self._series: dict[str, tuple[str, str]] = {}
        """Name to (legend label, colour), in creation order."""
        self._visible: dict[str, bool] = {}
        self._curves: dict[str, pg.PlotDataItem] = {}
        self._dirty: set[str] = set()
        self._limits: tuple[float | None, float | None] = (None, None)
        self._cursor_ms: int | None = None
        self._drawn = False
        self._plot: TrendPlot | None = None
        self._plot_wanted = False
        self._redrawn_at = -math.inf
        self._redraw_later = QTimer(self)
        self._redraw_later.setSingleShot(True)
        self._redraw_later.timeout.connect(self.refresh)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self._placeholder: QLabel | None = None
        if deferred:
            self._placeholder = QLabel(QCoreApplication.translate("TrendWidget", "{title}: no data yet").format(
                title=title), self)
            self._placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
            self._placeholder.setStyleSheet(f"color: {theme.TEXT_MUTED}; background: {theme.SURFACE};")
            layout.addWidget(self._placeholder)
        else:
            self._built()

    @property
    def plot(self) -> pg.PlotWidget:
        """The pyqtgraph plot, built now if it was not."""
        return self._built().widget

    def enable_plot(self) -> None:
        """Draw from now on: at once if shown, else when first shown."""
        self._plot_wanted = True
        if self.isVisible():
            self._built()
            self.refresh()

    def _built(self) -> TrendPlot:
        if self._plot is None:
            from widgets.trend_plot import TrendPlot

            plot = TrendPlot(self, self._title, self._unit)
            for name, (label, colour) in self._series.items():
                self._curves[name] = plot.add_curve(label, colour)
                self._curves[name].setVisible(self._visible[name])
            plot.set_limits(self._limits)
            plot.set_cursor(self._cursor_ms)
            plot.show_axes(False)
            if self._placeholder is None:
                self.layout().addWidget(plot.widget)
            else:
                self._placeholder.hide()
                self.layout().replaceWidget(self._placeholder, plot.widget)
                self._placeholder.deleteLater()
                self._placeholder = None
            self._plot = plot
            self._plot_wanted = True
            self._drawn = False
            self._dirty.update(name for name, buffer in self._buffers.items() if len(buffer))
        return self._plot

    def is_waiting(self) -> bool:
        """Whether the trend has no sample drawn yet and says so."""
        return not self._drawn

    def add_series(self, name: str, colour: str | None = None, label: str | None = None) -> None:
        """Create a series; the colour defaults to the next theme series colour, the legend's label to ``name``."""
        if name in self._buffers:
            raise ValueError(f"series {name!r} already exists")
        colour = colour or theme.SERIES_COLOURS[len(self._buffers) % len(theme.SERIES_COLOURS)]
        self._buffers[name] = SeriesBuffer(self._capacity)
        self._series[name] = (label or name, colour)
        self._visible[name] = True
        if self._plot is not None:
            self._curves[name] = self._plot.add_curve(label or name, colour)

    def series_names(self) -> list[str]:
        """Names of the series, in creation order."""
        return list(self._buffers)

    def set_series_visible(self, name: str, visible: bool) -> None:
        """Show or hide one series (its data is kept)."""
        if name not in self._buffers:
            raise KeyError(name)
        self._visible[name] = visible
        if self._plot is not None:
            self._curves[name].setVisible(visible)

    def is_series_visible(self, name: str) -> bool:
        return self._visible[name]

    def clear(self) -> None:
        """Remove every series, e.g. when the panel switches to another asset."""
        if self._plot is not None:
            self._plot.remove_curves(list(self._curves.values()))
            self._plot.show_axes(False)
        self._buffers.clear()
        self._series.clear()
        self._visible.clear()
        self._curves.clear()
        self._dirty.clear()
        self._drawn = False

    def forget_points(self) -> None:
        """Drop every series' points but keep the series: a replay's seek, many times a minute, without
        the plot items that ``clear`` and ``add_series`` make anew (50 ms of the GUI thread each time)."""
        for name in self._buffers:
            self._buffers[name] = SeriesBuffer(self._capacity)
        for curve in self._curves.values():
            curve.setData([], [])
        self._dirty.clear()
        if self._plot is not None:
            self._plot.show_axes(False)
        self._drawn = False

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
        if self._plot is not None:
            self._plot.set_limits(self._limits)

    def set_cursor(self, ts_ms: int | None) -> None:
        """A vertical line at an instant (the replayed one); ``None`` hides it."""
        self._cursor_ms = ts_ms
        if self._plot is not None:
            self._plot.set_cursor(ts_ms)

    def cursor(self) -> int | None:
        """The instant marked by the cursor, if shown."""
        return self._cursor_ms

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
        would cost the GUI thread the same as a visible one. So does a trend whose plot is not enabled.
        """
        if self._plot is None or not self.isVisible():
            return
        self._redraw_later.stop()
        self._redrawn_at = time.monotonic()
        for name in self._dirty:
            ts, values = self._buffers[name].data()
            self._plot.draw(self._curves[name], ts / 1000.0, values)
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
        if self._plot_wanted:
            self._built()
        self.refresh()

    def _follow_newest(self) -> None:
        if self._plot is None:
            return
        newest = [last for buffer in self._buffers.values() if (last := buffer.last_ts()) is not None]
        if newest:
            if not self._drawn:
                self._plot.show_axes(True)
                self._drawn = True
            end = max(newest) / 1000.0
            self._follow_zone(end)
            self._plot.set_range((end - self._window_s, end + self._window_s * NEWEST_MARGIN),
                                 self._value_range(int(end * 1000 - self._window_s * 1000)))

    def _follow_zone(self, at_s: float) -> None:
        """Hours on the time axis in the display zone (the city's), not the machine's."""
        assert self._plot is not None
        offset = datetime.fromtimestamp(at_s, display_zone()).utcoffset()
        self._plot.set_utc_offset(-int(offset.total_seconds()) if offset else 0)

    def _value_range(self, since_ms: int) -> tuple[float, float] | None:
        """The value axis fitted to what is shown (with a 5 % margin), but never so tight that noise on a
        steady value looks like a swing; None when nothing is shown."""
        shown = [values[(ts >= since_ms) & np.isfinite(values)]
                 for name in self._buffers if self._visible[name]
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
