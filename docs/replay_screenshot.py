"""Show the REPLAY window on a historian file at its busiest instant, for screenshots of docs/directors.md.

    xvfb-run -a -s "-screen 0 1920x1080x24" sh -c \
      'openbox & python docs/replay_screenshot.py FILE --ready /tmp/ready & \
       while [ ! -e /tmp/ready ]; do sleep 1; done; import -window root docs/img/replay.png'

The window opens maximised, seeks to the end of the stretch where most alarms were raised (from the
timeline's density), opens the asset panel on the first alarm's asset, and touches the ``--ready`` file once the
frame and the trends are painted; it stays open ``--hold`` seconds for the capture.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
from PySide6.QtCore import QSettings, QTimer

from feeds.inventory import load_inventory
from hypervisor import paths
from hypervisor.app import build_replay, make_application
from hypervisor.feed.address import ReplayAddress


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("file", type=Path)
    parser.add_argument("--ready", type=Path, required=True)
    parser.add_argument("--lang", default="en")
    parser.add_argument("--hold", type=float, default=15.0)
    parser.add_argument("--timeline", type=Path, help="also save the timeline alone to this PNG")
    args = parser.parse_args()
    app = make_application(args.lang)
    settings = QSettings(str(args.ready.with_suffix(".ini")), QSettings.Format.IniFormat)
    window, source = build_replay(ReplayAddress(args.file), load_inventory(paths.DIJON_INVENTORY), "director",
                                  settings)
    window.showMaximized()

    def busiest(marks: object) -> None:
        totals = marks.density.sum(axis=0)
        if totals.any():
            bucket = int(np.argmax(totals)) + 1
            source.seek(marks.start_ms + bucket * (marks.end_ms - marks.start_ms) // totals.size)
        QTimer.singleShot(4000, open_first)

    def open_first() -> None:
        rows = window.alarms.model.rows()
        if rows:
            window.open_asset(rows[0].asset_id)
        window.replay.add_bookmark(source.feed.cursor_ms, "main burst" if args.lang == "en" else "casse")
        QTimer.singleShot(5000, ready)

    def ready() -> None:
        if args.timeline is not None:
            window.replay.timeline.grab().save(str(args.timeline))
        args.ready.touch()
        QTimer.singleShot(int(args.hold * 1000), app.quit)

    source.marksReady.connect(busiest)
    source.start()
    try:
        app.exec()
    finally:
        source.stop()


if __name__ == "__main__":
    main()
