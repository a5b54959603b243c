"""The sandbox city's broker connection on a thread of its own, so the drill's clock never waits on publishing.

At 60x a district's devices make hundreds of QoS 1 messages a second; their sending and acknowledgements
cost the MQTT client more than the city costs to simulate. On the session's loop that work delayed the
injections by up to a second. Here the session's loop only appends messages; a loop of the outbox's own
sends them, in order, and the drill's clock wakes on time.
"""

from __future__ import annotations

import asyncio
import collections
import logging
import threading
import time
from types import TracebackType

from feeds.links import Links
from feeds.model import Message
from hypervisor.runtime import BackgroundLoop

log = logging.getLogger(__name__)


class Outbox:
    """A publishing link whose network work runs on its own loop; messages leave in the order given."""

    def __init__(self, links: Links, address: str, client_id: str, window: int = 100,
                 drain_s: float = 10.0) -> None:
        self.links, self.address, self.client_id = links, address, client_id
        self.window = window
        self.drain_s = drain_s
        self.sent = 0
        self.most_behind = 0
        """The largest backlog the outbox has had to send at once: it keeps up if that stays small."""
        self._pending: collections.deque[Message] = collections.deque()
        self._thread = BackgroundLoop(f"{client_id}-outbox")
        self._ready = threading.Event()
        self._wake: asyncio.Event | None = None
        self._woken = False
        self._closing = False

    @property
    def backlog(self) -> int:
        """Messages handed over and not yet sent."""
        return len(self._pending)

    def publish_nowait(self, topic: str, payload: bytes, qos: int = 0, retain: bool = False) -> None:
        self._pending.append(Message(topic, payload, retain, qos))
        if not self._woken and self._thread.loop is not None and self._wake is not None:
            self._woken = True
            self._thread.loop.call_soon_threadsafe(self._wake.set)

    async def publish(self, topic: str, payload: bytes, qos: int = 0, retain: bool = False) -> None:
        """Queued behind what was handed over before; returns at once."""
        self.publish_nowait(topic, payload, qos, retain)

    async def __aenter__(self) -> Outbox:
        self._thread.start(self._run)
        while not self._ready.is_set():
            if not self._thread.running:
                raise RuntimeError(f"{self.client_id}: the outbox stopped: {self._thread.error}")
            await asyncio.sleep(0.01)
        return self

    async def __aexit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                        tb: TracebackType | None) -> None:
        self._closing = True
        loop = self._thread.loop
        if loop is not None and self._wake is not None and self._thread.running:
            loop.call_soon_threadsafe(self._wake.set)
        deadline = time.monotonic() + self.drain_s
        while self._thread.running and time.monotonic() < deadline:
            await asyncio.sleep(0.02)
        if self._pending:
            log.warning("%s: %d messages left unsent at the session's end", self.client_id, len(self._pending))
        await asyncio.to_thread(self._thread.stop)

    async def _run(self) -> None:
        self._wake = asyncio.Event()
        async with self.links.open(self.address, client_id=self.client_id, persistent=False) as link:
            self._ready.set()
            while True:
                await self._wake.wait()
                self._wake.clear()
                self._woken = False
                self.most_behind = max(self.most_behind, len(self._pending))
                while self._pending:
                    batch = [self._pending.popleft() for _ in range(min(self.window, len(self._pending)))]
                    await link.publish_many(batch, self.window)
                    self.sent += len(batch)
                if self._closing:
                    return
