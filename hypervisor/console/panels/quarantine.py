"""The quarantine: rejected messages with their reasons, for the operator and the integrator."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QDialog, QHeaderView, QLabel, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget

from widgets.clock import wall_time


class QuarantineDialog(QDialog):
    """Counts by reason, then the latest rejected messages (topic, reason, detail, start of payload)."""

    def __init__(self, counts: dict[str, int], rows: list[dict[str, Any]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(QCoreApplication.translate("QuarantineDialog", "Rejected messages"))
        self.resize(1000, 520)
        summary = ", ".join(f"{reason}: {n}" for reason, n in sorted(counts.items(), key=lambda kv: -kv[1]))
        self.summary = QLabel(
            summary or QCoreApplication.translate("QuarantineDialog", "No message has been rejected."), self
        )
        self.summary.setWordWrap(True)
        self.table = QTableWidget(len(rows), 5, self)
        self.table.setHorizontalHeaderLabels(
            [
                QCoreApplication.translate("QuarantineDialog", "Received"),
                QCoreApplication.translate("QuarantineDialog", "Topic"),
                QCoreApplication.translate("QuarantineDialog", "Reason"),
                QCoreApplication.translate("QuarantineDialog", "Detail"),
                QCoreApplication.translate("QuarantineDialog", "Payload"),
            ]
        )
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        for r, row in enumerate(rows):
            payload = row.get("payload") or b""
            preview = payload[:120].decode("utf-8", "replace") if isinstance(payload, bytes) else str(payload)[:120]
            cells = (
                wall_time(int(row.get("received_ms", 0))),
                str(row.get("topic", "")),
                str(row.get("reason", "")),
                str(row.get("detail", "")),
                preview,
            )
            for c, text in enumerate(cells):
                self.table.setItem(r, c, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
