"""``hypervisor inventory check FILE``: what an inventory file gives, and every problem, before going live.

Counts assets by kind and district and problems by field, then lists each problem with its feature
and field. Exit status: 0 when every feature loads, 1 when some have problems, 2 when the file (or
the field mapping) cannot be read at all. Bad input never ends in a traceback.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path
from typing import TextIO

from feeds.inventory import FieldMapping, InventoryError
from feeds.inventory import read_inventory as read

MAP_HELP = ("field mapping for exports with their own names: id=IDENT,kind=luminaire,district=COMMUNE "
            "(a value naming no column is a constant), or a TOML file with a [map] table")


def mapping_from(text: str | None) -> FieldMapping | None:
    """A mapping given inline or as a TOML file; raises ValueError with what to write instead."""
    if not text:
        return None
    path = Path(text)
    if path.suffix == ".toml":
        try:
            return FieldMapping.load(path)
        except OSError as exc:
            raise ValueError(f"cannot read the mapping file {path}: {exc.strerror}") from None
    return FieldMapping.parse(text)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="hypervisor inventory", description="Check an asset inventory file")
    sub = parser.add_subparsers(dest="action", required=True)
    check = sub.add_parser("check", help="count assets by kind and district, list every problem")
    check.add_argument("file", type=Path, help="GeoJSON, CSV, Shapefile, GeoPackage or KML")
    check.add_argument("--map", dest="mapping", help=MAP_HELP)
    check.add_argument("--limit", type=int, default=200, help="problems listed at most (default 200)")
    return parser


def main(argv: list[str], out: TextIO = sys.stdout, err: TextIO = sys.stderr) -> int:
    args = build_parser().parse_args(argv)
    try:
        reading = read(args.file, mapping_from(args.mapping))
    except (InventoryError, ValueError, OSError) as exc:
        print(f"hypervisor inventory: {_reason(exc)}", file=err)
        return 2
    counts = reading.counts()
    print(f"{args.file}: {reading.features} features, {len(reading.assets)} assets, "
          f"{len(reading.problems)} problems", file=out)
    for title, key in (("by kind", "kind"), ("by district", "district"), ("by problem", "problem")):
        if counts[key]:
            print(f"{title}:", file=out)
            _table(counts[key], out)
    if reading.problems:
        print("problems:", file=out)
        for problem in reading.problems[: args.limit]:
            print(f"  {problem}", file=out)
        if len(reading.problems) > args.limit:
            print(f"  ... and {len(reading.problems) - args.limit} more (--limit)", file=out)
    return 1 if reading.problems else 0


def _table(counter: Counter, out: TextIO) -> None:
    width = max(len(str(k)) for k in counter)
    for key, count in sorted(counter.items(), key=lambda kv: (-kv[1], str(kv[0]))):
        print(f"  {key!s:<{width}}  {count}", file=out)


def _reason(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return str(exc)
