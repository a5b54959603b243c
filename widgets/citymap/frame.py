"""Composes one frame: cached basemap, numpy markers, cluster and alarm sprites, chrome."""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
from PySide6.QtCore import QPoint, QPointF, QRectF
from PySide6.QtGui import QColor, QImage, QPainter, QPen

from widgets.citymap import theme
from widgets.citymap.basemap import Basemap
from widgets.citymap.decorations import draw_north_arrow, draw_scale_bar
from widgets.citymap.layout import MapLayout, badge_radii
from widgets.citymap.markers import MarkerStamps, image_pixels
from widgets.citymap.sprites import SpriteBook
from widgets.citymap.viewport import Viewport

FRAME_FORMAT = QImage.Format.Format_ARGB32_Premultiplied
_DIRECT_FORMATS = (QImage.Format.Format_ARGB32_Premultiplied, QImage.Format.Format_RGB32)
ALARM_HALF_PX = 8.0
"""Half the size of an alarm marker, as far as the names around it care."""
BASEMAP_MARGIN = 0.25
"""The cached basemap image reaches this share of the view beyond every edge: pans within it draw no paths."""


@dataclass(frozen=True, slots=True)
class MarkerStates:
    """Per-asset arrays and the few scalars a frame needs besides the layout."""

    domain: np.ndarray
    priority: np.ndarray
    unacked: np.ndarray
    stale: np.ndarray
    lit: bool
    selected: int = -1
    hovered: int = -1


