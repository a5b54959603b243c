"""Says in the log when the console painted its first frame and first showed the city's values.

Operators judge a console by how soon it is useful; ``benchmarks.console demo`` reads these two lines
from the real ``hypervisor`` process as a user starts it. The window builds what the first look does not
need (the trends' plots, their history) once the values are painted: ``valuesShown``.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable

from PySide6.QtCore import QEvent, QObject, Signal
from PySide6.QtWidgets import QWidget

log = logging.getLogger(__name__)

FIRST_FRAME = "first frame painted"
FIRST_VALUES = "first values shown"


class StartupReport(QObject):
    """Logs ``first frame painted`` at the map's first paint, and ``first values shown`` when a key figure
    tile paints the first value it was given."""

    valuesShown = Signal()

    def __init__(self, first_frame: QWidget, value_tiles: Iterable[QWidget]) -> None:
        super().__init__(first_frame)
        self._started = time.monotonic()
        self._painted = False
        self._values_given = False
        self.values_shown = False
        self._frame = first_frame
        self._tiles = list(value_tiles)
        for widget in (first_frame, *self._tiles):
            widget.installEventFilter(self)

    def note_values(self, any_value: bool) -> None:
        """Called with each snapshot: whether a key figure has a value."""
        if any_value and not self._values_given:
            self._values_given = True
            for tile in self._tiles:
                tile.update()

    def _elapsed_ms(self) -> float:
        return (time.monotonic() - self._started) * 1000

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.Paint:
            return False
        if watched is self._frame and not self._painted:
            self._painted = True
            log.info("%s (%.0f ms after the window was built)", FIRST_FRAME, self._elapsed_ms())
        elif watched is not self._frame and self._values_given and not self.values_shown:
            self.values_shown = True
            log.info("%s (%.0f ms after the window was built)", FIRST_VALUES, self._elapsed_ms())
            self.valuesShown.emit()
        return False
