"""``hypervisor keys``, ``hypervisor incident`` and ``hypervisor report``: commands for directors and admins."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from feeds.clock import CITY_ZONE
from hypervisor import paths

COMMANDS = ("keys", "incident", "report")


def add_commands(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    keys = sub.add_parser("keys", help="the deployment's signing key (incident files)")
    keys_sub = keys.add_subparsers(dest="action", required=True)
    for name, text in (("create", "make the deployment's Ed25519 key (0600) if it does not exist"),
                       ("show", "print the public key's fingerprint and where the public key is")):
        action = keys_sub.add_parser(name, help=text)
        action.add_argument("--key", type=Path, help="private key file (default: the deployment's)")

    incident = sub.add_parser("incident", help="export and verify incident files")
    inc_sub = incident.add_subparsers(dest="action", required=True)
    export = inc_sub.add_parser("export", help="write a period of the historian as one self-contained file")
    export.add_argument("historian", type=Path)
    export.add_argument("--from", dest="since", required=True, help="start, ISO 8601 (UTC without a zone)")
    export.add_argument("--to", dest="until", required=True, help="end, ISO 8601 (excluded)")
    export.add_argument("--district", action="append", default=[], help="keep only this district (repeatable)")
    export.add_argument("--domain", action="append", default=[], help="keep only this domain (repeatable)")
    export.add_argument("-o", "--output", type=Path, required=True)
    export.add_argument("--inventory", type=Path, default=paths.DIJON_INVENTORY,
                        help="inventory recorded when the historian holds none")
    export.add_argument("--rules", type=Path, nargs="+", default=[paths.DEFAULT_RULES],
                        help="rule files recorded when the historian holds none")
    export.add_argument("--basemap", type=Path, default=paths.DIJON_BASEMAP,
                        help="basemap recorded when the historian holds none")
    export.add_argument("--deployment", help="name of the deployment (default: this machine's name)")
    verify = inc_sub.add_parser("verify", help="check a historian or incident file against its signed hash chain")
    verify.add_argument("file", type=Path)
    verify.add_argument("--key", type=Path, help="the deployment's public key (PEM) to check the signatures with")
    seal = inc_sub.add_parser("seal", help="chain and sign the alarm events and actions of a history not yet chained")
    seal.add_argument("historian", type=Path)
    seal.add_argument("--key", type=Path, help="private key file (default: the deployment's)")

    report = sub.add_parser("report", help="PDF reports for directors")
    rep_sub = report.add_subparsers(dest="action", required=True)
    inc = rep_sub.add_parser("incident", help="the report of an incident file")
    inc.add_argument("file", type=Path)
    alarms = rep_sub.add_parser("alarms", help="alarm system performance over a period (ISA-18.2, EEMUA 191)")
    alarms.add_argument("historian", type=Path)
    alarms.add_argument("--from", dest="since", required=True)
    alarms.add_argument("--to", dest="until", required=True)
    alarms.add_argument("--positions", type=int, default=1, help="operator positions sharing the alarms")
    for parser in (inc, alarms):
        parser.add_argument("-o", "--output", type=Path, required=True, help="PDF file to write")
        parser.add_argument("--csv", type=Path, help="also write the tables as CSV files into this folder")
        parser.add_argument("--lang", choices=["en", "fr"], default="en")
        parser.add_argument("--tz", default=CITY_ZONE, help="time zone of the times shown (default: %(default)s)")
    inc.add_argument("--key", type=Path, help="the deployment's public key (PEM) for the verification")


def run(args: argparse.Namespace) -> int:
    """Run one of :data:`COMMANDS`; errors are printed with a way forward, never as a traceback."""
    from hypervisor.incident.keys import KeyFileError

    try:
        if args.command == "keys":
            return _keys(args)
        if args.command == "incident":
            return {"export": _export, "verify": _verify, "seal": _seal}[args.action](args)
        from hypervisor.reports.cli import run_report

        return run_report(args)
    except (OSError, ValueError, KeyFileError) as exc:
        print(f"hypervisor {args.command} {args.action}: {exc}", file=sys.stderr)
        return 2


def _keys(args: argparse.Namespace) -> int:
    from hypervisor.incident.keys import (
        create_key,
        default_key_path,
        fingerprint,
        load_private_key,
        public_path,
    )

    path = args.key or default_key_path()
    if args.action == "create":
        if path.exists():
            print(f"{path} exists already (fingerprint {fingerprint(load_private_key(path).public_key())})")
            return 0
        key = create_key(path)
        print(f"created {path} (0600); public key {public_path(path)}")
    else:
        if not path.exists():
            print(f"no key at {path}: run 'hypervisor keys create' (the engine also makes it on first start)",
                  file=sys.stderr)
            return 2
        key = load_private_key(path)
        print(f"public key {public_path(path)}")
    print(f"fingerprint {fingerprint(key.public_key())}")
    return 0


class ProgressBar:
    """A one-line progress bar on standard error."""

    def __init__(self, width: int = 30) -> None:
        self.width = width
        self.shown = -1

    def __call__(self, step: str, done: float) -> None:
        filled = round(done * self.width)
        if filled == self.shown and done < 1:
            return
        self.shown = filled
        end = "\n" if done >= 1 else ""
        print(f"\r[{'#' * filled}{'.' * (self.width - filled)}] {done:4.0%} {step:<20}", end=end, file=sys.stderr,
              flush=True)


def _export(args: argparse.Namespace) -> int:
    from feeds.inventory import InventoryError, load_inventory
    from hypervisor.incident.export import ExportSources, export_incident
    from hypervisor.incident.scope import ExportScope, parse_instant

    scope = ExportScope(parse_instant(args.since), parse_instant(args.until), frozenset(args.district),
                        frozenset(args.domain))
    try:
        inventory = load_inventory(args.inventory)
    except InventoryError as exc:
        raise ValueError(f"cannot load the inventory: {exc}") from exc
    files = ExportSources(args.inventory, tuple(args.rules), args.basemap)
    result = export_incident(args.historian, args.output, scope, inventory, files, args.deployment, ProgressBar())
    print(f"wrote {result.path}: {result.events} alarm events, {result.actions} actions, {result.keyframes}"
          f" keyframes, {result.blocks} telemetry blocks, {result.links} chain links, {result.bytes / 1e6:.1f} MB")
    return 0


def _verify(args: argparse.Namespace) -> int:
    from hypervisor.incident.keys import load_public_key
    from hypervisor.incident.verify import verify_file

    verdict = verify_file(args.file, load_public_key(args.key) if args.key else None)
    print(verdict.summary())
    return verdict.exit_code


def _seal(args: argparse.Namespace) -> int:
    from hypervisor.historian.schema import connect
    from hypervisor.incident.chain import Signer, ensure_tables, seal_history
    from hypervisor.incident.keys import deployment_key

    if not args.historian.is_file():
        raise FileNotFoundError(f"no historian file at {args.historian}")
    signer = Signer(deployment_key(args.key))
    db = connect(args.historian)
    try:
        ensure_tables(db)
        links, signatures = seal_history(db, signer)
    finally:
        db.close()
    print(f"chained {links} records, {signatures} signatures by {signer.fingerprint}")
    return 0
