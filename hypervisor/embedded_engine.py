"""The embedded city's engine side: its historian, its incident chain and the engine.

Loaded and built once the console shows the city's first values: the historian (SQLite, pandas), the
signatures and the rule index of a whole city take about two seconds of the program's start, and an
operator's first look at the city needs none of them. What the simulator sends meanwhile waits in the
engine's inbox, subscribed before the first reading.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from feeds.clock import Clock
from feeds.inventory import Inventory
from feeds.topics import Topics
from hypervisor.engine.redelivery import EvaluationMarks
from hypervisor.engine.service import Engine
from hypervisor.engine_builder import build_engine
from hypervisor.historian.settings import HistorySettings
from hypervisor.historian.writer import Historian
from hypervisor.incident.chain import Signer
from hypervisor.incident.keeper import ChainKeeper
from hypervisor.incident.keys import deployment_key

DEMO_HISTORY = HistorySettings(size_cap_bytes=1_000_000_000, disk_budget_bytes=1_000_000_000)
"""The demo keeps its history between runs, so that there is something to replay, within 1 GB: the
oldest days of readings leave first (their rollups stay)."""


class EmbeddedEngine:
    """The engine on the in-process bus, storing into the demo's historian and signing its incident chain."""

    def __init__(self, link: object, inventory: Inventory, rule_paths: Sequence[Path], clock: Clock,
                 historian_path: Path, topics: Topics) -> None:
        historian_path.parent.mkdir(parents=True, exist_ok=True)
        self.historian = Historian(historian_path, history=DEMO_HISTORY)
        self.historian.start()
        self.keeper = ChainKeeper(historian_path, Signer(deployment_key()), clock.now_ms)
        try:
            self.keeper.start()
            # The in-process bus never delivers a message again: no marks from the history, which a demo
            # run faster than real time leaves ahead of the next run's clock.
            self.engine: Engine = build_engine(link, inventory, rule_paths, clock, self.historian, topics,
                                               marks=EvaluationMarks())
        except BaseException:
            self.close()
            raise

    def close(self) -> None:
        """Once the engine has stopped: the historian commits what it holds, the chain its last links."""
        self.historian.close()
        self.keeper.close()
