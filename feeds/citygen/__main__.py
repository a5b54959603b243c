"""``python -m feeds.citygen assets/dijon [--seed N]``: rewrite the inventory and basemap files."""

from __future__ import annotations

import argparse
from pathlib import Path

from feeds.citygen.basemap import write_basemap
from feeds.citygen.inventory import write_inventory


def main(argv: list[str] | None = None) -> None:
    """Generate ``inventory.geojson`` and ``basemap.geojson`` in the given folder."""
    parser = argparse.ArgumentParser(prog="python -m feeds.citygen", description=main.__doc__)
    parser.add_argument("folder", type=Path, help="where to write the files, e.g. assets/dijon")
    parser.add_argument("--seed", type=int, default=2019, help="generator seed (default: %(default)s)")
    args = parser.parse_args(argv)
    args.folder.mkdir(parents=True, exist_ok=True)
    size = write_inventory(args.folder / "inventory.geojson", seed=args.seed)
    print(f"{args.folder / 'inventory.geojson'}: {size / 1e6:.1f} MB")
    size = write_basemap(args.folder / "basemap.geojson", seed=args.seed)
    print(f"{args.folder / 'basemap.geojson'}: {size / 1e3:.0f} kB")


if __name__ == "__main__":
    main()
