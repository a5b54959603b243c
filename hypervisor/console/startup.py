"""Says in the log when the console painted its first frame and first showed the city's values.

Operators judge a console by how soon it is useful; ``benchmarks.console demo`` reads these two lines
from the real ``hypervisor`` process as a user starts it.
"""

from __future__ import annotations

import logging
import time

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QWidget

log = logging.getLogger(__name__)

FIRST_FRAME = "first frame painted"
FIRST_VALUES = "first values shown"


class StartupReport(QObject):
    """Logs ``first frame painted`` at the watched widget's first paint, and ``first values shown`` once."""

    def __init__(self, watched: QWidget) -> None:
        super().__init__(watched)
        self._started = time.monotonic()
        self._painted = False
        self.values_shown = False
        watched.installEventFilter(self)

    def note_values(self, any_value: bool) -> None:
        """Called with each snapshot: whether a key figure has a value."""
        if any_value and not self.values_shown:
            self.values_shown = True
            log.info("%s (%.0f ms after the window was built)", FIRST_VALUES, self._elapsed_ms())

    def _elapsed_ms(self) -> float:
        return (time.monotonic() - self._started) * 1000

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if not self._painted and event.type() == QEvent.Type.Paint:
            self._painted = True
            log.info("%s (%.0f ms after the window was built)", FIRST_FRAME, self._elapsed_ms())
        return False
