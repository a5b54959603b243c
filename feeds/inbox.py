"""A batching inbox: producers append messages, one consumer takes everything pending at once.

Taking batches instead of single messages is what lets the engine keep up with a broker: the
per-message cost of an asyncio wake-up is paid once per batch.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

from feeds.model import Message


class Inbox:
    """Single-consumer queue of messages, used on one event loop."""

    def __init__(self, max_batch: int = 5000) -> None:
        self._pending: list[Message] = []
        self._ready = asyncio.Event()
        self._max_batch = max_batch
        self._closed = False

    def put(self, message: Message) -> None:
        self._pending.append(message)
        if not self._ready.is_set():
            self._ready.set()

    def extend(self, messages: list[Message]) -> None:
        if messages:
            self._pending += messages
            if not self._ready.is_set():
                self._ready.set()

    def close(self) -> None:
        """End the consumer's iteration once what is pending has been taken."""
        self._closed = True
        self._ready.set()

    def __len__(self) -> int:
        return len(self._pending)

    async def batches(self) -> AsyncIterator[list[Message]]:
        while True:
            if not self._pending:
                if self._closed:
                    return
                self._ready.clear()
                await self._ready.wait()
                continue
            if len(self._pending) <= self._max_batch:
                batch, self._pending = self._pending, []
            else:
                batch = self._pending[: self._max_batch]
                del self._pending[: self._max_batch]
            yield batch
            if self._pending:
                # A backlog must not starve the other tasks of the loop (console flushes, health, ticks).
                await asyncio.sleep(0)

    async def messages(self) -> AsyncIterator[Message]:
        async for batch in self.batches():
            for message in batch:
                yield message
