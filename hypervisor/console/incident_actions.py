"""REPLAY's Incident menu: export the replayed period as an incident file, or make its report."""

from __future__ import annotations

import logging
import tempfile
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QLocale, QObject, Qt, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QFileDialog, QMainWindow, QMessageBox, QProgressDialog

from feeds.inventory import Inventory
from hypervisor.console.export_period import ExportPeriodDialog
from hypervisor.incident.export import ExportResult, ExportSources, export_incident
from hypervisor.incident.scope import ExportScope

if TYPE_CHECKING:
    from hypervisor.replay.source import ReplaySource

log = logging.getLogger(__name__)
translate = QCoreApplication.translate


class IncidentActions(QObject):
    """Export… writes the replayed period to an incident file off the GUI thread, with a progress bar;
    Report… writes the incident report of the file replayed (exported first when it is a historian)."""

    progressed = Signal(str, float)
    exported = Signal(object)
    failed = Signal(str)

    def __init__(self, window: QMainWindow, source: ReplaySource, inventory: Inventory) -> None:
        super().__init__(window)
        self.window = window
        self.source = source
        self.inventory = inventory
        self._worker: threading.Thread | None = None
        self._progress: QProgressDialog | None = None
        menu = self.menu = window.menuBar().addMenu(translate("IncidentActions", "&Incident"))
        self.export_action = menu.addAction(translate("IncidentActions", "Export…"))
        self.export_action.setShortcut(QKeySequence("Ctrl+E"))
        self.export_action.triggered.connect(self.ask_export)
        self.report_action = menu.addAction(translate("IncidentActions", "Report…"))
        self.report_action.triggered.connect(self.ask_report)
        self.progressed.connect(self._show_progress, Qt.ConnectionType.QueuedConnection)
        self.exported.connect(self._exported, Qt.ConnectionType.QueuedConnection)
        self.failed.connect(self._failed, Qt.ConnectionType.QueuedConnection)

    @property
    def file(self) -> Path:
        return self.source.feed.address.path

    def ask_export(self) -> None:
        """Ask for the period (the replayed one by default, narrowed at will), then for the file."""
        dialog = ExportPeriodDialog(self.source.start_ms, self.source.end_ms, self.window)
        if dialog.exec() != ExportPeriodDialog.DialogCode.Accepted:
            return
        name, _ = QFileDialog.getSaveFileName(self.window, translate("IncidentActions", "Export the incident"),
                                              str(self.file.with_name(f"{self.file.stem}-incident.sqlite")),
                                              translate("IncidentActions", "Incident files (*.sqlite)"))
        if name:
            self.export_to(Path(name), dialog.period())

    def export_to(self, target: Path, period: tuple[int, int] | None = None) -> None:
        """Export ``period`` (from and to included; the replayed period by default) to ``target`` in the
        background; ``exported`` or ``failed`` follows."""
        if self._worker is not None and self._worker.is_alive():
            return
        self._progress = QProgressDialog(translate("IncidentActions", "Exporting the incident…"), "", 0, 100,
                                         self.window)
        self._progress.setCancelButton(None)
        self._progress.setWindowModality(Qt.WindowModality.WindowModal)
        self._progress.setMinimumDuration(500)
        start, end = period if period is not None else (self.source.start_ms, self.source.end_ms)
        scope = ExportScope(start, end + 1)
        files = ExportSources.shipped()
        self._worker = threading.Thread(target=self._export, args=(target, scope, files), name="hv-incident-export",
                                        daemon=True)
        self._worker.start()

    def _export(self, target: Path, scope: ExportScope, files: ExportSources) -> None:
        try:
            result = export_incident(self.file, target, scope, self.inventory, files,
                                     progress=self.progressed.emit)
        except Exception as exc:  # shown to the director, who can choose another file or period
            log.exception("incident export to %s failed", target)
            self.failed.emit(str(exc))
            return
        self.exported.emit(result)

    def wait(self, timeout_s: float = 60.0) -> None:
        """Wait for a running export (closing the window, tests)."""
        if self._worker is not None:
            self._worker.join(timeout_s)

    def _show_progress(self, _step: str, done: float) -> None:
        if self._progress is not None:
            self._progress.setValue(round(done * 100))

    def _finish(self) -> None:
        if self._progress is not None:
            self._progress.close()
            self._progress.deleteLater()
            self._progress = None

    def _exported(self, result: ExportResult) -> None:
        self._finish()
        self.window.statusBar().showMessage(translate("IncidentActions", "Incident exported to {file} ({mb} MB)")
                                            .format(file=result.path.name, mb=QLocale().toString(result.bytes / 1e6,
                                                                                                 "f", 1)))

    def _failed(self, message: str) -> None:
        self._finish()
        QMessageBox.warning(self.window, translate("IncidentActions", "Export failed"),
                            translate("IncidentActions", "The incident could not be exported: {error}").format(
                                error=message))

    def ask_report(self) -> None:
        name, _ = QFileDialog.getSaveFileName(self.window, translate("IncidentActions", "Incident report"),
                                              str(self.file.with_name(f"{self.file.stem}-report.pdf")),
                                              translate("IncidentActions", "PDF files (*.pdf)"))
        if name:
            self.report_to(Path(name))

    def report_to(self, target: Path) -> None:
        """Write the incident report of the replayed period (in the interface's language) to ``target``."""
        from hypervisor.historian.reader import open_read_only
        from hypervisor.incident.export import read_meta
        from hypervisor.reports.incident_data import load_incident
        from hypervisor.reports.incident_report import render_incident
        from widgets.clock import display_zone

        self.window.setCursor(Qt.CursorShape.WaitCursor)
        try:
            db = open_read_only(self.file)
            try:
                is_export = bool(read_meta(db))
            finally:
                db.close()
            with tempfile.TemporaryDirectory(prefix="hv-report-") as tmp:
                incident = self.file
                if not is_export:
                    incident = Path(tmp) / "incident.sqlite"
                    export_incident(self.file, incident, ExportScope(self.source.start_ms, self.source.end_ms + 1),
                                    self.inventory, ExportSources.shipped())
                render_incident(load_incident(incident), target, str(display_zone()))
        except (OSError, ValueError) as exc:
            QMessageBox.warning(self.window, translate("IncidentActions", "Report failed"),
                                translate("IncidentActions", "The report could not be written: {error}").format(
                                    error=str(exc)))
            return
        finally:
            self.window.unsetCursor()
        self.window.statusBar().showMessage(translate("IncidentActions", "Report written to {file}").format(
            file=target.name))
