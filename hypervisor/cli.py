"""``hypervisor`` [demo | engine | simulate | console | replay | inventory | historian]: one command, five
ways to run, the inventory check and the historian's administration."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from feeds.clock import CITY_ZONE
from feeds.simulator.random_faults import DEFAULT_PER_HOUR as DEFAULT_FAULTS_PER_HOUR
from hypervisor import paths
from hypervisor.training import cli as training_cli

DEFAULT_BROKER_HELP = "broker URL: mqtt://[user@]host:port or mqtts://... (?ca=, cert=, key=, protocol=3.1.1)"


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--inventory", type=Path, default=paths.DIJON_INVENTORY,
                        help="asset inventory: GeoJSON, CSV, Shapefile, GeoPackage or KML (default: simulated Dijon)")
    parser.add_argument("--inventory-map", help="field mapping of the inventory (see: hypervisor inventory check -h)")
    parser.add_argument("--log-level", default="INFO", choices=["DEBUG", "INFO", "WARNING", "ERROR"])


def _gui(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--lang", choices=["en", "fr"], help="interface language (default: the system's)")
    parser.add_argument("--timezone", default=CITY_ZONE,
                        help="the city's time zone, an IANA name: every time the console shows and takes"
                             " (default: %(default)s)")
    parser.add_argument("--wall", action="store_true", help="start full screen (wall mode)")


def _broker_auth(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--password-file", type=Path,
                        help="file holding the broker password (or set HV_MQTT_PASSWORD, or answer the prompt)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="hypervisor", description="Urban hypervision console")
    sub = parser.add_subparsers(dest="command")

    demo = sub.add_parser("demo", help="console on a simulated Dijon in one process (the default)")
    _common(demo)
    _gui(demo)
    demo.add_argument("--speed", type=float, default=1.0, help="simulated seconds per real second")
    demo.add_argument("--seed", type=int, default=0)
    demo.add_argument("--faults-per-hour", type=float, default=DEFAULT_FAULTS_PER_HOUR,
                      help="random faults injected per simulated hour (0: none)")
    demo.add_argument("--rules", type=Path, nargs="+", default=[paths.DEFAULT_RULES])
    demo.add_argument("--user", default="operator")

    engine = sub.add_parser("engine", help="headless engine: decode, validate, alarms, historian")
    _common(engine)
    _broker_auth(engine)
    engine.add_argument("--broker", required=True, help=DEFAULT_BROKER_HELP)
    engine.add_argument("--historian", type=Path, required=True, help="SQLite historian file")
    engine.add_argument("--client-id", default="hv-engine", help="MQTT client id (persistent session)")
    engine.add_argument("--rules", type=Path, nargs="+", default=[paths.DEFAULT_RULES])
    clock = engine.add_mutually_exclusive_group()
    clock.add_argument("--wall-clock", action="store_true",
                       help="never follow a simulator's clock: for a city whose devices alone publish (by default "
                            "the engine follows hv/v1/sim/clock while a simulator publishes it)")
    clock.add_argument("--sim-clock", action="store_true",
                       help="kept for older scripts: the engine follows a simulator's clock by default")
    engine.add_argument("--quarantine-keys", type=int, default=10_000,
                        help="distinct (reason, asset or topic) kept in the quarantine; more count as 'other'")
    engine.add_argument("--quarantine-sample-bytes", type=int, default=1024,
                        help="bytes of a rejected payload kept as the quarantine's sample")
    engine.add_argument("--key", type=Path, help="Ed25519 key signing the alarm and action chain"
                        " (default: the deployment's, made on first start)")

    simulate = sub.add_parser("simulate", help="publish the simulated city to a broker")
    _common(simulate)
    _broker_auth(simulate)
    simulate.add_argument("--broker", required=True, help=DEFAULT_BROKER_HELP)
    simulate.add_argument("--speed", type=float, default=1.0)
    simulate.add_argument("--seed", type=int, default=0)
    simulate.add_argument("--faults-per-hour", type=float, default=DEFAULT_FAULTS_PER_HOUR,
                          help="random faults injected per simulated hour (0: none)")
    simulate.add_argument("--client-id", default="hv-simulator")

    console = sub.add_parser("console", help="operator console joining a deployment")
    _common(console)
    _gui(console)
    _broker_auth(console)
    console.add_argument("--broker", required=True, help=DEFAULT_BROKER_HELP)
    console.add_argument("--user", help="broker user; commands are sent in this name (default: asked at sign-in)")
    console.add_argument("--role", default="operator", choices=["operator", "director", "trainer", "trainee"],
                         help="what this console may do: a director's console sends no commands")
    console.add_argument("--historian", type=Path, help="the engine's historian file, read for trends and history")
    console.add_argument("--sim-clock", action="store_true",
                         help="kept for older scripts: a console always follows a simulator's clock when one "
                              "publishes hv/v1/sim/clock, and the wall clock otherwise")
    console.add_argument("--training", metavar="SESSION", help="join training session SESSION as a trainee")
    console.add_argument("--rules", type=Path, nargs="+", default=[paths.DEFAULT_RULES],
                         help="the engine's rule files, for the limits the gauges and key figures show")
    _replay_parser(sub)
    sub.add_parser("inventory", help="check an inventory file: hypervisor inventory check FILE [--map ...]")
    from hypervisor.incident import cli as incident_cli

    incident_cli.add_commands(sub)

    from hypervisor.historian.admin_parser import add_parser as add_historian_parser

    add_historian_parser(sub)
    training_cli.add_parsers(sub, _common, _gui, _broker_auth)
    return parser


def _replay_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    replay = sub.add_parser("replay", help="REPLAY: the console as it was, on a timeline (read-only)")
    _common(replay)
    _gui(replay)
    replay.add_argument("file", nargs="?", type=Path,
                        help="historian or incident file (default: the demo's history)")
    replay.add_argument("--from", dest="from_", metavar="ISO", help="start, e.g. 2026-11-27T22:00 (city time)")
    replay.add_argument("--to", metavar="ISO", help="end, e.g. 2026-11-28T02:00 (city time)")
    replay.add_argument("--user", default="director", help="who is replaying (bookmarks and layout are theirs)")


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["inventory"]:
        from hypervisor.inventory_cli import main as inventory_main

        return inventory_main(argv[1:])
    if not argv or (argv[0].startswith("-") and argv[0] not in ("-h", "--help")):
        argv = ["demo", *argv]
    args = build_parser().parse_args(training_cli.normalise(argv))
    if args.command in ("keys", "incident", "report"):
        from hypervisor.incident import cli as incident_cli

        logging.basicConfig(level="WARNING")
        return incident_cli.run(args)
    logging.basicConfig(level=args.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    if args.command == "historian":
        from hypervisor.historian.admin import run as run_historian_admin

        return run_historian_admin(args)
    if getattr(args, "timezone", None) is not None and not _set_city_zone(args.timezone):
        return 2
    from hypervisor.inventory_cache import load_inventory_cached
    from hypervisor.inventory_cli import mapping_from

    try:
        inventory = load_inventory_cached(args.inventory, mapping_from(args.inventory_map))
    except (OSError, ValueError) as exc:  # InventoryError is a ValueError
        print(f"hypervisor: cannot load the inventory: {exc}", file=sys.stderr)
        return 2
    if args.command in ("engine", "simulate", "console"):
        return _networked(args, inventory)
    if args.command in ("scenario", "train", "train-run"):
        return training_cli.run(args, inventory)
    if args.command == "replay":
        from hypervisor.app import run_replay

        return run_replay(args, inventory)
    from hypervisor.app import run_demo

    return run_demo(args, inventory)


def _set_city_zone(zone: str) -> bool:
    """Show and read every time in the city's zone; False (said on stderr) for a zone nobody knows."""
    from widgets.clock import set_display_zone

    try:
        set_display_zone(zone)
    except (ValueError, KeyError) as exc:  # ZoneInfoNotFoundError is a KeyError
        print(f"hypervisor: unknown time zone {zone!r} ({exc.__class__.__name__}); use an IANA name such as"
              " Europe/Paris", file=sys.stderr)
        return False
    return True


