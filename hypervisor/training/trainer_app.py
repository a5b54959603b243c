"""``hypervisor train SCENARIO``: the trainer console, with one trainee's console beside it when embedded."""

from __future__ import annotations

import argparse

from feeds.inventory import Inventory
from hypervisor.app import build_console, install_translation, make_application
from hypervisor.training.controller import TrainerController
from hypervisor.training.debrief_pdf import write_debrief_pdf
from hypervisor.training.deployment import EmbeddedTraining
from hypervisor.training.headless import load_checked, session_historian, session_links
from hypervisor.training.session import TrainingSession
from hypervisor.training.trainer_window import TrainerWindow

TRAINEE = "trainee"


def run_trainer(args: argparse.Namespace, inventory: Inventory) -> int:
    scenario = load_checked(args.scenario, inventory, args.rules)
    if scenario is None:
        return 2
    app = make_application(args.lang)
    lang = install_translation(app, args.lang)
    links, address = session_links(args)
    session = TrainingSession(scenario, inventory, args.rules, session_historian(args), args.session, links, address,
                              speed=args.speed, trainer=args.user)
    trainee = None
    if args.broker:
        controller = TrainerController(session)
    else:
        trainee, source = build_console(EmbeddedTraining(session), session.inventory, TRAINEE, mode="training")
        source.start()
        controller = TrainerController(session, source.loop)
    controller.start()
    window = TrainerWindow(controller, lang)
    window.resize(1400, 860)
    window.show()
    if trainee is not None:
        trainee.resize(1500, 920)
        trainee.show()
    try:
        return app.exec()
    finally:
        if args.debrief:
            write_debrief_pdf(controller.debrief(), args.debrief, lang)
        controller.stop()
        if trainee is not None:
            trainee.source.stop()
