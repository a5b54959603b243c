"""REPLAY's director's panel: the alarm system performance figures (ISA-18.2, EEMUA 191) of the period.

The figures are computed on the replay's history thread, through its reader, and shown as the very
tables of the PDF report (:mod:`hypervisor.reports.alarm_tables`), in type large enough to be read on a
wall screen from across the room.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHeaderView,
    QLabel,
    QMainWindow,
    QMenu,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from hypervisor.reports.alarm_figures import AlarmFigures
from hypervisor.reports.alarm_tables import FigureTable, definitions, figure_tables
from widgets import theme
from widgets.timeline import instant_text

if TYPE_CHECKING:
    from hypervisor.replay.source import ReplaySource

translate = QCoreApplication.translate

STYLE = f"""
QDialog#alarmPerformance QTableWidget {{ font-size: 15pt; }}
QDialog#alarmPerformance QHeaderView::section {{ font-size: 12pt; }}
QDialog#alarmPerformance QLabel#figuresTitle {{ font-size: 16pt; font-weight: bold; color: {theme.TEXT}; }}
QDialog#alarmPerformance QLabel#figuresPeriod {{ font-size: 14pt; color: {theme.TEXT_MUTED}; }}
QDialog#alarmPerformance QLabel#figuresNote {{ font-size: 11pt; color: {theme.TEXT_MUTED}; }}
QDialog#alarmPerformance QLabel#figuresStatus {{ font-size: 16pt; color: {theme.TEXT_MUTED}; }}
"""
"""Type readable at about 3 m on a wall screen: 15 pt figures, 16 pt titles (the console's is 11 pt)."""

LAYOUT = (("summary", 0, 0, 2), ("priorities", 1, 0, 1), ("acknowledge", 1, 1, 1), ("bad_actors", 2, 0, 1),
          ("shelving", 2, 1, 1), ("chattering", 3, 0, 1), ("stale", 3, 1, 1))
"""Where each table sits: (name, row, column, columns spanned)."""


def time_text(ms: float | None) -> str:
    return "—" if ms is None else instant_text(int(ms))


class FigureView(QTableWidget):
    """One table of figures, read-only, as tall as its rows (the panel scrolls, not the table)."""

    def __init__(self, table: FigureTable, parent: QWidget) -> None:
        super().__init__(len(table.rows), len(table.headers), parent)
        self.setHorizontalHeaderLabels(list(table.headers))
        self.verticalHeader().hide()
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        above = QColor(theme.PRIORITY_COLOURS["high"])
        for r, row in enumerate(table.rows):
            for c, value in enumerate(row):
                item = QTableWidgetItem("—" if value is None else str(value))
                if c:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                if r < len(table.above) and table.above[r]:
                    item.setForeground(above)
                self.setItem(r, c, item)
        self.setWordWrap(False)
        self.ensurePolished()
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.verticalHeader().setDefaultSectionSize(round(self.fontMetrics().height() * 1.5))
        self.setFixedHeight(header.sizeHint().height() + sum(self.rowHeight(r) for r in range(self.rowCount()))
                            + 2 * self.frameWidth())

    def texts(self) -> list[list[str]]:
        """The cells as shown, row by row."""
        return [[self.item(r, c).text() for c in range(self.columnCount())] for r in range(self.rowCount())]


class AlarmPerformanceDialog(QDialog):
    """The figures of one period: "Computing…" until they arrive, then the tables."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("alarmPerformance")
        self.setWindowTitle(translate("AlarmPerformance", "Alarm performance"))
        self.setStyleSheet(STYLE)
        self.period = QLabel(self)
        self.period.setObjectName("figuresPeriod")
        self.status = QLabel(self)
        self.status.setObjectName("figuresStatus")
        self.views: dict[str, FigureView] = {}
        self._body = QWidget(self)
        self._grid = QGridLayout(self._body)
        self._grid.setHorizontalSpacing(24)
        self._grid.setVerticalSpacing(18)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(self._body)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.period)
        layout.addWidget(self.status)
        layout.addWidget(scroll, 1)
        layout.addWidget(buttons)
        self.since_ms: int | None = None
        self.until_ms: int | None = None

    def waiting(self, since_ms: int, until_ms: int) -> None:
        self.since_ms, self.until_ms = since_ms, until_ms
        self.period.setText(translate("AlarmPerformance", "{start} to {end}, one operator position").format(
            start=instant_text(since_ms), end=instant_text(until_ms)))
        self.status.setText(translate("AlarmPerformance", "Computing the figures of the period…"))
        self.status.show()
        self._clear()

    def failed(self, message: str) -> None:
        self.status.setText(translate("AlarmPerformance", "The figures could not be computed: {error}").format(
            error=message))

    def set_figures(self, figures: AlarmFigures) -> None:
        """Show ``figures`` if they are the ones of the period asked last."""
        if (figures.since_ms, figures.until_ms) != (self.since_ms, self.until_ms):
            return
        self._clear()
        self.status.hide()
        tables = figure_tables(figures, time_text)
        for name, row, column, span in LAYOUT:
            self._grid.addWidget(self._block(name, tables[name]), row, column, 1, span, Qt.AlignmentFlag.AlignTop)
        note = QLabel(definitions(), self._body)
        note.setObjectName("figuresNote")
        note.setWordWrap(True)
        self._grid.addWidget(note, len(LAYOUT), 0, 1, 2)
        self._grid.setRowStretch(len(LAYOUT) + 1, 1)

    def _block(self, name: str, table: FigureTable) -> QWidget:
        block = QWidget(self._body)
        column = QVBoxLayout(block)
        column.setContentsMargins(0, 0, 0, 0)
        title = QLabel(table.title, block)
        title.setObjectName("figuresTitle")
        view = self.views[name] = FigureView(table, block)
        view.setObjectName(name)
        column.addWidget(title)
        column.addWidget(view)
        if table.note:
            note = QLabel(table.note, block)
            note.setObjectName("figuresNote")
            note.setWordWrap(True)
            column.addWidget(note)
        return block

    def _clear(self) -> None:
        self.views.clear()
        while self._grid.count():
            item = self._grid.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()


class AlarmPerformance(QObject):
    """The "Alarm performance…" entry of a REPLAY window: the figures of the replayed period."""

    def __init__(self, window: QMainWindow, source: ReplaySource, menu: QMenu) -> None:
        super().__init__(window)
        self.window = window
        self.source = source
        self.dialog: AlarmPerformanceDialog | None = None
        self.action = menu.addAction(translate("AlarmPerformance", "Alarm performance…"))
        self.action.triggered.connect(self.show_replayed_period)
        source.historyReady.connect(self._answer)
        source.problem.connect(self._problem)

    def show_replayed_period(self) -> AlarmPerformanceDialog:
        """The figures from the first replayed instant to the last, both included."""
        return self.show_period(self.source.start_ms, self.source.end_ms + 1)

    def show_period(self, since_ms: int, until_ms: int) -> AlarmPerformanceDialog:
        if self.dialog is None:
            self.dialog = AlarmPerformanceDialog(self.window)
            self.dialog.resize(1500, 900)
        self.dialog.waiting(since_ms, until_ms)
        self.dialog.show()
        self.dialog.raise_()
        self.source.request_alarm_figures(since_ms, until_ms)
        return self.dialog

    def _answer(self, data: object) -> None:
        if isinstance(data, AlarmFigures) and self.dialog is not None:
            self.dialog.set_figures(data)

    def _problem(self, message: str) -> None:
        if self.dialog is not None and self.dialog.status.isVisible():
            self.dialog.failed(message)
