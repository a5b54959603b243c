"""Show the trainer console on a drill in progress, for the screenshots of docs/trainers.md.

    xvfb-run -a -s "-screen 0 1920x1080x24" sh -c \
      'openbox & python docs/trainer_screenshot.py --ready /tmp/ready --debrief /tmp/debrief.pdf & \
       while [ ! -e /tmp/ready ]; do sleep 1; done; import -window root docs/img/trainer.png'

The Chenôve main burst runs at 20x on the session's own bus. Two scripted trainees answer: alice at once
(with the word the drill expects), bob two minutes late. The window jumps to just before the burst, and
touches ``--ready`` once both trainees have acted; it writes the debrief to ``--debrief`` and stays open
``--hold`` seconds for the capture. ``--trainee`` shows the embedded trainee's console instead.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
from pathlib import Path

from PySide6.QtCore import QTimer

from feeds.bus import InProcessBus
from feeds.inventory import load_inventory
from feeds.links import Links
from hypervisor import paths
from hypervisor.app import build_console, install_translation, make_application
from hypervisor.engine.commands import command_payload
from hypervisor.training.controller import TrainerController
from hypervisor.training.debrief_pdf import write_debrief_pdf
from hypervisor.training.deployment import EmbeddedTraining
from hypervisor.training.sandbox import check_scenario
from hypervisor.training.session import TrainingSession
from hypervisor.training.trainer_window import TrainerWindow

ANSWERS = {"alice": (5_000, "Vanne fermée, astreinte eau appelée"), "bob": (150_000, "vu")}


async def trainees(session: TrainingSession, bus: InProcessBus) -> None:
    """Each trainee acknowledges (and comments) every expected alarm after their own delay."""
    async with bus.client("trainees") as link:
        sent: set[tuple[str, str]] = set()
        while True:
            await asyncio.sleep(0.05)
            for expectation in session.scenario.expectations:
                raised = session.scorer.raised_ms(expectation.alarm_id)
                for user, (delay, words) in ANSWERS.items():
                    if raised is None or (user, expectation.id) in sent or session.clock.now_ms() < raised + delay:
                        continue
                    sent.add((user, expectation.id))
                    await link.publish(session.topics.command(user, expectation.action),
                                       command_payload(expectation.alarm_id, f"{user}-{expectation.id}", "c", words), 1)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--ready", type=Path, required=True)
    parser.add_argument("--debrief", type=Path)
    parser.add_argument("--lang", default="en")
    parser.add_argument("--hold", type=float, default=15.0)
    parser.add_argument("--trainee", action="store_true", help="show the trainee's console instead (embedded)")
    args = parser.parse_args()
    app = make_application(args.lang)
    lang = install_translation(app, args.lang)
    inventory = load_inventory(paths.DIJON_INVENTORY)
    scenario, errors = check_scenario(paths.SCENARIOS / "chenove-main-burst.toml", inventory, [paths.DEFAULT_RULES])
    assert scenario is not None, errors
    bus = InProcessBus()
    session = TrainingSession(scenario, inventory, [paths.DEFAULT_RULES],
                              Path(tempfile.mkdtemp()) / "chenove.sqlite", "chenove", Links(bus), "bus://chenove",
                              speed=20.0, trainer="claire")
    if args.trainee:
        trainee, source = build_console(EmbeddedTraining(session), session.inventory, "trainee", mode="training")
        source.start()
        controller = TrainerController(session, source.loop)
        trainee.showMaximized()
    else:
        controller = TrainerController(session)
        window = TrainerWindow(controller, lang)
        window.showMaximized()
    controller.start()
    controller.loop.submit(trainees(session, bus))
    QTimer.singleShot(3000, controller.play)
    QTimer.singleShot(4000, lambda: controller.jump(150_000))
    QTimer.singleShot(5000, lambda: controller.note("Alice isole le secteur avant d'appeler : bon réflexe"
                                                     if lang == "fr" else "Alice isolates the sector first: good"))

    def check() -> None:
        users = {a.user for a in session.scorer.actions}
        if {"alice", "bob"} <= users and len(session.scorer.actions) >= 6:
            if args.debrief is not None:
                write_debrief_pdf(controller.debrief(), args.debrief, lang)
            args.ready.touch()
            QTimer.singleShot(int(args.hold * 1000), app.quit)
        else:
            QTimer.singleShot(500, check)

    QTimer.singleShot(6000, check)
    try:
        app.exec()
    finally:
        controller.stop()
        if args.trainee:
            source.stop()


if __name__ == "__main__":
    main()
