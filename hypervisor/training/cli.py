"""``hypervisor scenario …`` and ``hypervisor train …``: the command lines of training."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from feeds.inventory import Inventory
from hypervisor import paths

BROKER_HELP = "broker URL: mqtt://[user@]host:port or mqtts://... (default: a bus of the session's own)"


def add_parsers(sub: argparse._SubParsersAction, common: object, gui: object, auth: object) -> None:
    """Add ``scenario``, ``train`` and ``train-run`` (spelt ``train run``) to the main parser."""
    scenario = sub.add_parser("scenario", help="check drill files, or make one from an incident file")
    common(scenario)  # type: ignore[operator]
    actions = scenario.add_subparsers(dest="scenario_command", required=True)
    check = actions.add_parser("check", help="validate scenario files; errors name their line")
    check.add_argument("files", nargs="+", type=Path)
    check.add_argument("--rules", type=Path, nargs="+", default=[paths.DEFAULT_RULES])
    incident = actions.add_parser("from-incident", help="turn an incident file into a drill")
    incident.add_argument("incident", type=Path, help="incident file (historian format)")
    incident.add_argument("-o", "--output", type=Path, required=True, help="drill file to write (.toml)")
    incident.add_argument("--deadline-s", type=int, default=120,
                          help="seconds allowed to acknowledge each critical and high alarm (editable in the file)")

    for name, help_text in (("train", "trainer console: play a scenario into a sandbox"),
                            ("train-run", "run a training session without a window (spelt: train run)")):
        train = sub.add_parser(name, help=help_text)
        common(train)  # type: ignore[operator]
        gui(train)  # type: ignore[operator]
        auth(train)  # type: ignore[operator]
        train.add_argument("scenario", help="scenario file, or the name of a shipped drill")
        train.add_argument("--broker", help=BROKER_HELP)
        train.add_argument("--session", default="drill", help="session name: its topics live under hv/train/NAME")
        train.add_argument("--speed", type=float, help="simulated seconds per real second (default: the scenario's)")
        train.add_argument("--historian", type=Path, help="the session's historian file")
        train.add_argument("--rules", type=Path, nargs="+", default=[paths.DEFAULT_RULES])
        train.add_argument("--user", default="trainer", help="the trainer's name (and broker user)")
        train.add_argument("--debrief", type=Path, help="write the debrief PDF here when the session ends")
        if name == "train-run":
            train.add_argument("--headless", action="store_true", help="no window (the only way train run runs)")


def normalise(argv: list[str]) -> list[str]:
    """``train run …`` is the ``train-run`` command."""
    if len(argv) >= 2 and argv[0] == "train" and argv[1] == "run":
        return ["train-run", *argv[2:]]
    return argv


def run(args: argparse.Namespace, inventory: Inventory) -> int:
    if args.command == "scenario":
        return _scenario(args, inventory)
    if args.command == "train-run":
        from hypervisor.training.headless import run_headless

        return run_headless(args, inventory)
    from hypervisor.training.trainer_app import run_trainer

    return run_trainer(args, inventory)


def _scenario(args: argparse.Namespace, inventory: Inventory) -> int:
    if args.scenario_command == "from-incident":
        from hypervisor.training.from_incident import IncidentError, write_drill

        try:
            print(f"drill written: {write_drill(args.incident, args.output, inventory, args.deadline_s)}")
        except (OSError, IncidentError) as exc:
            print(f"hypervisor: {exc}", file=sys.stderr)
            return 2
        return 0
    from hypervisor.training.sandbox import check_scenario

    failed = False
    for path in args.files:
        scenario, errors = check_scenario(path, inventory, args.rules)
        for error in errors:
            print(error)
        if scenario is not None:
            print(f"{path}: ok ({len(scenario.injections)} injections, {len(scenario.expectations)} expected "
                  f"responses, {scenario.duration_ms // 60000} min)")
        failed = failed or scenario is None
    return 1 if failed else 0
