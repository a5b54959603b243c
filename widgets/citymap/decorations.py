"""Scale bar and north arrow: the map's only chrome."""

from __future__ import annotations

import math

from PySide6.QtCore import QCoreApplication, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPen, QPolygonF

from widgets.citymap import theme

_TARGET_BAR_PX = 120.0


def scale_bar_length(metres_per_px: float, target_px: float = _TARGET_BAR_PX) -> float:
    """A round length (1, 2 or 5 x 10^k metres) whose bar is at most about `target_px` long."""
    target = metres_per_px * target_px
    power = 10.0 ** math.floor(math.log10(target))
    for step in (5.0, 2.0, 1.0):
        if step * power <= target:
            return step * power
    return power


def distance_label(metres: float) -> str:
    """A length as the operator reads it: '500 m', '2 km'."""
    if metres >= 1000:
        km = metres / 1000
        return QCoreApplication.translate("CityMap", "{0} km").format(f"{km:g}")
    return QCoreApplication.translate("CityMap", "{0} m").format(f"{metres:g}")


def draw_scale_bar(painter: QPainter, scale: float, height: int, ratio: float = 1.0) -> None:
    """Bottom-left bar with end ticks and its length."""
    length_m = scale_bar_length(1.0 / scale, _TARGET_BAR_PX * ratio)
    length_px = length_m * scale
    x0, y0 = 14.0 * ratio, height - 16.0 * ratio
    pen = QPen(QColor(theme.DECORATION), 1.5 * ratio)
    painter.setPen(pen)
    painter.drawLine(QPointF(x0, y0), QPointF(x0 + length_px, y0))
    for x in (x0, x0 + length_px):
        painter.drawLine(QPointF(x, y0 - 5 * ratio), QPointF(x, y0))
    font = QFont()
    font.setPixelSize(round(11 * ratio))
    painter.setFont(font)
    label_box = QRectF(x0, y0 - 22 * ratio, length_px, 16 * ratio)
    painter.drawText(label_box, Qt.AlignmentFlag.AlignCenter, distance_label(length_m))


def draw_north_arrow(painter: QPainter, width: int, ratio: float = 1.0) -> None:
    """Top-right arrow; the projection keeps north straight up."""
    cx, top = width - 24.0 * ratio, 12.0 * ratio
    arrow = QPolygonF([
        QPointF(cx, top + 14 * ratio),
        QPointF(cx - 7 * ratio, top + 32 * ratio),
        QPointF(cx, top + 27 * ratio),
        QPointF(cx + 7 * ratio, top + 32 * ratio),
    ])
    painter.setPen(QPen(QColor(theme.DECORATION), 1.0 * ratio))
    painter.setBrush(QColor(theme.DECORATION))
    painter.drawPolygon(arrow)
    font = QFont()
    font.setPixelSize(round(11 * ratio))
    font.setBold(True)
    painter.setFont(font)
    painter.drawText(
        QRectF(cx - 10 * ratio, top - 2 * ratio, 20 * ratio, 14 * ratio),
        Qt.AlignmentFlag.AlignCenter,
        QCoreApplication.translate("CityMap", "N"),
    )
