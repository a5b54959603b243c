"""Analog arc gauge for one metric: normal band, alarm limits, needle and a large numeric value."""

from __future__ import annotations

import math

from PySide6.QtCore import QCoreApplication, QLocale, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from widgets import theme
from widgets.clock import wall_time

translate = QCoreApplication.translate
"""Bare name, so ``pyside6-lupdate`` extracts every ``translate("Context", "text")`` call."""

_START_DEG = 210.0
_SWEEP_DEG = 240.0
NEEDLE_STEPS = 2000
"""The arc in steps of 0.12°: a needle moves by less than a pixel within one on any screen."""
_LIMIT_NAMES = ("lolo", "lo", "hi", "hihi")


def _priority_text(priority: str) -> str:
    match priority:
        case "critical":
            return translate("GaugeWidget", "Critical alarm")
        case "high":
            return translate("GaugeWidget", "High alarm")
        case "medium":
            return translate("GaugeWidget", "Medium alarm")
        case _:
            return translate("GaugeWidget", "Low alarm")


class GaugeWidget(QWidget):
    """A metric on a 240° arc, painted with QPainter so it scales cleanly on any screen.

    Staleness is the console's judgement (it owns the clock): ``set_value`` never clears it, the console
    calls ``set_stale(None)`` when fresh data arrives again.
    """

    def __init__(
        self,
        title: str,
        unit: str,
        minimum: float,
        maximum: float,
        parent: QWidget | None = None,
        *,
        decimals: int = 1,
    ) -> None:
        super().__init__(parent)
        if not maximum > minimum:
            raise ValueError(f"gauge range is empty: {minimum} .. {maximum}")
        self._title = title
        self._unit = unit
        self._minimum = float(minimum)
        self._maximum = float(maximum)
        self._decimals = decimals
        self._value: float | None = None
        self._ts_ms: int | None = None
        self._stale_since: int | None = None
        self._band: tuple[float, float] | None = None
        self._limits: dict[str, float] = {}
        self._limit_priorities: dict[str, str] = {}
        self._alarm: str | None = None
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAccessibleName(title)

    def sizeHint(self) -> QSize:
        return QSize(260, 240)

    def minimumSizeHint(self) -> QSize:
        return QSize(140, 130)

    def set_value(self, value: float | None, ts_ms: int | None = None) -> None:
        """Show a new reading; ``None`` shows a dash (no reading yet). Repainted only when what it shows changes: a
        figure over a whole city changes in its last decimals every second."""
        if ts_ms != self._ts_ms:
            self._ts_ms = ts_ms
            self.setToolTip("" if ts_ms is None else translate("GaugeWidget", "Last value at {time}").format(
                time=wall_time(ts_ms)))
        shown = self._appearance()
        self._value = None if value is None else float(value)
        if self._appearance() != shown:
            self.update()

    def set_normal_band(self, lo: float | None, hi: float | None) -> None:
        """Shade the operating range on the arc; ``None`` for either bound removes the band."""
        self._band = None if lo is None or hi is None else (float(min(lo, hi)), float(max(lo, hi)))
        self.update()

    def set_limits(
        self,
        lolo: float | None = None,
        lo: float | None = None,
        hi: float | None = None,
        hihi: float | None = None,
        priorities: dict[str, str] | None = None,
    ) -> None:
        """Alarm thresholds drawn as ticks across the arc, coloured by the priority of the alarm each raises."""
        given = {"lolo": lolo, "lo": lo, "hi": hi, "hihi": hihi}
        self._limits = {name: float(v) for name, v in given.items() if v is not None}
        self._limit_priorities = dict(priorities or {})
        self.update()

    def set_stale(self, since_ms: int | None) -> None:
        """Grey the gauge and say since when no data came; ``None`` when data is fresh again."""
        if since_ms != self._stale_since:
            self._stale_since = since_ms
            self.update()

    def set_alarm(self, priority: str | None) -> None:
        """Colour the value and needle with the priority of the metric's active alarm, if any."""
        if priority != self._alarm:
            self._alarm = priority
            self.update()

    def value(self) -> float | None:
        """The last value given, or ``None``."""
        return self._value

    def is_stale(self) -> bool:
        """Whether the gauge is showing an old value."""
        return self._stale_since is not None

    def limits(self) -> dict[str, float]:
        """The limits currently drawn, by name (``lolo``, ``lo``, ``hi``, ``hihi``)."""
        return dict(self._limits)

    def normal_band(self) -> tuple[float, float] | None:
        """The shaded operating range, if any."""
        return self._band

    def status_text(self) -> str:
        """The line under the gauge: staleness and alarm, in the operator's language."""
        parts = []
        if self._stale_since is not None:
            since = wall_time(self._stale_since, "%H:%M")
            parts.append(translate("GaugeWidget", "no data since {time}").format(time=since))
        if self._alarm is not None:
            parts.append(_priority_text(self._alarm))
        return " · ".join(parts)

    def value_text(self) -> str:
        """The number as displayed (locale decimal separator; a dash when there is no value)."""
        if self._value is None or math.isnan(self._value):
            return "—"
        return QLocale().toString(self._value, "f", self._decimals)

    def _appearance(self) -> tuple[str, int]:
        """What the value looks like: its text, and the needle's angle in steps finer than a pixel."""
        shown = self._value is not None and not math.isnan(self._value)
        return self.value_text(), round(self._fraction(self._value) * NEEDLE_STEPS) if shown else -1

    def _fraction(self, value: float) -> float:
        span = self._maximum - self._minimum
        return min(1.0, max(0.0, (value - self._minimum) / span))

    def _angle(self, value: float) -> float:
        return _START_DEG - _SWEEP_DEG * self._fraction(value)

    def _value_colour(self) -> QColor:
        if self._stale_since is not None:
            return QColor(theme.TEXT_STALE)
        if self._alarm is not None:
            return theme.priority_colour(self._alarm)
        return QColor(theme.TEXT)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        width, height = float(self.width()), float(self.height())
        title_h = max(14.0, height * 0.12)
        status_h = max(12.0, height * 0.1)
        radius = max(10.0, min(width * 0.42, (height - title_h - status_h) / 1.65))
        centre = QPointF(width / 2, title_h + radius * 1.12)
        painter.fillRect(self.rect(), QColor(theme.SURFACE))
        self._paint_title(painter, width, title_h)
        self._paint_arc(painter, centre, radius)
        self._paint_scale(painter, centre, radius)
        self._paint_needle(painter, centre, radius)
        self._paint_value(painter, centre, radius)
        self._paint_status(painter, width, height, status_h)
        painter.end()

    def _font(self, pixel_size: float, bold: bool = False) -> QFont:
        font = QFont(self.font())
        font.setPixelSize(max(8, round(pixel_size)))
        font.setBold(bold)
        return font

    def title_font(self) -> QFont:
        """The title's font at the current size: smaller when the title would not fit, never cut."""
        title_h = max(14.0, self.height() * 0.12)
        font = self._font(title_h * 0.62)
        while QFontMetrics(font).horizontalAdvance(self._title) > self.width() - 4 and font.pixelSize() > 8:
            font.setPixelSize(font.pixelSize() - 1)
        return font

    def _paint_title(self, painter: QPainter, width: float, title_h: float) -> None:
        painter.setFont(self.title_font())
        painter.setPen(QColor(theme.TEXT_MUTED))
        painter.drawText(QRectF(0, 0, width, title_h), Qt.AlignmentFlag.AlignCenter, self._title)

    def _arc_pen(self, colour: str | QColor, width: float) -> QPen:
        pen = QPen(QColor(colour), width)
        pen.setCapStyle(Qt.PenCapStyle.FlatCap)
        return pen

    def _paint_arc(self, painter: QPainter, centre: QPointF, radius: float) -> None:
        thickness = radius * 0.1
        box = QRectF(centre.x() - radius, centre.y() - radius, 2 * radius, 2 * radius)
        painter.setPen(self._arc_pen(theme.BORDER, thickness))
        painter.drawArc(box, int(_START_DEG * 16), int(-_SWEEP_DEG * 16))
        if self._band is not None:
            start = self._angle(self._band[0])
            span = self._angle(self._band[1]) - start
            painter.setPen(self._arc_pen(theme.NORMAL_BAND, thickness))
            painter.drawArc(box, int(start * 16), int(span * 16))
        for name in _LIMIT_NAMES:
            if name in self._limits:
                colour = theme.PRIORITY_COLOURS.get(self._limit_priorities.get(name, ""), theme.LIMIT_COLOURS[name])
                tick = self._arc_pen(colour, max(3.0, radius * 0.045))
                painter.setPen(tick)
                reach = thickness * (1.3 if name in ("lolo", "hihi") else 0.9)
                angle = math.radians(self._angle(self._limits[name]))
                painter.drawLine(self._polar(centre, radius - reach, angle),
                                 self._polar(centre, radius + reach, angle))

    def scale_values(self) -> list[float]:
        """Where the scale's numbers stand: five round steps from the minimum to the maximum."""
        step = (self._maximum - self._minimum) / 4
        return [self._minimum + i * step for i in range(5)]

    def _scale_text(self, value: float) -> str:
        decimals = 0 if float(value).is_integer() else max(1, self._decimals)
        return QLocale().toString(float(value), "f", decimals)

    def _paint_scale(self, painter: QPainter, centre: QPointF, radius: float) -> None:
        painter.setFont(self._font(max(9.0, radius * 0.12)))
        painter.setPen(QColor(theme.TEXT_MUTED))
        inner = radius * 0.78
        size = radius * 0.5
        for value in self.scale_values():
            angle = math.radians(self._angle(value))
            painter.drawLine(self._polar(centre, radius * 0.86, angle), self._polar(centre, radius * 0.92, angle))
            spot = self._polar(centre, inner - radius * 0.06, angle)
            box = QRectF(spot.x() - size / 2, spot.y() - size / 4, size, size / 2)
            painter.drawText(box, Qt.AlignmentFlag.AlignCenter, self._scale_text(value))

    @staticmethod
    def _polar(centre: QPointF, radius: float, angle_rad: float) -> QPointF:
        return QPointF(centre.x() + radius * math.cos(angle_rad), centre.y() - radius * math.sin(angle_rad))

    def _paint_needle(self, painter: QPainter, centre: QPointF, radius: float) -> None:
        if self._value is None or math.isnan(self._value):
            return
        pen = QPen(self._value_colour(), max(2.0, radius * 0.04))
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        painter.setPen(pen)
        angle = math.radians(self._angle(self._value))
        painter.drawLine(self._polar(centre, radius * 0.68, angle), self._polar(centre, radius * 0.92, angle))

    def _paint_value(self, painter: QPainter, centre: QPointF, radius: float) -> None:
        painter.setPen(self._value_colour())
        painter.setFont(self._font(radius * 0.32, bold=True))
        value_box = QRectF(centre.x() - radius, centre.y() - radius * 0.3, 2 * radius, radius * 0.4)
        painter.drawText(value_box, Qt.AlignmentFlag.AlignCenter, self.value_text())
        painter.setPen(QColor(theme.TEXT_MUTED))
        painter.setFont(self._font(radius * 0.15))
        unit_box = QRectF(centre.x() - radius, centre.y() + radius * 0.12, 2 * radius, radius * 0.22)
        painter.drawText(unit_box, Qt.AlignmentFlag.AlignCenter, self._unit)

    def _paint_status(self, painter: QPainter, width: float, height: float, status_h: float) -> None:
        text = self.status_text()
        if not text:
            return
        colour = theme.priority_colour(self._alarm) if self._stale_since is None else QColor(theme.TEXT_MUTED)
        painter.setPen(colour)
        painter.setFont(self._font(status_h * 0.6))
        painter.drawText(QRectF(0, height - status_h, width, status_h), Qt.AlignmentFlag.AlignCenter, text)
