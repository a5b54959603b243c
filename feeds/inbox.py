"""A batching inbox: producers append messages, one consumer takes everything pending at once.

Taking batches instead of single messages is what lets the engine keep up with a broker: the
per-message cost of an asyncio wake-up is paid once per batch.

Messages may come with a ``Receipt``: the acknowledgements owed to the broker for them. The inbox keeps
receipts in arrival order and hands over those of the messages taken so far, either to its
``acknowledge`` callback as soon as they are taken (consoles, simulators: acknowledged on reading) or,
once the consumer asked to settle them itself, through ``owed()`` (the engine: acknowledged once
stored). A receipt covering messages on both sides of a batch's end waits for the batch that takes its
last message: acknowledging late is safe, early is not.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import AsyncIterator, Callable, Sequence

import msgspec

from feeds.model import Message

ARRIVAL_GRAIN_NS = 1_000_000
"""Arrivals closer than this share one time stamp: receipt times are known to within a millisecond."""


class Receipt(msgspec.Struct, gc=False, frozen=True):
    """The PUBACK packets owed for some QoS 1 messages, and the connection they arrived on.

    A receipt from an earlier connection is never sent: its packet ids may name other messages now.
    """

    connection: int
    pubacks: bytes

    @property
    def count(self) -> int:
        return len(self.pubacks) // 4


Acknowledge = Callable[[Sequence[Receipt]], None]


class Inbox:
    """Single-consumer queue of messages, used on one event loop.

    It notes when messages arrive (monotonic clock), so that the consumer knows how long the oldest
    message of each batch waited: ``batch_received_ns``.
    """

    def __init__(self, max_batch: int = 5000, acknowledge: Acknowledge | None = None) -> None:
        self._pending: list[Message] = []
        self._ready = asyncio.Event()
        self._max_batch = max_batch
        self._closed = False
        self._arrivals: deque[list[int]] = deque()  # [messages put so far, monotonic ns of the first of them]
        self.batch_received_ns = 0
        """When the oldest message of the batch last taken arrived (``time.monotonic_ns``)."""
        self._acknowledge = acknowledge
        self._settled_by_consumer = False
        self._added = 0
        self._taken = 0
        self._receipts: deque[tuple[int, Receipt]] = deque()  # (messages added up to its last one, receipt)
        self._owed: list[Receipt] = []

    def put(self, message: Message, receipt: Receipt | None = None) -> None:
        if self._closed:
            return
        self._pending.append(message)
        self._added += 1
        self._arrived()
        if receipt is not None:
            self._receipts.append((self._added, receipt))
        if not self._ready.is_set():
            self._ready.set()

    def extend(self, messages: list[Message], receipt: Receipt | None = None) -> None:
        """Append messages (and what is owed for them); dropped, unacknowledged, once the inbox is closed."""
        if not messages or self._closed:
            return
        self._pending += messages
        self._added += len(messages)
        self._arrived()
        if receipt is not None:
            self._receipts.append((self._added, receipt))
        if not self._ready.is_set():
            self._ready.set()

    def settle_by_consumer(self) -> None:
        """From now on the consumer takes the receipts of what it took (``owed``) and acknowledges them."""
        self._settled_by_consumer = True

    def owed(self) -> list[Receipt]:
        """The receipts of every message taken so far and not yet handed over, in arrival order."""
        owed, self._owed = self._owed, []
        return owed

    def _arrived(self) -> None:
        """Note when the messages added last arrived; ``_added`` already counts them."""
        now = time.monotonic_ns()
        arrivals = self._arrivals
        if arrivals and now - arrivals[-1][1] < ARRIVAL_GRAIN_NS:
            arrivals[-1][0] = self._added
        else:
            arrivals.append([self._added, now])

    def close(self) -> None:
        """Accept nothing more; end the consumer's iteration once what is pending has been taken."""
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
        receipts = self._receipts
        if not receipts or receipts[0][0] > self._taken:
            return
        owed = []
        while receipts and receipts[0][0] <= self._taken:
            owed.append(receipts.popleft()[1])
        if self._settled_by_consumer:
            self._owed += owed
        elif self._acknowledge is not None:
            self._acknowledge(owed)

    async def messages(self) -> AsyncIterator[Message]:
        async for batch in self.batches():
            for message in batch:
                yield message
