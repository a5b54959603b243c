"""Pre-drawn images for the few markers that need QPainter quality: alarms and cluster badges.

Each distinct look is drawn once and cached; a frame then blits at integer positions, which the
raster engine does without any transform or antialiasing work.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QLocale, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPainterPath, QPen, QPolygonF

from widgets.citymap import theme
from widgets.citymap.layout import badge_radius

_ALARM_RADIUS = {1: 5.0, 2: 5.5, 3: 6.5, 4: 7.5}
_CACHE_LIMIT = 4096


def count_label(count: int) -> str:
    """Short count for a badge, with the interface language's decimal mark: 987, 1.2k (1,2k), 34k."""
    if count < 1000:
        return str(count)
    if count < 10_000:
        return f"{QLocale().toString(count / 1000, 'f', 1)}k"
    return f"{count // 1000}k"


def _shape(domain: int, r: float, c: float) -> QPainterPath:
    """The domain's shape (circle, square, triangle, diamond) of radius r centred on (c, c)."""
    path = QPainterPath()
    left, right, top, bottom = c - r, c + r, c - r, c + r
    if domain == 1:
        side = r * 0.9
        path.addRect(QRectF(c - side, c - side, 2 * side, 2 * side))
    elif domain == 2:
        base = c + r * 0.8
        path.addPolygon(QPolygonF([QPointF(c, top), QPointF(right, base), QPointF(left, base)]))
        path.closeSubpath()
    elif domain == 3:
        path.addPolygon(QPolygonF([QPointF(c, top), QPointF(right, c), QPointF(c, bottom), QPointF(left, c)]))
        path.closeSubpath()
    else:
        path.addEllipse(QPointF(c, c), r, r)
    return path


def _canvas(size: int) -> QImage:
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    return image


class SpriteBook:
    """Cached sprites at one device pixel ratio; `half` of a sprite is its centre offset."""

    def __init__(self, ratio: float = 1.0) -> None:
        self.ratio = ratio
        self._images: dict[tuple[object, ...], QImage] = {}

    def _remember(self, key: tuple[object, ...], image: QImage) -> QImage:
        if len(self._images) >= _CACHE_LIMIT:
            self._images.clear()
        self._images[key] = image
        return image

    def alarm(self, priority: int, domain: int, lit: bool, stale: bool) -> QImage:
        """An alarmed asset: filled in its priority colour; hollow when stale or in the dark blink phase."""
        key = ("alarm", priority, domain, lit, stale)
        cached = self._images.get(key)
        if cached is not None:
            return cached
        r = _ALARM_RADIUS.get(priority, 5.0) * self.ratio
        size = math.ceil(2 * r + 8 * self.ratio) | 1
        c = size / 2.0
        image = _canvas(size)
        colour = theme.priority_colour(priority)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if priority >= 4:
            painter.setPen(QPen(colour, 1.2 * self.ratio))
            painter.drawEllipse(QPointF(c, c), r + 2.5 * self.ratio, r + 2.5 * self.ratio)
        shape = _shape(domain, r, c)
        if stale or not lit:
            if stale:
                colour.setAlpha(170)
            painter.setPen(QPen(colour, 2.0 * self.ratio))
            painter.setBrush(QColor(theme.BACKGROUND))
        else:
            painter.setPen(QPen(QColor(theme.BACKGROUND), 1.0 * self.ratio))
            painter.setBrush(colour)
        painter.drawPath(shape)
        painter.end()
        return self._remember(key, image)

    def cluster(self, count: int, worst: int, lit: bool) -> QImage:
        """A cluster badge with its count; filled with the worst alarm's colour, ringed in the dark phase."""
        label = count_label(count)
        key = ("cluster", label, worst, lit)
        cached = self._images.get(key)
        if cached is not None:
            return cached
        r = badge_radius(count) * self.ratio
        size = math.ceil(2 * r + 4 * self.ratio) | 1
        c = size / 2.0
        image = _canvas(size)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        alarm = theme.priority_colour(worst)
        if worst > 0 and lit:
            painter.setPen(QPen(QColor(theme.BACKGROUND), 1.0 * self.ratio))
            painter.setBrush(alarm)
            text = QColor(theme.DARK_TEXT)
        else:
            ring = alarm if worst > 0 else QColor(theme.CLUSTER_BORDER)
            painter.setPen(QPen(ring, (2.5 if worst > 0 else 1.0) * self.ratio))
            painter.setBrush(QColor(theme.CLUSTER_FILL))
            text = QColor(theme.CLUSTER_TEXT)
        painter.drawEllipse(QPointF(c, c), r, r)
        font = QFont()
        font.setPixelSize(max(8, round(r * (0.8 if len(label) <= 3 else 0.7))))
        font.setBold(True)
        painter.setFont(font)
        painter.setPen(text)
        painter.drawText(QRectF(0, 0, size, size), Qt.AlignmentFlag.AlignCenter, label)
        painter.end()
        return self._remember(key, image)
