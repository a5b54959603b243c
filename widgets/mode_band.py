"""The mode band: LIVE, REPLAY or TRAINING, always visible, so nobody mistakes a replay for the city."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from widgets import theme

MODES: tuple[str, ...] = tuple(theme.MODE_COLOURS)


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
        painter.setFont(self.font())
        painter.drawText(area, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, self._detail)
        painter.end()
