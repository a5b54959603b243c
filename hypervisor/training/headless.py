"""``hypervisor train run``: a session without a window, for servers and tests; the debrief as a PDF."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import os
import signal
import sys
from pathlib import Path

from feeds.bus import InProcessBus
from feeds.inventory import Inventory
from feeds.links import Links
from feeds.scenario import Scenario
from hypervisor import paths
from hypervisor.training.sandbox import check_scenario
from hypervisor.training.session import TrainingSession

log = logging.getLogger(__name__)


def scenario_path(name: str) -> Path:
    """A scenario file, or the name of a shipped one (``chenove-main-burst``)."""
    path = Path(name)
    if path.exists() or path.suffix == ".toml":
        return path
    return paths.SCENARIOS / f"{name}.toml"


def load_checked(name: str, inventory: Inventory, rule_paths: list[Path]) -> Scenario | None:
    """The scenario, or None after printing every error with its line."""
    scenario, errors = check_scenario(scenario_path(name), inventory, rule_paths)
    for error in errors:
        print(f"hypervisor: {error}", file=sys.stderr)
    return scenario


def session_historian(args: argparse.Namespace) -> Path:
    return args.historian or paths.user_data_dir() / "training" / f"{args.session}.sqlite"


def session_links(args: argparse.Namespace) -> tuple[Links, str]:
    """The session's transport: the given broker, or a bus of its own."""
    if not args.broker:
        return Links(bus=InProcessBus()), f"bus://{args.session}"
    from feeds.broker import BrokerSettings
    from hypervisor.credentials import broker_password

    user = BrokerSettings.from_url(args.broker).username
    return Links(password=broker_password(args.password_file, user)), args.broker


def run_headless(args: argparse.Namespace, inventory: Inventory) -> int:
    scenario = load_checked(args.scenario, inventory, args.rules)
    if scenario is None:
        return 2
    links, address = session_links(args)
    session = TrainingSession(scenario, inventory, args.rules, session_historian(args), args.session, links, address,
                              speed=args.speed, trainer=args.user)

    async def main() -> None:
        task = asyncio.create_task(session.run())
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, session.end)
        with contextlib.suppress(asyncio.CancelledError):
            await task

    log.info("session %s: %s at x%g under %s", args.session, scenario.title_en, session.clock.speed,
             session.topics.root)
    asyncio.run(main())
    for score in session.scorer.scores():
        statuses = ", ".join(f"{o.expectation.id}={o.status}" for o in score.outcomes)
        print(f"{score.user}: {score.percent:.0f} % ({statuses})")
    jitter = session.jitter_ms()
    print(f"injections fired: {len(session.fired)}/{len(scenario.injections)}; "
          f"latest {max(jitter, default=0.0):.0f} ms after its time; historian {session.historian_path}")
    if args.debrief:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        from hypervisor.app import install_translation, make_application
        from hypervisor.training.debrief_pdf import write_debrief_pdf

        lang = install_translation(make_application(args.lang), args.lang)
        print(f"debrief: {write_debrief_pdf(session.debrief(), args.debrief, lang)}")
    return 0
