"""The quarantine: rejected messages with their reasons, for the operator and the integrator.

Each row is one entry of the digest: a reason and an asset (or topic), how many messages, since when.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QDialog, QHeaderView, QLabel, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget

from hypervisor.console.labels import reason_label
from hypervisor.historian.quarantine import OTHER_KEY
from widgets.clock import wall_time


class QuarantineDialog(QDialog):
    """Counts by reason, then the digest's entries, most recently seen first, with a sample payload."""

    def __init__(self, counts: dict[str, int], rows: list[dict[str, Any]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(QCoreApplication.translate("QuarantineDialog", "Rejected messages"))
        self.resize(1000, 520)
        by_count = sorted(counts.items(), key=lambda kv: -kv[1])
        summary = ", ".join(f"{reason_label(reason)}: {n}" for reason, n in by_count)
        self.summary = QLabel(
            summary or QCoreApplication.translate("QuarantineDialog", "No message has been rejected."), self
        )
        self.summary.setWordWrap(True)
        self.table = QTableWidget(len(rows), 7, self)
        self.table.setHorizontalHeaderLabels(
            [
                QCoreApplication.translate("QuarantineDialog", "Last received"),
                QCoreApplication.translate("QuarantineDialog", "First received"),
                QCoreApplication.translate("QuarantineDialog", "Messages"),
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
            payload = row.get("sample") or b""
            preview = payload[:120].decode("utf-8", "replace") if isinstance(payload, bytes) else str(payload)[:120]
            topic = str(row.get("topic") or "")
            if row.get("key") == OTHER_KEY:
                other = QCoreApplication.translate("QuarantineDialog", "(other assets and topics; last: {topic})")
                topic = other.format(topic=topic)
            cells = (
                wall_time(int(row.get("last_ms") or 0), "%d/%m %H:%M:%S"),
                wall_time(int(row.get("first_ms") or 0), "%d/%m %H:%M:%S"),
                str(row.get("count", "")),
                topic,
                reason_label(str(row.get("reason", ""))),
                str(row.get("detail", "")),
                preview,
            )
            for c, text in enumerate(cells):
                self.table.setItem(r, c, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
