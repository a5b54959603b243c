"""A trainee's result at the end of a drill: each expected response met, late or missed, and the score."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, QLocale
from PySide6.QtWidgets import QHeaderView, QLabel, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from hypervisor.training.debrief_pdf import status_label


class ScorePanel(QWidget):
    """Empty while the drill runs; filled with the session's result for this console's user once it ends."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.heading = QLabel(QCoreApplication.translate("ScorePanel", "Your result appears when the drill ends."))
        self.heading.setWordWrap(True)
        self.outcomes = QTreeWidget()
        self.outcomes.setRootIsDecorated(False)
        self.outcomes.setHeaderLabels([QCoreApplication.translate("ScorePanel", "Expected response"),
                                       QCoreApplication.translate("ScorePanel", "Outcome"),
                                       QCoreApplication.translate("ScorePanel", "Response time")])
        self.outcomes.header().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.outcomes, 1)

    def show_score(self, body: dict[str, Any]) -> None:
        """The session's published result (see ``hypervisor.training.scoring.score_body``)."""
        lang = "fr" if QLocale().name().startswith("fr") else "en"
        self.heading.setText(QCoreApplication.translate("ScorePanel", "Score: {percent} %").format(
            percent=QLocale().toString(float(body.get("percent") or 0.0), "f", 0)))
        self.outcomes.clear()
        for outcome in body.get("outcomes") or []:
            response = outcome.get("response_ms")
            seconds = "" if response is None else QCoreApplication.translate("ScorePanel", "{s} s").format(
                s=QLocale().toString(response / 1000, "f", 0))
            QTreeWidgetItem(self.outcomes, [str(outcome.get(f"expected_{lang}") or outcome.get("id", "")),
                                            status_label(str(outcome.get("status", ""))), seconds])
