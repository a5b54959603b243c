"""The status bar: link to the source, message rate, age of the last message, rejected messages."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import QLabel, QPushButton, QStatusBar, QWidget

from hypervisor.console.snapshot import LinkStatus
from widgets import theme


def _age_text(seconds: float) -> str:
    if seconds < 60:
        return QCoreApplication.translate("StatusPanel", "{n} s ago").format(n=int(seconds))
    if seconds < 3600:
        return QCoreApplication.translate("StatusPanel", "{n} min ago").format(n=int(seconds // 60))
    return QCoreApplication.translate("StatusPanel", "{n} h ago").format(n=int(seconds // 3600))


class StatusPanel(QStatusBar):
    """Always tells the operator whether what they see is current."""

    quarantineRequested = Signal()

    def __init__(self, source_label: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setStyleSheet(theme.STATUS_STYLESHEET)
        # The embedded default is named for what it is, not by its internal address.
        simulated = source_label.startswith("bus://")
        self.source_label = QCoreApplication.translate("StatusPanel", "Simulated city") if simulated else source_label
        self.link = QLabel(self)
        self.rate = QLabel(self)
        self.age = QLabel(self)
        self.engine = QLabel(self)
        self.rejected = QPushButton(self)
        self.rejected.setFlat(True)
        self.rejected.setToolTip(
            QCoreApplication.translate("StatusPanel", "Show the quarantine: rejected messages and why")
        )
        self.rejected.clicked.connect(self.quarantineRequested)
        for widget in (self.link, self.engine, self.rate, self.age):
            self.addPermanentWidget(widget)
        self.addPermanentWidget(self.rejected)
        self.rules = QLabel(self)
        self.rules.setProperty("state", "alarm")
        self.addPermanentWidget(self.rules)
        self.initial_link = LinkStatus("connecting", 0.0, None, 0, {}, None, None)
        """What is known before the source's first snapshot: nothing yet."""
        self.update_link(self.initial_link, 0)

    def update_link(self, link: LinkStatus, now_ms: int) -> None:
        states = {
            "connected": QCoreApplication.translate("StatusPanel", "connected"),
            "connecting": QCoreApplication.translate("StatusPanel", "connecting…"),
            "disconnected": QCoreApplication.translate("StatusPanel", "disconnected — retrying"),
        }
        state_text = states.get(link.state, link.state)
        self.link.setText(
            QCoreApplication.translate("StatusPanel", "Source {source}: {state}").format(
                source=self.source_label, state=state_text
            )
        )
        self.link.setProperty("state", "normal" if link.state == "connected" else "alarm")
        if link.engine_online is None:
            engine = QCoreApplication.translate("StatusPanel", "Engine: no news yet")
        elif not link.engine_online:
            engine = QCoreApplication.translate("StatusPanel", "Engine: offline")
        elif link.engine_lag_ms is None:
            engine = QCoreApplication.translate("StatusPanel", "Engine: online, lag unknown")
        else:
            engine = QCoreApplication.translate("StatusPanel", "Engine: online, lag {lag} ms").format(
                lag=link.engine_lag_ms)
        self.engine.setText(engine)
        self.rules.setVisible(bool(link.rule_errors))
        self.rules.setText(
            QCoreApplication.translate("StatusPanel", "Rule file not loaded: {error}").format(
                error="; ".join(link.rule_errors)) if link.rule_errors else "")
        self.engine.setProperty("state", "normal" if link.engine_online else "alarm")
        self.rate.setText(
            QCoreApplication.translate("StatusPanel", "{rate:.0f} msg/s").format(rate=link.messages_per_s)
        )
        if link.last_message_ms is None:
            self.age.setText(QCoreApplication.translate("StatusPanel", "no message yet"))
        else:
            age = _age_text(max(0, now_ms - link.last_message_ms) / 1000)
            self.age.setText(QCoreApplication.translate("StatusPanel", "last message {age}").format(age=age))
        self.rejected.setText(QCoreApplication.translate("StatusPanel", "{n} rejected").format(n=link.rejected))
        for widget in (self.link, self.engine, self.rules):
            widget.style().unpolish(widget)
            widget.style().polish(widget)
