"""The replay timeline: a recorded period with its alarm density, markers and the replayed instant.

Fed plain values (epoch milliseconds and numpy arrays); it asks for seeks, playback and speeds through
signals and never reads history itself. Keyboard: Space plays or pauses, Left/Right step to the
previous/next alarm transition, Shift+Left/Right move one minute, Home/End go to the ends.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

import numpy as np
from PySide6.QtCore import QCoreApplication, QDateTime, QEvent, QLocale, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QKeyEvent, QMouseEvent, QPainter, QPaintEvent, QPen, QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QStyle,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from widgets import theme
from widgets.alarms.row import PRIORITIES
from widgets.clock import display_qzone, display_zone, zone_abbreviation

translate = QCoreApplication.translate
"""Bare name, so ``pyside6-lupdate`` extracts every ``translate("Context", "text")`` call."""

SPEEDS: tuple[float, ...] = (1.0, 10.0, 60.0, 600.0, 3600.0)
PRIORITY_ORDER = PRIORITIES
"""Rows of the density array, most urgent first (drawn at the bottom, where the eye lands)."""
STEP_MS = 60_000
_KEYS = frozenset({Qt.Key.Key_Space, Qt.Key.Key_Left, Qt.Key.Key_Right, Qt.Key.Key_Home, Qt.Key.Key_End})


def instant_text(ms: int) -> str:
    """An instant with its date, in the city's zone, in the interface language ("ven. 27 nov. 2026 22:14:05 CET")."""
    zone = display_qzone()
    when = QLocale().toString(QDateTime.fromMSecsSinceEpoch(int(ms), zone), "ddd d MMM yyyy HH:mm:ss")
    return f"{when} {zone_abbreviation(ms)}"


def speed_text(speed: float) -> str:
    return f"{speed:,.0f}×".replace(",", "\u202f")


class TimelineBar(QWidget):
    """The painted strip: density bars by priority, floods, acknowledgements, actions, bookmarks, cursor."""

    seekRequested = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.start_ms, self.end_ms = 0, 1
        self.position_ms = 0
        self.density = np.zeros((len(PRIORITY_ORDER), 0), dtype=np.int32)
        self.acks = np.empty(0, np.int64)
        self.actions = np.empty(0, np.int64)
        self.floods: list[tuple[int, int]] = []
        self.bookmarks: list[tuple[int, str]] = []
        self._background: QPixmap | None = None
        self.setMinimumHeight(56)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)

    def sizeHint(self) -> QSize:
        return QSize(800, 64)

    def x_of(self, ms: int) -> float:
        span = max(1, self.end_ms - self.start_ms)
        return (ms - self.start_ms) / span * max(1, self.width() - 1)

    def ms_at(self, x: float) -> int:
        share = min(1.0, max(0.0, x / max(1, self.width() - 1)))
        return int(self.start_ms + share * (self.end_ms - self.start_ms))

    def changed(self) -> None:
        """The period, marks or bookmarks changed: draw them again (the cursor alone moves at every frame)."""
        self._background = None
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        ratio = self.devicePixelRatioF()
        background = self._background
        if background is None or background.size() != self.size() * ratio or background.devicePixelRatio() != ratio:
            background = self._background = self._paint_background(ratio)
        painter = QPainter(self)
        painter.drawPixmap(0, 0, background)
        x = self.x_of(self.position_ms)
        painter.setPen(QPen(QColor(theme.TEXT), 2))
        painter.drawLine(QPointF(x, 0), QPointF(x, self.height()))
        painter.end()

    def _paint_background(self, ratio: float) -> QPixmap:
        """Everything but the cursor, drawn once: thousands of density bars took 100 ms a frame at 600×."""
        pixmap = QPixmap(self.size() * ratio)
        pixmap.setDevicePixelRatio(ratio)
        pixmap.fill(QColor(theme.SURFACE))
        painter = QPainter(pixmap)
        height = self.height()
        marks_h = 10
        bars_h = height - 2 * marks_h
        for first, last in self.floods:
            left, right = self.x_of(first), self.x_of(last)
            painter.fillRect(QRectF(left, 0, max(2.0, right - left), bars_h), QColor(theme.SURFACE_RAISED))
        self._paint_density(painter, bars_h)
        self._paint_ticks(painter, self.acks, bars_h, marks_h, theme.TEXT)
        self._paint_ticks(painter, self.actions, bars_h + marks_h, marks_h, theme.ACCENT)
        for ms, _ in self.bookmarks:
            x = self.x_of(ms)
            painter.setPen(QPen(QColor(theme.MODE_COLOURS["replay"][0]), 1, Qt.PenStyle.DotLine))
            painter.drawLine(QPointF(x, 0), QPointF(x, height))
        painter.end()
        return pixmap

    def _paint_density(self, painter: QPainter, bars_h: int) -> None:
        buckets = self.density.shape[1]
        if not buckets:
            return
        totals = self.density.sum(axis=0)
        top = max(1, int(totals.max()))
        width = max(1.0, (self.width() - 1) / buckets)
        for b in np.flatnonzero(totals).tolist():
            x = b * width
            base = float(bars_h)
            for row, priority in enumerate(PRIORITY_ORDER):
                count = int(self.density[row, b])
                if count:
                    h = count / top * (bars_h - 2)
                    painter.fillRect(QRectF(x, base - h, width, h), QColor(theme.PRIORITY_COLOURS[priority]))
                    base -= h

    def _paint_ticks(self, painter: QPainter, instants: np.ndarray, top: int, height: int, colour: str) -> None:
        painter.setPen(QPen(QColor(colour), 1))
        for x in {round(self.x_of(int(ms))) for ms in instants.tolist()}:
            painter.drawLine(QPointF(x, top + 2), QPointF(x, top + height - 2))

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self.seekRequested.emit(self.ms_at(event.position().x()))

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if event.buttons() & Qt.MouseButton.LeftButton:
            self.seekRequested.emit(self.ms_at(event.position().x()))


