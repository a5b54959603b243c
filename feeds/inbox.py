"""A batching inbox: producers append messages, one consumer takes everything pending at once.

Taking batches instead of single messages is what lets the engine keep up with a broker: the
per-message cost of an asyncio wake-up is paid once per batch.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import AsyncIterator

from feeds.model import Message

ARRIVAL_GRAIN_NS = 1_000_000
"""Arrivals closer than this share one time stamp: receipt times are known to within a millisecond."""


class Inbox:
    """Single-consumer queue of messages, used on one event loop.

    It notes when messages arrive (monotonic clock), so that the consumer knows how long the oldest
    message of each batch waited: ``batch_received_ns``.
    """

    def __init__(self, max_batch: int = 5000) -> None:
        self._pending: list[Message] = []
        self._ready = asyncio.Event()
        self._max_batch = max_batch
        self._closed = False
        self._arrivals: deque[list[int]] = deque()  # [messages put so far, monotonic ns of the first of them]
        self._put = self._taken = 0
        self.batch_received_ns = 0
        """When the oldest message of the batch last taken arrived (``time.monotonic_ns``)."""

    def put(self, message: Message) -> None:
        self._pending.append(message)
        self._arrived(1)
        if not self._ready.is_set():
            self._ready.set()

    def extend(self, messages: list[Message]) -> None:
        if messages:
            self._pending += messages
            self._arrived(len(messages))
            if not self._ready.is_set():
                self._ready.set()

    def _arrived(self, count: int) -> None:
        self._put += count
        now = time.monotonic_ns()
        arrivals = self._arrivals
        if arrivals and now - arrivals[-1][1] < ARRIVAL_GRAIN_NS:
            arrivals[-1][0] = self._put
        else:
            arrivals.append([self._put, now])

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
            self._took(len(batch))
            yield batch
            if self._pending:
                # A backlog must not starve the other tasks of the loop (console flushes, health, ticks).
                await asyncio.sleep(0)

    def _took(self, count: int) -> None:
        arrivals = self._arrivals
        self.batch_received_ns = arrivals[0][1]
        self._taken += count
        while arrivals and arrivals[0][0] <= self._taken:
            arrivals.popleft()

    async def messages(self) -> AsyncIterator[Message]:
        async for batch in self.batches():
            for message in batch:
                yield message
