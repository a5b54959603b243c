"""The historian's upkeep as a process: ``python -m hypervisor.historian.upkeep FILE SETTINGS_JSON``.

Started by :class:`hypervisor.historian.maintenance.Maintenance`; reports its counters as one JSON line
per round on standard output and stops when standard input closes.

It runs at a lower scheduling priority (``UPKEEP_NICENESS``): on a busy machine the processor goes to the
engine's ingest first, and compaction takes what is left (it has hours to catch up; ingest has not).
"""

from __future__ import annotations

import json
import logging
import os
import sys
import threading
from pathlib import Path

from hypervisor.historian.maintenance import UpkeepLoop
from hypervisor.historian.settings import HistorySettings

UPKEEP_NICENESS = 10


def _stop_on_eof(stop: threading.Event) -> None:
    sys.stdin.read()
    stop.set()


def main(argv: list[str]) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    os.nice(UPKEEP_NICENESS)
    path, settings = Path(argv[0]), HistorySettings(**json.loads(argv[1]))
    stop = threading.Event()
    threading.Thread(target=_stop_on_eof, args=(stop,), daemon=True).start()

    def report(stats: dict[str, object]) -> None:
        print(json.dumps(stats), flush=True)

    UpkeepLoop(path, settings, stop, report).run()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
