"""Street names along their streets at street zoom, the longest visible street first, never overlapping."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPolygonF, QTransform

from widgets.citymap import theme
from widgets.citymap.viewport import Viewport

LABEL_SCALE = 0.9
"""Pixels per metre from which street names are written (a 100 m block is about 90 px long)."""
MAX_CANDIDATES = 400
_PAD_PX = 6.0

PlacedName = tuple[str, QPolygonF, QPointF, float]
"""A written street name: text, screen outline, centre, angle in degrees."""


def street_font() -> QFont:
    """The small upright face street names are written in."""
    font = QFont()
    font.setPixelSize(11)
    return font


class StreetLabels:
    """Street segments in projected metres (N x 2 x 2) and their names."""

    def __init__(self, names: Sequence[str], segments: np.ndarray) -> None:
        self.names = list(names)
        self.segments = np.asarray(segments, np.float64).reshape(-1, 2, 2)
        self.low, self.high = self.segments.min(axis=1), self.segments.max(axis=1)
        """Each segment's bounding box (x, y), to cull the segments a view does not cross."""

    def placed(self, view: Viewport, obstacles: Sequence[QPolygonF] = ()) -> list[PlacedName]:
        """Names that fit this view: (text, screen outline, centre, angle in degrees).

        Each name sits on the middle of its street's visible stretch, turned along it and upright; a
        name longer than that stretch, or touching one placed before it or an obstacle, is left out.
        """
        if view.scale < LABEL_SCALE or not self.names:
            return []
        ax, ay = view.to_screen(self.segments[:, 0, 0], self.segments[:, 0, 1])
        bx, by = view.to_screen(self.segments[:, 1, 0], self.segments[:, 1, 1])
        t0, t1 = _clip(ax, ay, bx - ax, by - ay, view.width, view.height)
        length = np.hypot(bx - ax, by - ay) * np.maximum(t1 - t0, 0.0)
        order = np.argsort(-length, kind="stable")[:MAX_CANDIDATES]
        metrics = QFontMetricsF(street_font())
        placed: list[PlacedName] = []
        taken = list(obstacles)
        boxes = np.array([p.boundingRect().getCoords() for p in taken], np.float64).reshape(-1, 4)
        for i in order.tolist():
            if length[i] <= 0.0:
                break
            width = metrics.horizontalAdvance(self.names[i])
            if width + 2 * _PAD_PX > length[i]:
                continue
            t = (t0[i] + t1[i]) / 2.0
            centre = QPointF(float(ax[i] + t * (bx[i] - ax[i])), float(ay[i] + t * (by[i] - ay[i])))
            angle = math.degrees(math.atan2(float(by[i] - ay[i]), float(bx[i] - ax[i])))
            angle = angle - 180.0 if angle > 90.0 else angle + 180.0 if angle <= -90.0 else angle
            box = QRectF(-width / 2.0 - _PAD_PX / 2, -metrics.height() / 2.0, width + _PAD_PX, metrics.height())
            outline = QTransform().translate(centre.x(), centre.y()).rotate(angle).map(QPolygonF(box))
            x0, y0, x1, y1 = outline.boundingRect().getCoords()
            near = np.flatnonzero((boxes[:, 0] < x1) & (boxes[:, 2] > x0) & (boxes[:, 1] < y1) & (boxes[:, 3] > y0))
            if any(outline.intersects(taken[k]) for k in near.tolist()):
                continue
            taken.append(outline)
            boxes = np.vstack([boxes, [x0, y0, x1, y1]])
            placed.append((self.names[i], outline, centre, angle))
        return placed


def draw_street_names(painter: QPainter, names: Sequence[PlacedName]) -> None:
    """Write placed street names, in screen pixels."""
    font = street_font()
    metrics = QFontMetricsF(font)
    painter.setFont(font)
    painter.setPen(QColor(theme.STREET_LABEL))
    for text, _, centre, angle in names:
        painter.save()
        painter.translate(centre)
        painter.rotate(angle)
        painter.drawText(QPointF(-metrics.horizontalAdvance(text) / 2.0, metrics.ascent() / 2.0 - 1.0), text)
        painter.restore()


def _clip(x: np.ndarray, y: np.ndarray, dx: np.ndarray, dy: np.ndarray, width: float, height: float,
          ) -> tuple[np.ndarray, np.ndarray]:
    """Liang–Barsky: the part [t0, t1] of each segment (x, y) + t (dx, dy) inside the screen."""
    t0 = np.zeros_like(x, dtype=np.float64)
    t1 = np.ones_like(x, dtype=np.float64)
    for toward, room in ((-dx, x), (dx, width - x), (-dy, y), (dy, height - y)):
        p, q = np.asarray(toward, np.float64), np.asarray(room, np.float64)
        with np.errstate(divide="ignore", invalid="ignore"):
            r = q / p
        t0 = np.where(p < 0, np.maximum(t0, r), t0)
        t1 = np.where(p > 0, np.minimum(t1, r), t1)
        outside = (p == 0) & (q < 0)
        t1 = np.where(outside, -1.0, t1)
    return t0, t1
