"""The trainer's hold on a session running on a background loop: controls in, views out by queued signal."""

from __future__ import annotations

import asyncio
from typing import Any

from PySide6.QtCore import QObject, Signal

from feeds.scenario import Injection
from hypervisor.runtime import BackgroundLoop
from hypervisor.training.debrief import Debrief
from hypervisor.training.session import TrainingSession
from hypervisor.training.view import session_view

VIEW_PERIOD_S = 0.25


class TrainerController(QObject):
    """Calls the session's controls on its loop; emits ``viewReady`` with a ``SessionView`` four times a second."""

    viewReady = Signal(object)

    def __init__(self, session: TrainingSession, loop: BackgroundLoop | None = None) -> None:
        super().__init__()
        self.session = session
        self._own_loop = loop is None
        self.loop = loop or BackgroundLoop(f"hv-trainer-{session.name}")

    def start(self) -> None:
        """Run the session (on a loop of its own unless it shares one), and start sending views."""
        if self._own_loop:
            self.loop.start(lambda: self.session.run(autostart=False))
        self.loop.submit(self._views())

    def stop(self) -> None:
        if self._own_loop:
            self.loop.stop()

    async def _views(self) -> None:
        while True:
            self.viewReady.emit(session_view(self.session))
            await asyncio.sleep(VIEW_PERIOD_S)

    def _call(self, method: Any, *args: Any) -> None:
        if self.loop.loop is not None and self.loop.running:
            self.loop.loop.call_soon_threadsafe(method, *args)

    def play(self) -> None:
        self._call(self.session.start)

    def pause(self) -> None:
        self._call(self.session.pause)

    def set_speed(self, speed: float) -> None:
        self._call(self.session.set_speed, speed)

    def jump(self, offset_ms: int) -> None:
        self._call(self.session.jump, offset_ms)

    def inject(self, injection: Injection) -> None:
        self._call(self.session.inject, injection)

    def end(self) -> None:
        self._call(self.session.end)

    def note(self, text: str) -> None:
        self._call(self.session.note, text)

    def debrief(self) -> Debrief:
        """The debrief as of now, taken on the session's loop."""

        async def take() -> Debrief:
            return self.session.debrief()

        return self.loop.submit(take()).result(5)