class TimelineWidget(QWidget):
    """Timeline strip and its controls: play/pause, speed, previous/next alarm transition, bookmarks."""

    seekRequested = Signal(object)
    playRequested = Signal(bool)
    speedChanged = Signal(float)
    bookmarkRequested = Signal(object)
    """The director wants to name the instant shown (the owner asks for the name and calls add_bookmark)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bar = TimelineBar(self)
        self.bar.seekRequested.connect(self.request_seek)
        self.transitions = np.empty(0, np.int64)
        self._playing = False
        self.play_button = self._button(translate("Timeline", "Play"), self.toggle_play)
        self.play_button.setIcon(self.style().standardIcon(QStyle.StandardPixmap.SP_MediaPlay))
        self.play_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.previous_button = self._button("", self.previous_transition)
        self.previous_button.setIcon(self.style().standardIcon(QStyle.StandardPixmap.SP_MediaSkipBackward))
        self.previous_button.setToolTip(translate("Timeline", "Previous alarm transition (Left)"))
        self.next_button = self._button("", self.next_transition)
        self.next_button.setIcon(self.style().standardIcon(QStyle.StandardPixmap.SP_MediaSkipForward))
        self.next_button.setToolTip(translate("Timeline", "Next alarm transition (Right)"))
        self.speed_box = QComboBox(self)
        for speed in SPEEDS:
            self.speed_box.addItem(speed_text(speed), speed)
        self.speed_box.setToolTip(translate("Timeline", "Replay speed"))
        self.speed_box.currentIndexChanged.connect(lambda: self.speedChanged.emit(self.speed()))
        self.bookmark_button = self._button(translate("Timeline", "Bookmark…"),
                                            lambda: self.bookmarkRequested.emit(self.bar.position_ms))
        self.bookmark_box = QComboBox(self)
        self.bookmark_box.setToolTip(translate("Timeline", "Go to a bookmark"))
        self.bookmark_box.activated.connect(self._go_to_bookmark)
        self.position_label = QLabel(self)
        self.position_label.setObjectName("timelinePosition")
        self.period_label = QLabel(self)
        self.period_label.setObjectName("timelinePeriod")
        controls = QHBoxLayout()
        for widget in (self.play_button, self.speed_box, self.previous_button, self.next_button,
                       self.position_label):
            controls.addWidget(widget)
        controls.addStretch(1)
        for widget in (self.bookmark_box, self.bookmark_button, self.period_label):
            controls.addWidget(widget)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 2, 4, 2)
        layout.addWidget(self.bar)
        layout.addLayout(controls)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._show_bookmarks()

    def _button(self, text: str, slot: Callable[[], None]) -> QToolButton:
        button = QToolButton(self)
        button.setText(text)
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        button.clicked.connect(slot)
        return button

    def set_period(self, start_ms: int, end_ms: int) -> None:
        self.bar.start_ms, self.bar.end_ms = int(start_ms), max(int(start_ms) + 1, int(end_ms))
        self.period_label.setText(translate("Timeline", "{start} → {end}").format(
            start=instant_text(start_ms), end=instant_text(end_ms)))
        self.bar.changed()

    def period(self) -> tuple[int, int]:
        return self.bar.start_ms, self.bar.end_ms

    def set_marks(self, density: np.ndarray, transitions: np.ndarray, acks: np.ndarray, actions: np.ndarray,
                  floods: Sequence[tuple[int, int]]) -> None:
        """Alarm density by priority (rows in ``PRIORITY_ORDER``), and the instants to mark and step through."""
        self.bar.density = np.asarray(density)
        self.transitions = np.unique(np.asarray(transitions, dtype=np.int64))
        self.bar.acks = np.asarray(acks, dtype=np.int64)
        self.bar.actions = np.asarray(actions, dtype=np.int64)
        self.bar.floods = list(floods)
        self.bar.changed()

    def set_position(self, ms: int) -> None:
        """The instant shown (from the replay, after a seek or while playing)."""
        self.bar.position_ms = int(ms)
        self.position_label.setText(instant_text(ms))
        self.bar.update()

    def position(self) -> int:
        return self.bar.position_ms

    def set_playing(self, playing: bool) -> None:
        self._playing = playing
        self.play_button.setText(translate("Timeline", "Pause") if playing else translate("Timeline", "Play"))
        pixmap = QStyle.StandardPixmap.SP_MediaPause if playing else QStyle.StandardPixmap.SP_MediaPlay
        self.play_button.setIcon(self.style().standardIcon(pixmap))

    def is_playing(self) -> bool:
        return self._playing

    def speed(self) -> float:
        return float(self.speed_box.currentData())

    def set_speed(self, speed: float) -> None:
        self.speed_box.setCurrentIndex(SPEEDS.index(speed))

    def request_seek(self, ms: int) -> None:
        ms = min(self.bar.end_ms, max(self.bar.start_ms, int(ms)))
        self.set_position(ms)
        self.seekRequested.emit(ms)

    def toggle_play(self) -> None:
        self.playRequested.emit(not self._playing)

    def previous_transition(self) -> None:
        earlier = self.transitions[self.transitions < self.bar.position_ms]
        if earlier.size:
            self.request_seek(int(earlier[-1]))

    def next_transition(self) -> None:
        later = self.transitions[self.transitions > self.bar.position_ms]
        if later.size:
            self.request_seek(int(later[0]))

    def add_bookmark(self, ms: int, name: str) -> None:
        self.bar.bookmarks = sorted([*self.bar.bookmarks, (int(ms), name)])
        self._show_bookmarks()
        self.bar.changed()

    def set_bookmarks(self, bookmarks: Sequence[tuple[int, str]]) -> None:
        self.bar.bookmarks = sorted((int(ms), str(name)) for ms, name in bookmarks)
        self._show_bookmarks()
        self.bar.changed()

    def bookmarks(self) -> list[tuple[int, str]]:
        return list(self.bar.bookmarks)

    def _show_bookmarks(self) -> None:
        self.bookmark_box.clear()
        self.bookmark_box.addItem(translate("Timeline", "Bookmarks"), None)
        for ms, name in self.bar.bookmarks:
            local = datetime.fromtimestamp(ms / 1000, display_zone()).strftime("%d/%m %H:%M")
            self.bookmark_box.addItem(f"{local} · {name}", ms)
        self.bookmark_box.setEnabled(bool(self.bar.bookmarks))

    def _go_to_bookmark(self, index: int) -> None:
        ms = self.bookmark_box.itemData(index)
        if ms is not None:
            self.request_seek(int(ms))

    def event(self, event: QEvent) -> bool:
        """The timeline's keys win over the window's shortcuts (Home is also "whole city") while it has focus."""
        if event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent) and event.key() in _KEYS:
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key, shift = event.key(), bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
        match key:
            case Qt.Key.Key_Space:
                self.toggle_play()
            case Qt.Key.Key_Left if shift:
                self.request_seek(self.bar.position_ms - STEP_MS)
            case Qt.Key.Key_Right if shift:
                self.request_seek(self.bar.position_ms + STEP_MS)
            case Qt.Key.Key_Left:
                self.previous_transition()
            case Qt.Key.Key_Right:
                self.next_transition()
            case Qt.Key.Key_Home:
                self.request_seek(self.bar.start_ms)
            case Qt.Key.Key_End:
                self.request_seek(self.bar.end_ms)
            case _:
                super().keyPressEvent(event)
                return
        event.accept()
