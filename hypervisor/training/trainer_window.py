"""The trainer console: the scenario's timeline, the session's controls, and the trainees as they act."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QToolBar,
    QToolButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from feeds.scenario import format_offset, parse_offset
from hypervisor.console.trust_text import city_clock_text
from hypervisor.training.controller import TrainerController
from hypervisor.training.debrief_pdf import status_label, write_debrief_pdf
from hypervisor.training.view import SessionView
from widgets.mode_band import ModeBand

SPEEDS = (1.0, 2.0, 5.0, 10.0, 20.0, 30.0, 60.0)


def _tree(headers: list[str]) -> QTreeWidget:
    tree = QTreeWidget()
    tree.setHeaderLabels(headers)
    tree.setRootIsDecorated(False)
    tree.setUniformRowHeights(True)
    tree.header().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    tree.header().setStretchLastSection(True)
    return tree


class TrainerWindow(QMainWindow):
    """Shows a ``SessionView`` at each ``viewReady``; every button goes through the controller."""

    def __init__(self, controller: TrainerController, lang: str = "en") -> None:
        super().__init__()
        self.controller = controller
        self.lang = lang
        self.scenario = controller.session.scenario
        self._shown_actions = 0
        self.setWindowTitle(QCoreApplication.translate("TrainerWindow", "Trainer console — {title}").format(
            title=self.scenario.title(lang)))
        self.band = ModeBand("training", self)
        self.band.set_heading(self.scenario.title(lang))
        self._build_toolbar()
        self.timeline = _tree([QCoreApplication.translate("TrainerWindow", "At"),
                               QCoreApplication.translate("TrainerWindow", "Injection"),
                               QCoreApplication.translate("TrainerWindow", "State")])
        for injection in self.scenario.injections:
            QTreeWidgetItem(self.timeline, [format_offset(injection.at_ms), injection.label(lang),
                                            QCoreApplication.translate("TrainerWindow", "to come")])
        briefing = QTextBrowser()
        briefing.setPlainText(self.scenario.briefing(lang))
        self.actions = _tree([QCoreApplication.translate("TrainerWindow", "At"),
                              QCoreApplication.translate("TrainerWindow", "Trainee"),
                              QCoreApplication.translate("TrainerWindow", "Action"),
                              QCoreApplication.translate("TrainerWindow", "Alarm"),
                              QCoreApplication.translate("TrainerWindow", "Comment"),
                              QCoreApplication.translate("TrainerWindow", "Result")])
        self.scores = _tree([QCoreApplication.translate("TrainerWindow", "Trainee / expected response"),
                             QCoreApplication.translate("TrainerWindow", "Outcome"),
                             QCoreApplication.translate("TrainerWindow", "Response time")])
        self.scores.setRootIsDecorated(True)
        left = QSplitter(Qt.Orientation.Vertical)
        left.addWidget(self.timeline)
        left.addWidget(briefing)
        right = QSplitter(Qt.Orientation.Vertical)
        right.addWidget(self.actions)
        right.addWidget(self.scores)
        body = QSplitter(Qt.Orientation.Horizontal)
        body.addWidget(left)
        body.addWidget(right)
        body.setSizes([520, 900])
        self.note_edit = QLineEdit()
        self.note_edit.setPlaceholderText(QCoreApplication.translate("TrainerWindow", "A note for the debrief…"))
        self.note_edit.returnPressed.connect(self._add_note)
        note_button = QPushButton(QCoreApplication.translate("TrainerWindow", "Add note"))
        note_button.clicked.connect(self._add_note)
        notes = QHBoxLayout()
        notes.addWidget(QLabel(QCoreApplication.translate("TrainerWindow", "Trainer's note:")))
        notes.addWidget(self.note_edit, 1)
        notes.addWidget(note_button)
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.band)
        layout.addWidget(body, 1)
        layout.addLayout(notes)
        self.setCentralWidget(central)
        controller.viewReady.connect(self.show_view)

    def _build_toolbar(self) -> None:
        bar = QToolBar(QCoreApplication.translate("TrainerWindow", "Session"))
        bar.setObjectName("trainer-toolbar")
        self.addToolBar(bar)
        self.start_action = bar.addAction(QCoreApplication.translate("TrainerWindow", "Start"), self.controller.play)
        self.pause_action = bar.addAction(QCoreApplication.translate("TrainerWindow", "Pause"), self.controller.pause)
        bar.addSeparator()
        bar.addWidget(QLabel(QCoreApplication.translate("TrainerWindow", "Speed")))
        self.speed = QComboBox()
        for speed in SPEEDS:
            self.speed.addItem(f"×{speed:g}", speed)
        self.speed.setCurrentIndex(max(0, self.speed.findData(self.scenario.speed)))
        self.speed.activated.connect(lambda i: self.controller.set_speed(float(self.speed.itemData(i))))
        bar.addWidget(self.speed)
        bar.addSeparator()
        self.jump_edit = QLineEdit()
        self.jump_edit.setPlaceholderText("+MM:SS")
        self.jump_edit.setMaximumWidth(90)
        self.jump_edit.returnPressed.connect(self._jump)
        bar.addWidget(self.jump_edit)
        bar.addAction(QCoreApplication.translate("TrainerWindow", "Jump"), self._jump)
        bar.addSeparator()
        inject = QToolButton()
        inject.setText(QCoreApplication.translate("TrainerWindow", "Inject now"))
        inject.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(inject)
        for injection in self.scenario.injections:
            menu.addAction(injection.label(self.lang), lambda i=injection: self.controller.inject(i))
        inject.setMenu(menu)
        bar.addWidget(inject)
        bar.addSeparator()
        self.end_action = bar.addAction(QCoreApplication.translate("TrainerWindow", "End"), self.controller.end)
        bar.addAction(QCoreApplication.translate("TrainerWindow", "Debrief PDF…"), self._write_debrief)

    def _jump(self) -> None:
        try:
            offset = parse_offset(self.jump_edit.text())
        except ValueError:
            self.statusBar().showMessage(QCoreApplication.translate(
                "TrainerWindow", "Write the instant to jump to as +MM:SS or +HH:MM:SS after the start."), 8000)
            return
        self.controller.jump(offset)

    def _add_note(self) -> None:
        text = self.note_edit.text().strip()
        if text:
            self.controller.note(text)
            self.note_edit.clear()

    def _write_debrief(self) -> None:
        default = str(Path.home() / f"debrief-{self.controller.session.name}.pdf")
        path, _ = QFileDialog.getSaveFileName(self, QCoreApplication.translate("TrainerWindow", "Debrief PDF"),
                                              default, "PDF (*.pdf)")
        if path:
            write_debrief_pdf(self.controller.debrief(), Path(path), self.lang)
            self.statusBar().showMessage(QCoreApplication.translate("TrainerWindow", "Debrief written to {path}")
                                         .format(path=path), 8000)

    def show_view(self, view: SessionView) -> None:
        """Refresh from a view of the session (called at a bounded rate)."""
        states = {"ready": QCoreApplication.translate("TrainerWindow", "ready"),
                  "running": QCoreApplication.translate("TrainerWindow", "running"),
                  "paused": QCoreApplication.translate("TrainerWindow", "paused"),
                  "ended": QCoreApplication.translate("TrainerWindow", "ended")}
        self.band.set_detail(f"{city_clock_text(view.now_ms)} · {format_offset(view.elapsed_ms)} / "
                             f"{format_offset(self.scenario.duration_ms)} · ×{view.speed:g} · "
                             f"{states.get(view.state, view.state)}")
        speed = self.speed.findData(view.speed)
        if speed < 0:
            self.speed.addItem(f"×{view.speed:g}", view.speed)
            speed = self.speed.count() - 1
        self.speed.setCurrentIndex(speed)
        self.start_action.setEnabled(view.state in ("ready", "paused"))
        self.pause_action.setEnabled(view.state == "running")
        self.end_action.setEnabled(view.state != "ended")
        self._show_timeline(view)
        for action in view.actions[self._shown_actions:]:
            result = "✓" if action.ok else f"✗ {action.reason}"
            QTreeWidgetItem(self.actions, [format_offset(action.ts_ms - self.scenario.start_ms), action.user,
                                           action.verb, action.alarm_id, action.comment, result])
        self._shown_actions = len(view.actions)
        self._show_scores(view)

    def _show_timeline(self, view: SessionView) -> None:
        done = {f.injection.id: f for f in view.fired if not f.by_hand}
        for row, injection in enumerate(self.scenario.injections):
            fired = done.get(injection.id)
            state = (QCoreApplication.translate("TrainerWindow", "done at {at}").format(
                at=format_offset(fired.due_ms - self.scenario.start_ms)) if fired is not None
                else QCoreApplication.translate("TrainerWindow", "to come"))
            self.timeline.topLevelItem(row).setText(2, state)
        by_hand = [f for f in view.fired if f.by_hand]
        while self.timeline.topLevelItemCount() < len(self.scenario.injections) + len(by_hand):
            fired = by_hand[self.timeline.topLevelItemCount() - len(self.scenario.injections)]
            QTreeWidgetItem(self.timeline, [format_offset(fired.due_ms - self.scenario.start_ms),
                                            fired.injection.label(self.lang),
                                            QCoreApplication.translate("TrainerWindow", "by hand")])

    def _show_scores(self, view: SessionView) -> None:
        self.scores.clear()
        for score in view.scores:
            top = QTreeWidgetItem(self.scores, [score.user, f"{score.percent:.0f} %", ""])
            for outcome in score.outcomes:
                seconds = "" if outcome.response_ms is None else f"{outcome.response_ms / 1000:.0f} s"
                QTreeWidgetItem(top, [outcome.expectation.describe(self.lang), status_label(outcome.status), seconds])
            top.setExpanded(True)
