"""The map's "no data" veil: dimmed and hatched, with since when, so a silent city never looks calm."""

from __future__ import annotations

from PySide6.QtCore import QRect, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetrics, QPainter

from widgets import theme

VEIL = QColor(0, 0, 0, 150)
HATCH = QColor(theme.PRIORITY_COLOURS["critical"])
HATCH.setAlpha(70)


def draw_no_data(painter: QPainter, rect: QRect, title: str, detail: str) -> None:
    """Dim the map, hatch it, and write the title large in its middle with the reason under it."""
    painter.fillRect(rect, VEIL)
    painter.fillRect(rect, QBrush(HATCH, Qt.BrushStyle.BDiagPattern))
    title_font = QFont(painter.font())
    title_font.setPixelSize(max(14, min(64, rect.width() // 18, rect.height() // 6)))
    title_font.setBold(True)
    detail_font = QFont(painter.font())
    detail_font.setPixelSize(max(11, title_font.pixelSize() // 2))
    title_h = QFontMetrics(title_font).height()
    detail_h = QFontMetrics(detail_font).height() * (detail.count("\n") + 1) if detail else 0
    width = min(rect.width() - 20, max(QFontMetrics(title_font).horizontalAdvance(title) + 60, rect.width() * 0.5))
    box = QRectF(rect.center().x() - width / 2, rect.center().y() - (title_h + detail_h) / 2 - 16,
                 width, title_h + detail_h + 32)
    painter.fillRect(box, QColor(theme.BACKGROUND))
    painter.setPen(QColor(theme.PRIORITY_COLOURS["critical"]))
    painter.drawRect(box)
    painter.setFont(title_font)
    painter.drawText(QRectF(box.left(), box.top() + 12, box.width(), title_h), Qt.AlignmentFlag.AlignCenter, title)
    if detail:
        painter.setFont(detail_font)
        painter.setPen(QColor(theme.TEXT))
        painter.drawText(QRectF(box.left() + 8, box.top() + 12 + title_h, box.width() - 16, detail_h),
                         Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, detail)
