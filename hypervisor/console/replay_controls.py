"""What a console on a REPLAY feed adds: the timeline under the map, bookmarks, trend cursors."""

from __future__ import annotations

import hashlib
import logging

from PySide6.QtCore import QCoreApplication, QObject, QSettings, QTimer
from PySide6.QtWidgets import QInputDialog, QMainWindow, QWidget

from hypervisor.console.alarm_performance import AlarmPerformance
from hypervisor.console.incident_actions import IncidentActions
from hypervisor.console.snapshot import ConsoleSnapshot
from hypervisor.replay.history import HistoryMarks
from hypervisor.replay.source import ReplaySource
from widgets.timeline import TimelineWidget, instant_text, speed_text

log = logging.getLogger(__name__)

HISTORY_DELAY_MS = 1500
"""Trends are read again this long after the last seek, once the director settles, not at every step of a
drag (reading a domain's six hours takes the historian a while on a month of the city)."""


class ReplayControls(QObject):
    """Timeline and bookmarks of a replay window; the window forwards each snapshot here."""

    def __init__(self, window: QMainWindow, source: ReplaySource, settings: QSettings) -> None:
        super().__init__(window)
        self.window = window
        self.source = source
        self.settings = settings
        self.incident = IncidentActions(window, source, source.inventory)
        self.performance = AlarmPerformance(window, source, self.incident.menu)
        self.timeline = TimelineWidget(window)
        self.timeline.setObjectName("timeline")
        self.timeline.set_period(source.start_ms, source.end_ms)
        self.timeline.set_position(source.start_ms)
        self.timeline.set_speed(source.speed)
        self.timeline.set_bookmarks(self._load_bookmarks())
        self.timeline.seekRequested.connect(source.seek)
        self.timeline.playRequested.connect(lambda on: source.play() if on else source.pause())
        self.timeline.speedChanged.connect(source.set_speed)
        self.timeline.bookmarkRequested.connect(self.ask_bookmark)
        source.playingChanged.connect(self.timeline.set_playing)
        source.marksReady.connect(self.set_marks)
        self._history = QTimer(self)
        self._history.setSingleShot(True)
        self._history.setInterval(HISTORY_DELAY_MS)
        self._history.timeout.connect(self._read_history)
        central = window.centralWidget()
        assert isinstance(central, QWidget)
        central.layout().addWidget(self.timeline)
        self.timeline.setFocus()
        self._quiet_live_facts()

    def _quiet_live_facts(self) -> None:
        """The status bar names the file; rates, ages and the engine's health belong to LIVE."""
        status = self.window.status
        for label in (status.engine, status.rate, status.age):
            label.hide()
        status.link.setProperty("state", "normal")
        status.link.style().unpolish(status.link)
        status.link.style().polish(status.link)
        status.link.setText(QCoreApplication.translate("ReplayControls", "Replaying {file} (read-only)").format(
            file=self.source.feed.address.path))

    def set_marks(self, marks: HistoryMarks) -> None:
        self.timeline.set_marks(marks.density, marks.transitions, marks.acks, marks.actions, marks.floods)

    def band_text(self, now_ms: int) -> str:
        """The band's right side: the replayed instant with its date, the speed while playing, the file."""
        parts = [instant_text(now_ms)]
        if self.source.playing:
            parts.append(speed_text(self.source.speed))
        parts.append(self.source.feed.address.path.name)
        return " · ".join(parts)

    def on_snapshot(self, snap: ConsoleSnapshot) -> None:
        self.timeline.set_position(snap.now_ms)
        if snap.reset or snap.first:
            self._history.start()

    def _read_history(self) -> None:
        now = self.source.feed.cursor_ms
        for panel in self.window.domain_panels.values():
            panel.restart_trend(now)
        self.window.backfill_domains()
        shown = self.window.asset_panel.asset
        if shown is not None:
            self.source.request_asset_history(shown.id)
        self.window.asset_panel.trend.set_cursor(now)

    def _bookmarks_key(self) -> str:
        path = str(self.source.feed.address.path.resolve())
        return f"replay-bookmarks/{hashlib.sha1(path.encode()).hexdigest()[:16]}"

    def _load_bookmarks(self) -> list[tuple[int, str]]:
        stored = self.settings.value(self._bookmarks_key(), []) or []
        # Read back from the file by another run, a single bookmark is a string, not a list of one.
        bookmarks = []
        for item in [stored] if isinstance(stored, str) else stored:
            ms, _, name = str(item).partition("\t")
            try:
                bookmarks.append((int(ms), name))
            except ValueError:
                log.warning("an unreadable bookmark in %s is left out: %r", self.settings.fileName(), item)
        return bookmarks

    def add_bookmark(self, ms: int, name: str) -> None:
        """Name an instant of this file; kept in the director's settings, the file stays untouched."""
        self.timeline.add_bookmark(ms, name)
        self.settings.setValue(self._bookmarks_key(), [f"{t}\t{n}" for t, n in self.timeline.bookmarks()])
        self.settings.sync()

    def ask_bookmark(self, ms: int) -> None:
        dialog = QInputDialog(self.window)
        dialog.setWindowTitle(QCoreApplication.translate("ReplayControls", "Bookmark"))
        dialog.setLabelText(QCoreApplication.translate("ReplayControls", "Name for {instant}:").format(
            instant=instant_text(ms)))
        dialog.textValueSelected.connect(lambda name: self.add_bookmark(ms, name.strip()) if name.strip() else None)
        dialog.open()
