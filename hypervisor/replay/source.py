"""The GUI's door to a replay: a worker thread seeks and plays the feed; the GUI gets snapshots.

Seeking is ``state_at`` (a keyframe and the changes after it); playing applies the events forward.
Both run on the worker thread, never the GUI thread, and the GUI gets at most ``rate_hz`` coalesced
snapshots a second: a new one is made only once the previous was painted, so however fast the replay
runs, changes pile up in the state rather than in the GUI's event queue.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from feeds.inventory import Inventory
from hypervisor.console.history import asset_history, domain_histories, quarantine
from hypervisor.console.history_reads import HistoryReads
from hypervisor.console.snapshot import ConsoleSnapshot
from hypervisor.console.state import CityState
from hypervisor.replay.feed import ReplayFeed
from hypervisor.replay.history import open_reader
from hypervisor.reports.alarm_history import period_figures
from hypervisor.runtime import settle_heap

log = logging.getLogger(__name__)


class ReplayClock:
    """The replayed instant, as the window's clock."""

    def __init__(self, feed: ReplayFeed) -> None:
        self._feed = feed

    def now_ms(self) -> int:
        return self._feed.cursor_ms


class ReplaySource(QObject):
    """Same signals as the LIVE source; ``seek``, ``play``, ``pause`` and ``set_speed`` instead of commands."""

    snapshotReady = Signal(object)
    historyReady = Signal(object)
    problem = Signal(str)
    marksReady = Signal(object)
    playingChanged = Signal(bool)

    def __init__(self, feed: ReplayFeed, inventory: Inventory, user: str, rate_hz: float = 15.0) -> None:
        super().__init__()
        self.feed = feed
        self.inventory = inventory
        self.user = user
        self.label = feed.label
        self.capabilities = feed.capabilities
        self.clock = ReplayClock(feed)
        self.state = CityState(inventory)
        self.speed = 60.0
        self.playing = False
        self._period = 1.0 / rate_hz
        self._wake = threading.Condition()
        self._seek_to: int | None = feed.start_ms
        self._painted = threading.Event()
        self._painted.set()
        self._stopped = False
        self._thread = threading.Thread(target=self._run, name=f"hv-replay-{id(self):x}", daemon=True)
        self._history = HistoryReads(lambda: open_reader(feed.address.path), self.historyReady.emit,
                                     self.problem.emit, None, "hv-replay-history")

    @property
    def start_ms(self) -> int:
        return self.feed.start_ms

    @property
    def end_ms(self) -> int:
        return self.feed.end_ms

    @property
    def has_history(self) -> bool:
        return True

    def start(self) -> None:
        """Start seeking and playing; call once the window is connected, so it paints before the next frame.

        The inventory, basemap and window are built by now: set aside from the garbage collector
        (``settle_heap``)."""
        settle_heap()
        self.snapshotReady.connect(self._delivered)
        self._thread.start()
        self._history.run(lambda: self.marksReady.emit(self.feed.marks()))

    def stop(self) -> None:
        with self._wake:
            self._stopped = True
            self._wake.notify_all()
        self._painted.set()
        if self._thread.is_alive():
            self._thread.join(10)
        self._history.close()
        self.feed.close()

    def seek(self, at_ms: int) -> None:
        """Show the city at ``at_ms``; successive seeks before the first is done collapse into the last."""
        with self._wake:
            self._seek_to = int(at_ms)
            self._wake.notify_all()

    def play(self) -> None:
        self._set_playing(True)

    def pause(self) -> None:
        self._set_playing(False)

    def set_speed(self, speed: float) -> None:
        if speed <= 0:
            raise ValueError("the speed must be positive")
        self.speed = float(speed)

    def _set_playing(self, on: bool) -> None:
        with self._wake:
            if on and self.feed.cursor_ms >= self.feed.end_ms:
                self.feed.refresh_period()
            self.playing = on
            self._wake.notify_all()
        self.playingChanged.emit(on)

    def _delivered(self, _: object) -> None:
        # Once the frame is painted (the window's repaint was posted while it took the snapshot), not as
        # it arrives: computing the next step meanwhile made each of the paint's many Qt calls wait for
        # the GIL, and a 15 ms paint took 60.
        QTimer.singleShot(0, self._painted.set)

    def _run(self) -> None:
        last = time.monotonic()
        unsent = False
        while True:
            with self._wake:
                while not self._stopped and self._seek_to is None and not self.playing and not unsent:
                    self._wake.wait()
                if self._stopped:
                    return
                seek_to, self._seek_to = self._seek_to, None
            try:
                if seek_to is not None:
                    self.state.reset(self.feed.seek(seek_to))
                    last = time.monotonic()
                elif self.playing:
                    now = time.monotonic()
                    target = self.feed.cursor_ms + int((now - last) * self.speed * 1000)
                    last = now
                    self.state.apply_events(self.feed.advance(target))
                    if self.feed.cursor_ms >= self.feed.end_ms:
                        self._set_playing(False)
                unsent = not self._emit()
            except Exception as exc:
                log.exception("replay stopped on an error")
                self.problem.emit(str(exc))
                self._set_playing(False)
            if self.playing:
                time.sleep(max(0.0, self._period - (time.monotonic() - last)))

    def _emit(self) -> bool:
        """One snapshot once the previous one was taken by the GUI thread; False if it is still busy
        (the changes then wait in the state for the next try)."""
        if not self._painted.wait(timeout=self._period):
            return False
        self._painted.clear()
        self.snapshotReady.emit(self._snapshot())
        return True

    def _snapshot(self) -> ConsoleSnapshot:
        return self.state.snapshot(self.feed.cursor_ms, "connected")

    def request_asset_history(self, asset_id: str) -> None:
        at = self.feed.cursor_ms
        self._read(lambda reader: asset_history(reader, asset_id, at + 1))

    def request_domain_histories(self, domains: Sequence[str]) -> None:
        at = self.feed.cursor_ms
        self._read(lambda reader: domain_histories(reader, self.inventory, domains, at + 1))

    def request_alarm_figures(self, since_ms: int, until_ms: int) -> None:
        """The alarm performance figures of a period (an ``AlarmFigures`` on ``historyReady``)."""
        self._read(lambda reader: period_figures(reader, since_ms, until_ms))

    def request_quarantine(self) -> None:
        self._read(quarantine)

    def _read(self, query: Any) -> None:
        self._history.submit(query)
