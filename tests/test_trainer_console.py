"""The trainer console on a running session: timeline, controls, trainees' actions, the TRAINING band."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from feeds.inventory import Inventory
from hypervisor.app import build_console
from hypervisor.engine.commands import command_payload
from hypervisor.training.controller import TrainerController
from hypervisor.training.deployment import EmbeddedTraining
from hypervisor.training.trainer_window import TrainerWindow
from tests.console_harness import row_of
from tests.training_harness import drill


def test_the_trainer_runs_the_drill_and_sees_the_trainee_act(qapp: object, qtbot: QtBot, dijon: Inventory,
                                                             tmp_path: Path) -> None:
    session, bus = drill("quetigny-quiet-night", dijon, tmp_path, 60.0)
    controller = TrainerController(session)
    window = TrainerWindow(controller, "en")
    qtbot.addWidget(window)
    controller.start()
    try:
        assert window.band.title() == "TRAINING · A quiet night with one fleeting alarm, Quetigny"
        assert window.timeline.topLevelItem(0).text(2) == "to come"
        qtbot.waitUntil(window.start_action.isEnabled, timeout=30_000)
        assert session.clock.elapsed_ms == 0, "a trainer's session waits for Start"
        window.start_action.trigger()
        qtbot.waitUntil(window.pause_action.isEnabled, timeout=10_000)
        window.jump_edit.setText("+07:50")
        window.jump_edit.returnPressed.emit()
        qtbot.waitUntil(lambda: window.timeline.topLevelItem(0).text(2) == "done at +08:00", timeout=30_000)
        qtbot.waitUntil(lambda: session.scorer.raised_ms("pressure_drop:W-P-133") is not None, timeout=30_000)

        async def trainee_acks() -> None:
            async with bus.client("trainee-alice") as link:
                await link.publish(session.topics.command("alice", "ack"),
                                   command_payload("pressure_drop:W-P-133", "a1", "c", "vu, surpresseur"), 1)

        controller.loop.submit(trainee_acks()).result(10)
        qtbot.waitUntil(lambda: window.actions.topLevelItemCount() == 1, timeout=10_000)
        row = window.actions.topLevelItem(0)
        assert (row.text(1), row.text(2), row.text(3), row.text(5)) == ("alice", "ack", "pressure_drop:W-P-133", "✓")
        qtbot.waitUntil(lambda: window.scores.topLevelItemCount() == 1, timeout=10_000)
        assert window.scores.topLevelItem(0).text(0) == "alice"
        window.pause_action.trigger()
        qtbot.waitUntil(window.start_action.isEnabled, timeout=10_000)
        window.end_action.trigger()
        qtbot.waitUntil(lambda: session.state == "ended", timeout=10_000)
    finally:
        controller.stop()


def test_embedded_training_gives_the_trainee_a_console_in_the_sandbox(qapp: object, qtbot: QtBot, dijon: Inventory,
                                                                      tmp_path: Path) -> None:
    session, _ = drill("quetigny-quiet-night", dijon, tmp_path, 60.0)
    settings = QSettings(str(tmp_path / "trainee.ini"), QSettings.Format.IniFormat)
    trainee, source = build_console(EmbeddedTraining(session), session.inventory, "trainee", mode="training",
                                    settings=settings)
    qtbot.addWidget(trainee)
    source.start()
    controller = TrainerController(session, source.loop)
    trainer = TrainerWindow(controller, "en")
    qtbot.addWidget(trainer)
    controller.start()
    try:
        qtbot.waitUntil(lambda: trainee.band.title() == "TRAINING · A quiet night with one fleeting alarm, Quetigny",
                        timeout=30_000)
        qtbot.waitUntil(trainer.start_action.isEnabled, timeout=30_000)
        controller.play()
        controller.jump(7 * 60_000 + 50_000)
        qtbot.waitUntil(lambda: row_of(trainee, "W-P-133") is not None, timeout=60_000)
        assert all(r.asset_id in session.inventory for r in trainee.alarms.model.rows())
        source.command("ack", ["pressure_drop:W-P-133"], "vu sur la console")
        qtbot.waitUntil(lambda: trainer.actions.topLevelItemCount() == 1, timeout=20_000)
        assert trainer.actions.topLevelItem(0).text(1) == "trainee"
        controller.end()
        qtbot.waitUntil(lambda: session.state == "ended", timeout=20_000)
    finally:
        source.stop()
