"""A label whose text shrinks to fit instead of being cut: "1 339" never reads "1 3" or "1"."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QFont, QFontMetrics, QPainter, QPaintEvent
from PySide6.QtWidgets import QLabel, QWidget

MIN_PIXEL_SIZE = 9


class FittedLabel(QLabel):
    """Draws its text whole, at the style's size when there is room and smaller when there is not.

    Its minimum width is small, so a narrow window makes the number smaller rather than clipped.
    """

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)

    def minimumSizeHint(self) -> QSize:
        metrics = self.fontMetrics()
        return QSize(metrics.horizontalAdvance("000"), metrics.height())

    def shown_font(self) -> QFont:
        """The font the text is drawn in at the current width."""
        font = QFont(self.font())
        room = self.contentsRect().width()
        while QFontMetrics(font).horizontalAdvance(self.text()) > room and QFontMetrics(font).height() > MIN_PIXEL_SIZE:
            if font.pointSizeF() > 0:
                font.setPointSizeF(font.pointSizeF() * 0.92)
            else:
                font.setPixelSize(max(1, round(font.pixelSize() * 0.92)))
        return font

    def fits(self) -> bool:
        """Whether the whole text is drawn inside the label."""
        return QFontMetrics(self.shown_font()).horizontalAdvance(self.text()) <= self.contentsRect().width()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setFont(self.shown_font())
        painter.setPen(self.palette().color(self.foregroundRole()))
        painter.drawText(self.contentsRect(), int(self.alignment()), self.text())
        painter.end()
