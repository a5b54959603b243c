"""CityMapWidget: the whole city inventory on a vector basemap, coloured only where there are alarms."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
from PySide6.QtCore import QCoreApplication, QEvent, QPointF, Qt, QTimer, Signal
from PySide6.QtGui import (
    QHelpEvent,
    QImage,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QResizeEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import QToolTip, QWidget

from widgets.citymap.basemap import Basemap, BasemapLayer
from widgets.citymap.frame import FRAME_FORMAT, FrameRenderer, MarkerStates
from widgets.citymap.layout import MapLayout, compute_layout
from widgets.citymap.navigation import WHEEL_ZOOM, cluster_summary, view_for_key
from widgets.citymap.no_data import draw_no_data
from widgets.citymap.projection import CityProjection
from widgets.citymap.theme import MapDomain, Priority
from widgets.citymap.viewport import Bounds, Viewport

BLINK_INTERVAL_MS = 500
FOCUS_SCALE = 1.5
"""Pixels per metre after `focus_asset`: neighbouring luminaires are ~40 px apart."""
HIT_RADIUS_PX = 6.0
DRAG_THRESHOLD_PX = 4.0


class CityMapWidget(QWidget):
    """The operator's city map. Fed with plain arrays; never opens files, sockets or databases.

    Signals: `assetActivated(int)` on a click on an asset or Enter on the selected one;
    `hoveredAsset(int)` when the asset under the pointer changes (-1 for none).
    """

    assetActivated = Signal(int)
    hoveredAsset = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(QCoreApplication.translate("CityMap", "City map"))
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMouseTracking(True)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.setMinimumSize(200, 150)
        self._renderer = FrameRenderer()
        self._layers: list[BasemapLayer] = []
        self._projection: CityProjection | None = None
        self._lon = self._lat = np.empty(0, np.float64)
        self._x = self._y = np.empty(0, np.float32)
        self._domain = np.empty(0, np.uint8)
        self._ids: list[str] = []
        self._priority = np.empty(0, np.uint8)
        self._unacked = self._stale = np.empty(0, bool)
        self._domain_shown = np.ones(len(MapDomain), bool)
        self._clustering = True
        self._version = 0
        self._view = Viewport()
        self._follow_fit = True
        self._layout_key: tuple[object, ...] | None = None
        self._layout = MapLayout.empty()
        self._frame: QImage | None = None
        self._frame_key: tuple[object, ...] | None = None
        self._lit = True
        self._blink = QTimer(self)
        self._blink.setInterval(BLINK_INTERVAL_MS)
        self._blink.timeout.connect(self._toggle_blink)
        self._selected = -1
        self._hovered = -1
        self._tooltip_provider: Callable[[int], str] | None = None
        self._press: QPointF | None = None
        self._press_view = self._view
        self._dragging = False
        self._no_data: tuple[str, str] | None = None

    # -- data ---------------------------------------------------------------------------------

    def set_no_data(self, title: str | None, detail: str = "") -> None:
        """Veil the map (dimmed, hatched, ``title`` in its middle) while its colours are not current; None lifts it."""
        veil = None if title is None else (title, detail)
        if veil != self._no_data:
            self._no_data = veil
            self.update()

    def no_data_text(self) -> str | None:
        """The veil's title, or None when the map shows current data."""
        return None if self._no_data is None else self._no_data[0]

    def set_basemap(self, layers: Sequence[BasemapLayer]) -> None:
        """Replace the basemap; the projection is centred on the basemap's extent."""
        self._layers = list(layers)
        self._reproject()

    def set_assets(self, lon: np.ndarray, lat: np.ndarray, domain: np.ndarray, ids: Sequence[str]) -> None:
        """Replace the inventory: positions in degrees, domain codes (`MapDomain`) and ids, all aligned."""
        n = len(ids)
        lon, lat = np.asarray(lon, np.float64), np.asarray(lat, np.float64)
        domain = np.asarray(domain, np.uint8)
        if not lon.shape == lat.shape == domain.shape == (n,):
            raise ValueError(f"lon, lat, domain and ids must all have length {n}")
        if n and int(domain.max()) >= len(MapDomain):
            raise ValueError(f"domain codes must be below {len(MapDomain)}")
        self._lon, self._lat, self._domain, self._ids = lon, lat, domain, list(ids)
        self._priority = np.zeros(n, np.uint8)
        self._unacked = np.zeros(n, bool)
        self._stale = np.zeros(n, bool)
        self._selected = self._hovered = -1
        self._reproject()

    def set_states(self, priority: np.ndarray, unacked: np.ndarray, stale: np.ndarray | None = None) -> None:
        """Replace alarm priorities (0 normal .. 4 critical), unacknowledged and stale flags of every asset.

        Cheap by design (called up to ~15 Hz): it stores the arrays and schedules one repaint.
        """
        n = len(self._ids)
        priority = np.minimum(np.asarray(priority, np.uint8), np.uint8(Priority.CRITICAL))
        unacked = np.asarray(unacked, bool)
        stale = np.zeros(n, bool) if stale is None else np.asarray(stale, bool)
        if not priority.shape == unacked.shape == stale.shape == (n,):
            raise ValueError(f"priority, unacked and stale must all have length {n}")
        self._priority, self._unacked, self._stale = priority.copy(), unacked.copy(), stale.copy()
        self._changed()

    def set_domain_visible(self, domain: int, visible: bool) -> None:
        """Show or hide every asset of one domain."""
        self._domain_shown[MapDomain(domain)] = visible
        self._changed()

    def domain_visible(self, domain: int) -> bool:
        """Whether a domain's assets are drawn."""
        return bool(self._domain_shown[MapDomain(domain)])

    def set_clustering(self, enabled: bool) -> None:
        """Group assets into counted badges at city zoom (on by default)."""
        self._clustering = enabled
        self._changed()

    def set_tooltip_provider(self, provider: Callable[[int], str] | None) -> None:
        """The text shown when hovering an asset; the asset id when none is set."""
        self._tooltip_provider = provider

    # -- view ---------------------------------------------------------------------------------

    def fit_city(self) -> None:
        """Show the whole city; the view keeps fitting on resize until the operator pans or zooms."""
        self._follow_fit = True
        bounds = self._city_bounds()
        if bounds is not None:
            self._set_view(self._sized_view().fitted(bounds), follow_fit=True)

    def focus_asset(self, index: int) -> None:
        """Centre on an asset, zoom in to street level if needed, and select it."""
        if not 0 <= index < len(self._ids):
            raise IndexError(f"no asset {index}")
        view = self._sized_view().centred_on(float(self._x[index]), float(self._y[index]))
        self._selected = index
        self._set_view(view.centred_on(view.centre_x, view.centre_y, max(view.scale, FOCUS_SCALE)))

    def view(self) -> Viewport:
        """The current view (centre in projected metres, scale in pixels per metre, logical size)."""
        return self._sized_view()

    def asset_screen_position(self, index: int) -> QPointF:
        """Where an asset is in widget coordinates (it may be off screen)."""
        view = self._sized_view()
        sx, sy = view.to_screen(self._x[index : index + 1], self._y[index : index + 1])
        return QPointF(float(sx[0]), float(sy[0]))

    def selected_asset(self) -> int:
        """The selected asset's index, or -1."""
        return self._selected

    def asset_count(self) -> int:
        """How many assets the map holds (shown or hidden by a layer toggle)."""
        return len(self._ids)

    def asset_state(self, index: int) -> tuple[int, bool, bool]:
        """How the map draws one asset: (priority 0..4, unacknowledged, stale)."""
        return int(self._priority[index]), bool(self._unacked[index]), bool(self._stale[index])

    def is_blinking(self) -> bool:
        """Whether the blink timer runs (only while unacknowledged alarms are on a shown map)."""
        return self._blink.isActive()

    def visible_clusters(self) -> int:
        """How many cluster badges the current view draws."""
        return len(self._current_layout().clusters)

    def visible_single_assets(self) -> int:
        """How many assets the current view draws on their own (normal and alarmed)."""
        layout = self._current_layout()
        return int(layout.singles.size + layout.alarms.size)

    def render_frame(self, image: QImage) -> None:
        """Draw one full frame of the current view into `image`, sized in device pixels."""
        ratio = image.devicePixelRatio()
        view = self._sized_view().with_pixel_ratio(image.width(), image.height(), ratio)
        self._renderer.render(image, view, self._layout_for(view), self._marker_states(), ratio)

    # -- internals ----------------------------------------------------------------------------

    def _reproject(self) -> None:
        basemap_lonlat = [p for layer in self._layers for p in layer.parts if len(p)]
        if basemap_lonlat:
            stacked = np.vstack(basemap_lonlat)
            self._projection = CityProjection.around(stacked[:, 0], stacked[:, 1])
        else:
            self._projection = CityProjection.around(self._lon, self._lat)
        x, y = self._projection.forward(self._lon, self._lat)
        self._x, self._y = x.astype(np.float32), y.astype(np.float32)
        self._renderer.set_basemap(Basemap(self._layers, self._projection) if self._layers else None)
        self._changed()
        if self._follow_fit:
            self.fit_city()

    def _city_bounds(self) -> Bounds | None:
        bounds = Bounds.of(self._x, self._y)
        basemap = self._renderer.basemap
        if basemap is not None and basemap.bounds is not None:
            bounds = basemap.bounds.union(bounds)
        return bounds

    def _changed(self) -> None:
        self._version += 1
        self._update_blink()
        self.update()

    def _sized_view(self) -> Viewport:
        return self._view.resized(self.width(), self.height())

    def _device_view(self) -> Viewport:
        ratio = self.devicePixelRatioF()
        width, height = round(self.width() * ratio), round(self.height() * ratio)
        return self._sized_view().with_pixel_ratio(width, height, ratio)

    def _set_view(self, view: Viewport, follow_fit: bool = False) -> None:
        self._view = view
        self._follow_fit = follow_fit
        self.update()

    def _layout_for(self, view: Viewport) -> MapLayout:
        key = (view, self._version)
        if key != self._layout_key:
            shown = self._domain_shown[self._domain]
            self._layout = compute_layout(
                view, self._x, self._y, shown=shown, priority=self._priority, unacked=self._unacked,
                clustering=self._clustering,
            )
            self._layout_key = key
        return self._layout

    def _current_layout(self) -> MapLayout:
        return self._layout_for(self._device_view())

    def _marker_states(self) -> MarkerStates:
        return MarkerStates(
            self._domain, self._priority, self._unacked, self._stale, self._lit, self._selected, self._hovered
        )

    def _update_blink(self) -> None:
        shown = self._domain_shown[self._domain]
        wanted = self.isVisible() and bool((self._unacked & (self._priority > 0) & shown).any())
        if wanted and not self._blink.isActive():
            self._blink.start()
        elif not wanted and self._blink.isActive():
            self._blink.stop()
            self._lit = True

    def _toggle_blink(self) -> None:
        self._lit = not self._lit
        self.update()

    def _asset_at(self, pos: QPointF) -> int:
        ratio = self.devicePixelRatioF()
        return self._current_layout().nearest_asset(pos.x() * ratio, pos.y() * ratio, HIT_RADIUS_PX * ratio)

    def _cluster_at(self, pos: QPointF) -> int:
        ratio = self.devicePixelRatioF()
        return self._current_layout().nearest_cluster(pos.x() * ratio, pos.y() * ratio)

    # -- Qt events ----------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        """Re-render only when the view, the states, the blink phase or the focus rings changed."""
        view = self._device_view()
        key = (view, self._version, self._lit, self._selected, self._hovered, id(self._renderer.basemap))
        if self._frame is None or self._frame_key != key:
            if self._frame is None or self._frame.size().toTuple() != (view.width, view.height):
                self._frame = QImage(view.width, view.height, FRAME_FORMAT)
            states = self._marker_states()
            self._renderer.render(self._frame, view, self._layout_for(view), states, self.devicePixelRatioF())
            self._frame_key = key
        painter = QPainter(self)
        painter.drawImage(self.rect(), self._frame)
        if self._no_data is not None:
            draw_no_data(painter, self.rect(), *self._no_data)
        painter.end()

    def resizeEvent(self, event: QResizeEvent) -> None:
        """Keep fitting the city while the operator has not moved the view."""
        super().resizeEvent(event)
        if self._follow_fit:
            self.fit_city()

    def showEvent(self, event: QEvent) -> None:
        """Resume blinking if alarms are waiting."""
        super().showEvent(event)
        self._update_blink()

    def hideEvent(self, event: QEvent) -> None:
        """A hidden map costs nothing: the blink timer stops."""
        super().hideEvent(event)
        self._update_blink()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Arrows pan, +/- zoom, Home fits the city, Enter activates the selection, Escape clears it."""
        key = Qt.Key(event.key())
        moved = view_for_key(key, self._sized_view())
        if moved is not None:
            self._set_view(moved)
        elif key == Qt.Key.Key_Home:
            self.fit_city()
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self._selected >= 0:
            self.assetActivated.emit(self._selected)
        elif key == Qt.Key.Key_Escape and self._selected >= 0:
            self._selected = -1
            self.update()
        else:
            super().keyPressEvent(event)

    def wheelEvent(self, event: QWheelEvent) -> None:
        """Zoom around the pointer."""
        notches = event.angleDelta().y() / 120.0
        if notches:
            pos = event.position()
            self._set_view(self._sized_view().zoomed(WHEEL_ZOOM**notches, pos.x(), pos.y()))
        event.accept()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        """Start a drag or a click."""
        if event.button() == Qt.MouseButton.LeftButton:
            self._press = event.position()
            self._press_view = self._sized_view()
            self._dragging = False
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        """Drag pans the map; plain moves track the hovered asset."""
        pos = event.position()
        if self._press is not None and event.buttons() & Qt.MouseButton.LeftButton:
            delta = pos - self._press
            if self._dragging or max(abs(delta.x()), abs(delta.y())) > DRAG_THRESHOLD_PX:
                self._dragging = True
                self._set_view(self._press_view.panned(delta.x(), delta.y()))
            return
        self._set_hovered(self._asset_at(pos))

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        """A click selects and activates the nearest asset, or zooms into the cluster under it."""
        if event.button() != Qt.MouseButton.LeftButton or self._press is None:
            super().mouseReleaseEvent(event)
            return
        was_drag, self._press = self._dragging, None
        self._dragging = False
        if was_drag:
            return
        pos = event.position()
        asset = self._asset_at(pos)
        if asset >= 0:
            self._selected = asset
            self.update()
            self.assetActivated.emit(asset)
            return
        cluster = self._cluster_at(pos)
        if cluster >= 0:
            view = self._sized_view()
            self._set_view(view.zoomed(2.5, pos.x(), pos.y()))

    def leaveEvent(self, event: QEvent) -> None:
        """Nothing is hovered once the pointer leaves the map."""
        super().leaveEvent(event)
        self._set_hovered(-1)

    def _set_hovered(self, asset: int) -> None:
        if asset != self._hovered:
            self._hovered = asset
            self.update()
            self.hoveredAsset.emit(asset)

    def event(self, event: QEvent) -> bool:
        """Tooltips: the provider's text for an asset, a count and worst alarm for a cluster."""
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            text = self._tooltip_text(QPointF(event.pos()))
            if text:
                QToolTip.showText(event.globalPos(), text, self)
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().event(event)

    def _tooltip_text(self, pos: QPointF) -> str:
        asset = self._asset_at(pos)
        if asset >= 0:
            return self._tooltip_provider(asset) if self._tooltip_provider else self._ids[asset]
        cluster = self._cluster_at(pos)
        if cluster < 0:
            return ""
        clusters = self._current_layout().clusters
        return cluster_summary(int(clusters.count[cluster]), int(clusters.worst[cluster]))
