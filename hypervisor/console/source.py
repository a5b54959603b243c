"""The GUI's one door to data: a deployment running on a background loop, seen through queued signals."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal

from feeds.decoding import Decoder
from feeds.inventory import Inventory
from feeds.topics import Topics
from hypervisor.console.feed import LIVE_CAPABILITIES, ConsoleFeed
from hypervisor.console.history import asset_history, domain_histories, quarantine
from hypervisor.console.history_reads import HistoryReads
from hypervisor.console.state import CityState
from hypervisor.runtime import BackgroundLoop, return_freed_memory_every, settle_heap

if TYPE_CHECKING:
    from hypervisor.deployment import Deployment
    from hypervisor.historian.reader import HistorianReader

log = logging.getLogger(__name__)

MEMORY_RETURN_PERIOD_S = 60.0
"""How often a console gives back to the system the memory freed since (``runtime.return_freed_memory``)."""


def _open_reader(path: Path) -> HistorianReader:
    """The historian's reader, loaded with the first history read on the history thread: SQLite and pandas
    take half a second to import, and a console shows its first values without them."""
    from hypervisor.historian.reader import HistorianReader

    return HistorianReader(path)


class ConsoleSource(QObject):
    """Emits ``snapshotReady`` at a bounded rate; sends commands; reads history without blocking the GUI."""

    snapshotReady = Signal(object)
    historyReady = Signal(object)
    problem = Signal(str)

    def __init__(
        self,
        deployment: Deployment,
        inventory: Inventory,
        user: str,
        console_id: str,
        topics: Topics = Topics(),
        rate_hz: float = 15.0,
    ) -> None:
        super().__init__()
        self.deployment = deployment
        self.inventory = inventory
        self.user = user
        self.console_id = console_id
        self.state = CityState(inventory)
        self.feed = ConsoleFeed(self.state, Decoder(inventory, topics, deployment.clock), topics, deployment.clock,
                                user, console_id, self.snapshotReady.emit, rate_hz,
                                getattr(deployment, "capabilities", LIVE_CAPABILITIES))
        self.label = deployment.source_label
        self.capabilities = self.feed.capabilities
        self.loop = BackgroundLoop(f"hv-source-{console_id}")
        self._history = HistoryReads(lambda: _open_reader(deployment.historian_path), self.historyReady.emit,
                                     self.problem.emit)

    @property
    def clock(self) -> Any:
        return self.deployment.clock

    def start(self) -> None:
        """Start the deployment on the background loop.

        The inventory, basemap and window are built by now and live as long as the console: set aside
        from the garbage collector (``settle_heap``).
        """
        settle_heap()
        self.loop.start(self._run)

    async def _run(self) -> None:
        memory = asyncio.create_task(return_freed_memory_every(MEMORY_RETURN_PERIOD_S), name="hv-memory-return")
        try:
            await self.deployment.run(self.feed)
        finally:
            memory.cancel()

    def stop(self) -> None:
        self.loop.stop()
        self._history.close()

    def command(self, verb: str, alarm_ids: list[str], comment: str = "", duration_s: float | None = None) -> None:
        future = self.loop.submit(self.feed.command(verb, alarm_ids, comment, duration_s))
        future.add_done_callback(self._history.report)

    def inject_fault(self, kind: str, asset_id: str, duration_s: float | None = None) -> None:
        self.loop.submit(self.feed.inject_fault(kind, asset_id, duration_s)).add_done_callback(self._history.report)

    @property
    def has_history(self) -> bool:
        path = self.deployment.historian_path
        return path is not None and path.exists()

    def request_asset_history(self, asset_id: str) -> None:
        self._read(lambda reader: asset_history(reader, asset_id, self.clock.now_ms()))

    def request_domain_histories(self, domains: Sequence[str]) -> None:
        self._read(lambda reader: domain_histories(reader, self.inventory, domains, self.clock.now_ms()))

    def request_quarantine(self) -> None:
        self._read(quarantine)

    def _read(self, query: Any) -> None:
        if self.has_history:
            self._history.submit(query)
