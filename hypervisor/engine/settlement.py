"""Acknowledged means stored: the broker's receipts wait until the historian commits what they brought.

After each batch the engine hands over the receipts of the messages it took, with the historian's
ticket at that moment: everything the batch produced (readings, rejections, alarm events and records,
operator actions) was queued before it, so once the writer's commit reaches the ticket, the messages
are the historian's and their PUBACKs may leave. Receipts leave in the order they came, as MQTT asks.

A commit is asked for at once when the engine has nothing left to read or when half the in-flight
window waits: the broker sends no more than that window unacknowledged, so waiting for the historian's
flush interval would stall a backlog.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import deque
from collections.abc import Sequence
from typing import Protocol

from feeds.inbox import Receipt
from hypervisor.historian.writer import Historian

log = logging.getLogger(__name__)


class Acknowledging(Protocol):
    def acknowledge(self, receipts: Sequence[Receipt]) -> None: ...


class Settlement:
    """Receipts held per historian ticket, released in order as commits reach them."""

    def __init__(self, link: Acknowledging, historian: Historian | None, window: int) -> None:
        self._link = link
        self._historian = historian
        self._commit_at = max(1, window // 2)
        self._held: deque[tuple[int, list[Receipt]]] = deque()
        self.held_messages = 0
        self._loop = asyncio.get_running_loop()
        if historian is not None:
            historian.on_commit(self._committed_elsewhere)

    def hold(self, receipts: list[Receipt], reading_more: bool) -> None:
        """Hold the receipts of a processed batch until what it queued in the historian is committed."""
        if not receipts:
            return
        if self._historian is None:
            self._link.acknowledge(receipts)
            return
        self._held.append((self._historian.ticket(), receipts))
        self.held_messages += sum(r.count for r in receipts)
        self._release(self._historian.committed_ticket)
        if self._held and (not reading_more or self.held_messages >= self._commit_at):
            self._historian.commit_soon()

    async def settle_all(self, timeout_s: float = 30.0) -> None:
        """Commit everything queued, then send every held receipt (a clean stop)."""
        if self._historian is None or not self._held:
            return
        try:
            await asyncio.to_thread(self._historian.flush, timeout_s)
        except (TimeoutError, RuntimeError) as exc:
            log.error("stopping with %d messages unacknowledged: the historian did not commit them (%s); "
                      "the broker will deliver them again", self.held_messages, exc)
        self._release(self._historian.committed_ticket)

    def _committed_elsewhere(self, ticket: int) -> None:
        """Called on the historian's writer thread."""
        # Once the loop has closed, what is still held is delivered again in the next session.
        with contextlib.suppress(RuntimeError):
            self._loop.call_soon_threadsafe(self._release, ticket)

    def _release(self, committed: int) -> None:
        held = self._held
        if not held or held[0][0] > committed:
            return
        released: list[Receipt] = []
        while held and held[0][0] <= committed:
            released += held.popleft()[1]
        self.held_messages -= sum(r.count for r in released)
        self._link.acknowledge(released)
