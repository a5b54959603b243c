"""The trainer console on a running session: timeline, controls, trainees' actions, the TRAINING band."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from feeds.inventory import Inventory
from hypervisor.engine.commands import command_payload
from hypervisor.training.controller import TrainerController
from hypervisor.training.trainer_window import TrainerWindow
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