class FrameRenderer:
    """Draws frames; keeps a basemap image a little larger than the view, so state-only frames and
    small pans copy pixels instead of drawing paths."""

    def __init__(self) -> None:
        self.basemap: Basemap | None = None
        self._basemap_view: Viewport | None = None
        self._basemap_image: QImage | None = None
        self._stamps = MarkerStamps()
        self._sprites = SpriteBook()

    def set_basemap(self, basemap: Basemap | None) -> None:
        """Replace the basemap and drop the cached image."""
        self.basemap = basemap
        self._basemap_view = None
        self._basemap_image = None

    def basemap_pixels(self, view: Viewport) -> np.ndarray:
        """The background and basemap seen through `view`, as an H x W pixel array (no copy).

        Re-rendered only when the view leaves the cached image, changes scale or lands between pixels.
        """
        offset = self._cached_offset(view)
        if offset is None:
            pad_x, pad_y = round(view.width * BASEMAP_MARGIN), round(view.height * BASEMAP_MARGIN)
            padded = replace(view, width=view.width + 2 * pad_x, height=view.height + 2 * pad_y)
            image = self._basemap_image
            if image is None or image.size().toTuple() != (padded.width, padded.height):
                image = QImage(padded.width, padded.height, FRAME_FORMAT)
            if self.basemap is None:
                image.fill(QColor(theme.BACKGROUND))
            else:
                self.basemap.render(image, padded)
            self._basemap_image, self._basemap_view = image, padded
            offset = (pad_x, pad_y)
        x, y = offset
        return image_pixels(self._basemap_image)[y : y + view.height, x : x + view.width]

    def _cached_offset(self, view: Viewport) -> tuple[int, int] | None:
        """Where `view`'s top-left corner falls in the cached image, if the image covers it pixel-exactly."""
        cached = self._basemap_view
        if self._basemap_image is None or cached is None or cached.scale != view.scale:
            return None
        dx, dy = cached.origin_x - view.origin_x, cached.origin_y - view.origin_y
        x, y = round(dx), round(dy)
        if abs(dx - x) > 0.01 or abs(dy - y) > 0.01:
            return None
        if x < 0 or y < 0 or x + view.width > cached.width or y + view.height > cached.height:
            return None
        return x, y

    def render(
        self, target: QImage, view: Viewport, layout: MapLayout, states: MarkerStates, ratio: float = 1.0
    ) -> None:
        """Draw a full frame of `view` (in device pixels) into `target`; 32-bit images are written in place.

        `ratio` scales marker and chrome sizes for high-density screens.
        """
        direct = target.format() in _DIRECT_FORMATS
        work = target if direct else QImage(target.width(), target.height(), FRAME_FORMAT)
        if self._sprites.ratio != ratio:
            self._sprites = SpriteBook(ratio)
        pixels = image_pixels(work)
        np.copyto(pixels, self.basemap_pixels(view))
        singles = layout.singles
        self._stamps.draw(
            pixels, layout.single_x, layout.single_y,
            domain=states.domain[singles], stale=states.stale[singles], detailed=layout.detailed,
        )
        painter = QPainter(work)
        try:
            # Everything here is in device pixels, whatever ratio the image declares.
            painter.scale(1.0 / work.devicePixelRatio(), 1.0 / work.devicePixelRatio())
            self._draw_clusters(painter, layout, states.lit)
            self._draw_alarms(painter, layout, states)
            if self.basemap is not None:
                painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
                self.basemap.draw_labels(painter, view, marker_boxes(layout, ratio))
            self._draw_focus(painter, layout, states)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            draw_scale_bar(painter, view.scale, view.height, ratio)
            draw_north_arrow(painter, view.width, ratio)
        finally:
            painter.end()
        if not direct:
            out = QPainter(target)
            out.scale(1.0 / target.devicePixelRatio(), 1.0 / target.devicePixelRatio())
            out.drawImage(0, 0, work)
            out.end()

    def _draw_clusters(self, painter: QPainter, layout: MapLayout, lit: bool) -> None:
        c = layout.clusters
        rows = zip(
            c.x.tolist(), c.y.tolist(), c.count.tolist(), c.worst.tolist(), c.blinking.tolist(), strict=True
        )
        for x, y, count, worst, blinking in rows:
            image = self._sprites.cluster(count, worst, lit or not blinking)
            half = image.width() // 2
            painter.drawImage(QPoint(int(x) - half, int(y) - half), image)

    def _draw_alarms(self, painter: QPainter, layout: MapLayout, states: MarkerStates) -> None:
        index = layout.alarms
        rows = zip(
            layout.alarm_x.tolist(), layout.alarm_y.tolist(), states.priority[index].tolist(),
            states.domain[index].tolist(), states.unacked[index].tolist(), states.stale[index].tolist(),
            strict=True,
        )
        for x, y, priority, domain, unacked, stale in rows:
            image = self._sprites.alarm(priority, domain, states.lit or not unacked, stale)
            half = image.width() // 2
            painter.drawImage(QPoint(int(x) - half, int(y) - half), image)

    def _draw_focus(self, painter: QPainter, layout: MapLayout, states: MarkerStates) -> None:
        """Rings around the selected and hovered assets when they are drawn on their own."""
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setBrush(QColor(0, 0, 0, 0))
        for asset, width in ((states.hovered, 1.0), (states.selected, 2.0)):
            position = _screen_position(layout, asset)
            if position is None:
                continue
            painter.setPen(QPen(QColor(theme.SELECTION), width * self._sprites.ratio))
            painter.drawEllipse(position, 10.0 * self._sprites.ratio, 10.0 * self._sprites.ratio)


def marker_boxes(layout: MapLayout, ratio: float = 1.0) -> list[QRectF]:
    """Screen boxes of the cluster badges and alarm markers of a frame, which names must not cover."""
    c = layout.clusters
    boxes = [QRectF(x - r, y - r, 2 * r, 2 * r) for x, y, r in
             zip(c.x.tolist(), c.y.tolist(), (badge_radii(c.count) * ratio).tolist(), strict=True)]
    half = ALARM_HALF_PX * ratio
    boxes += [QRectF(x - half, y - half, 2 * half, 2 * half)
              for x, y in zip(layout.alarm_x.tolist(), layout.alarm_y.tolist(), strict=True)]
    return boxes


def _screen_position(layout: MapLayout, asset: int) -> QPointF | None:
    if asset < 0:
        return None
    for index, xs, ys in layout.drawn_singles():
        found = np.flatnonzero(index == asset)
        if found.size:
            return QPointF(float(xs[found[0]]), float(ys[found[0]]))
    return None
