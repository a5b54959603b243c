"""The in-process bus: MQTT topic semantics (wildcards, retained messages, last will) in one process.

It carries the embedded default (simulator, engine and console in one process) and unit tests,
so every part speaks the same topics whether a real broker is there or not. All clients of a bus
live on one asyncio event loop.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from types import TracebackType

from feeds.inbox import Inbox, Receipt
from feeds.model import Message
from feeds.topics import matches, validate_filter
from feeds.transport import LinkHealth, LinkState


class InProcessBus:
    """A broker in memory; ``client()`` gives a transport attached to it."""

    def __init__(self) -> None:
        self._clients: list[BusClient] = []
        self._retained: dict[str, Message] = {}
        self._routes: dict[str, tuple[BusClient, ...]] = {}
        self.published = 0

    def client(self, client_id: str = "", will: Message | None = None) -> BusClient:
        return BusClient(self, client_id, will)

    @property
    def retained_topics(self) -> list[str]:
        return sorted(self._retained)

    def _attach(self, client: BusClient) -> None:
        self._clients.append(client)
        self._routes.clear()

    def _detach(self, client: BusClient) -> None:
        if client in self._clients:
            self._clients.remove(client)
            self._routes.clear()

    def _subscribed(self, client: BusClient, filter_: str) -> None:
        self._routes.clear()
        for topic, message in self._retained.items():
            if matches(filter_, topic):
                client.inbox.put(message)

    def route(self, message: Message) -> None:
        self.published += 1
        if message.retain:
            if message.payload:
                self._retained[message.topic] = message
            else:
                self._retained.pop(message.topic, None)
        receivers = self._routes.get(message.topic)
        if receivers is None:
            receivers = tuple(c for c in self._clients if c.wants(message.topic))
            if len(self._routes) > 100_000:
                self._routes.clear()
            self._routes[message.topic] = receivers
        if not receivers:
            return
        delivered = Message(message.topic, message.payload, False, message.qos) if message.retain else message
        for client in receivers:
            client.inbox.put(delivered)


class BusClient:
    """One connection to an ``InProcessBus``; implements the ``Transport`` protocol."""

    def __init__(self, bus: InProcessBus, client_id: str, will: Message | None) -> None:
        self.bus = bus
        self.client_id = client_id
        self.health = LinkHealth()
        self.inbox = Inbox()
        self._filters: list[str] = []
        self._will = will

    async def __aenter__(self) -> BusClient:
        self.bus._attach(self)
        self.health.set(LinkState.CONNECTED)
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.bus._detach(self)
        self.inbox.close()
        self.health.set(LinkState.DISCONNECTED)
        if exc_type is not None and self._will is not None:
            self.bus.route(self._will)

    def wants(self, topic: str) -> bool:
        return any(matches(f, topic) for f in self._filters)

    async def subscribe(self, filter_: str, qos: int = 1) -> None:
        validate_filter(filter_)
        if filter_ not in self._filters:
            self._filters.append(filter_)
            self.bus._subscribed(self, filter_)

    async def publish(self, topic: str, payload: bytes, qos: int = 0, retain: bool = False) -> None:
        if any(c in topic for c in "+#"):
            raise ValueError(f"cannot publish to a filter: {topic!r}")
        self.bus.route(Message(topic, payload, retain, qos))

    def publish_nowait(self, topic: str, payload: bytes, qos: int = 0, retain: bool = False) -> None:
        """Publish without awaiting, for producers that emit thousands of messages per step."""
        self.bus.route(Message(topic, payload, retain, qos))

    def batches(self) -> AsyncIterator[list[Message]]:
        return self.inbox.batches()

    def messages(self) -> AsyncIterator[Message]:
        return self.inbox.messages()

    def settle_by_consumer(self) -> None:
        """Nothing to settle: the in-process bus has no acknowledgements (kept for the transport contract)."""
        self.inbox.settle_by_consumer()

    def owed(self) -> list[Receipt]:
        return self.inbox.owed()

    def acknowledge(self, receipts: Sequence[Receipt]) -> None:
        """Nothing to send: a message on the bus is the consumer's once put in its inbox."""

    def stop_receiving(self) -> None:
        """Take no more messages; the consumer's iteration ends once it has taken what is pending."""
        self.inbox.close()
