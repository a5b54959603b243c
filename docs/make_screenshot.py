"""Render the console on the embedded city to a PNG (offscreen), as shown in the README.

    QT_QPA_PLATFORM=offscreen python docs/make_screenshot.py docs/img/console.png [--lang fr]
    QT_QPA_PLATFORM=offscreen python docs/make_screenshot.py docs/img/console-street.png --street L-L-05000

The city runs fast (x120) for a few seconds with a handful of faults injected, so the picture shows
alarms on the map and in the list, and the asset panel open on the first of them. The picture is taken
once the console shows values and trusts them (no band alert), so a busy machine gives a later picture,
not a picture of a console waiting for data.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QSettings, QTimer

from feeds.inventory import load_inventory
from hypervisor import paths
from hypervisor.app import build_console, make_application
from hypervisor.deployment import EmbeddedCity

FAULTS = [("cabinet_power_loss", "L-C-044"), ("pressure_drop", "W-P-012"), ("container_fire", "D-C-0107"),
          ("boiler_failure", "H-K-003"), ("lamp_fault", "L-L-00420"), ("main_burst", "W-F-005")]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("output", type=Path)
    parser.add_argument("--lang", default="en")
    parser.add_argument("--seconds", type=float, default=12.0, help="run at least this long before capturing")
    parser.add_argument("--timeout", type=float, default=300.0, help="capture anyway after this long")
    parser.add_argument("--size", default="1920x1080")
    parser.add_argument("--street", metavar="ASSET",
                        help="open this asset and show its street (street zoom) instead of the whole city")
    args = parser.parse_args()
    app = make_application(args.lang)
    inventory = load_inventory(paths.DIJON_INVENTORY)
    work = Path(tempfile.mkdtemp(prefix="hv-shot-"))
    evening = int(time.time() // 86400 * 86400 * 1000) + 17 * 3600 * 1000
    deployment = EmbeddedCity(inventory, [paths.DEFAULT_RULES], work / "historian.sqlite", speed=120.0,
                              faults_per_hour=0, start_ms=evening)
    settings = QSettings(str(work / "layout.ini"), QSettings.Format.IniFormat)
    window, source = build_console(deployment, inventory, "operator", settings=settings)
    width, height = (int(v) for v in args.size.split("x"))
    window.resize(width, height)

    def inject() -> None:
        for kind, asset in FAULTS:
            if inventory.get(asset) is not None:
                source.inject_fault(kind, asset)

    def open_first_alarm() -> None:
        if args.street:
            window.open_asset(args.street)
            return
        rows = sorted(window.alarms.model.rows(), key=lambda r: (r.priority != "critical", r.raised_ms))
        if rows:
            window.open_asset(rows[0].asset_id)
        window.map.fit_city()

    def capture() -> None:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        window.grab().save(str(args.output))
        print(f"wrote {args.output} ({len(window.alarms.model.rows())} alarms listed)")
        window.close()

    started = time.monotonic()
    opened = [False]

    def when_ready() -> None:
        """Capture once the city shows values and nothing is wrong, at least ``--seconds`` in; on a machine
        too busy for that, capture what it shows after ``--timeout``."""
        elapsed = time.monotonic() - started
        ready = window.startup.values_shown and window.trust.level == "ok" and elapsed >= args.seconds
        if (ready or elapsed >= args.timeout) and not opened[0]:
            opened[0] = True
            open_first_alarm()
            QTimer.singleShot(1500, capture)
        elif not opened[0]:
            QTimer.singleShot(1000, when_ready)

    window.show()
    source.start()
    QTimer.singleShot(1500, inject)
    QTimer.singleShot(1000, when_ready)
    app.exec()
    source.stop()


if __name__ == "__main__":
    main()
