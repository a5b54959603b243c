"""The mode band: LIVE, REPLAY or TRAINING, always visible, so nobody mistakes a replay for the city."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QRect, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from widgets import theme

MODES: tuple[str, ...] = tuple(theme.MODE_COLOURS)
ALERT_COLOURS = {"blocking": (theme.PRIORITY_COLOURS["critical"], "#ffffff"),
                 "degraded": (theme.PRIORITY_COLOURS["high"], theme.ON_COLOUR)}
"""Alert box (background, text) by level: red when the figures are not current, amber when alarms may lag."""


def mode_title(mode: str) -> str:
    """The band's title for a mode, in the operator's language."""
    match mode:
        case "live":
            return QCoreApplication.translate("ModeBand", "LIVE")
        case "replay":
            return QCoreApplication.translate("ModeBand", "REPLAY")
        case _:
            return QCoreApplication.translate("ModeBand", "TRAINING")


class ModeBand(QWidget):
    """A full-width coloured band: mode title on the left, a detail (clock, session) on the right."""

    def __init__(self, mode: str = "live", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._mode = "live"
        self._detail = ""
        self._alert = ""
        self._alert_level = "ok"
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.set_mode(mode)

    def _title_font(self) -> QFont:
        font = QFont(self.font())
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        return font

    def sizeHint(self) -> QSize:
        height = round(self.fontMetrics().height() * 2.2)
        return QSize(400, height)

    def minimumSizeHint(self) -> QSize:
        return QSize(120, self.sizeHint().height())

    def set_mode(self, mode: str) -> None:
        """``live``, ``replay`` or ``training``."""
        if mode not in MODES:
            raise ValueError(f"unknown mode {mode!r}")
        self._mode = mode
        self.setAccessibleName(mode_title(mode))
        self.update()

    def mode(self) -> str:
        """The mode shown."""
        return self._mode

    def title(self) -> str:
        """The title shown (translated)."""
        return mode_title(self._mode)

    def set_detail(self, text: str) -> None:
        """Right-aligned text, e.g. the clock, the replayed period or the training session."""
        self._detail = text
        self.update()

    def detail(self) -> str:
        """The right-aligned text."""
        return self._detail

    def set_alert(self, level: str, text: str) -> None:
        """Say that what the console shows is not current: ``blocking`` (red), ``degraded`` (amber) or ``ok``.

        The alert stands between the mode and the clock, in the band every operator looks at.
        """
        if level not in ALERT_COLOURS and level != "ok":
            raise ValueError(f"unknown alert level {level!r}")
        self._alert_level, self._alert = level, text if level != "ok" else ""
        self.setAccessibleDescription(self._alert)
        self.update()

    def alert_level(self) -> str:
        """``ok``, ``degraded`` or ``blocking``."""
        return self._alert_level

    def alert_text(self) -> str:
        """The alert as shown, empty when the data is current."""
        return self._alert

    def background(self) -> QColor:
        """The band's colour for the current mode."""
        return QColor(theme.MODE_COLOURS[self._mode][0])

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), self.background())
        painter.setPen(QColor(theme.MODE_COLOURS[self._mode][1]))
        margin = self.fontMetrics().horizontalAdvance("M")
        area = self.rect().adjusted(margin, 0, -margin, 0)
        painter.setFont(self._title_font())
        painter.drawText(area, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, self.title())
        title_w = QFontMetrics(self._title_font()).horizontalAdvance(self.title()) + 2 * margin
        painter.setFont(self.font())
        detail_w = self.fontMetrics().horizontalAdvance(self._detail) + 2 * margin
        painter.drawText(area, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, self._detail)
        if self._alert:
            self._paint_alert(painter, area.adjusted(title_w, 2, -detail_w, -2))
        painter.end()

    def _paint_alert(self, painter: QPainter, box: QRect) -> None:
        background, text = ALERT_COLOURS[self._alert_level]
        painter.fillRect(box, QColor(background))
        font = self._title_font()
        metrics = QFontMetrics(font)
        while metrics.horizontalAdvance(self._alert) > box.width() - 8 and font.pointSizeF() > 7:
            font.setPointSizeF(font.pointSizeF() * 0.9)
            metrics = QFontMetrics(font)
        painter.setFont(font)
        painter.setPen(QColor(text))
        shown = metrics.elidedText(self._alert, Qt.TextElideMode.ElideRight, box.width() - 8)
        painter.drawText(box, Qt.AlignmentFlag.AlignCenter, shown)
