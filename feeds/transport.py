"""One way in for every source: a transport is chosen by the scheme of its address."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Protocol

from feeds.model import Message


class LinkState(StrEnum):
    CONNECTING = "connecting"
    CONNECTED = "connected"
    DISCONNECTED = "disconnected"


@dataclass(slots=True)
class LinkHealth:
    """What the rest of the application shows about the connection."""

    state: LinkState = LinkState.CONNECTING
    reconnects: int = 0
    last_error: str = ""
    listeners: list[Callable[[LinkState], None]] = field(default_factory=list)

    def set(self, state: LinkState, error: str = "") -> None:
        if state == LinkState.CONNECTED and self.state != LinkState.CONNECTED and self.reconnects >= 0:
            self.reconnects += 1
        self.state = state
        if error:
            self.last_error = error
        for listener in list(self.listeners):
            listener(state)


class Transport(Protocol):
    """A publish/subscribe link with MQTT semantics (topics, ``+``/``#`` filters, retained messages)."""

    health: LinkHealth

    async def __aenter__(self) -> Transport: ...

    async def __aexit__(self, *exc: object) -> None: ...

    async def subscribe(self, filter_: str, qos: int = 1) -> None: ...

    async def publish(self, topic: str, payload: bytes, qos: int = 0, retain: bool = False) -> None: ...

    def messages(self) -> AsyncIterator[Message]:
        """Every message matching the subscriptions, in arrival order, across reconnections."""
        ...