def _networked(args: argparse.Namespace, inventory: object) -> int:
    from feeds.broker import BrokerAddressError, BrokerSettings
    from feeds.links import Links
    from hypervisor.credentials import broker_password

    try:
        user = BrokerSettings.from_url(args.broker).username or getattr(args, "user", None)
    except BrokerAddressError as exc:
        print(f"hypervisor: {exc}", file=sys.stderr)
        return 2
    if args.command == "console":
        from hypervisor.app import run_console

        # A console signs in with a dialog, never a terminal prompt.
        return run_console(args, inventory, user, broker_password(args.password_file, user, interactive=False))
    address = args.broker
    links = Links(password=broker_password(args.password_file, user))
    from hypervisor.headless import run_engine, run_simulator, run_until_signalled

    if args.command == "engine":
        from hypervisor.historian.quarantine import QuarantineBudget

        try:
            budget = QuarantineBudget(max_keys=args.quarantine_keys, sample_bytes=args.quarantine_sample_bytes)
        except ValueError as exc:
            print(f"hypervisor: {exc}", file=sys.stderr)
            return 2
        run_until_signalled(run_engine(links, address, inventory, args.historian, args.rules, args.client_id,
                                       not args.wall_clock, quarantine=budget, key_path=args.key))
    else:
        run_until_signalled(run_simulator(links, address, inventory, args.speed, args.seed, args.faults_per_hour,
                                          args.client_id))
    return 0
