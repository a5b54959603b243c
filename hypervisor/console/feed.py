"""The console's subscriber: feeds ``CityState`` in batches and emits coalesced snapshots."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable

import orjson

from feeds.clock import Clock
from hypervisor.console.snapshot import ConsoleSnapshot
from hypervisor.console.state import CityState
from hypervisor.engine.commands import command_payload

VALUES_PERIOD_S = 1.0
"""How often new measurements alone, or nothing at all, refresh the GUI: assets report every minute or
more, and a quiet city's console stays nearly free. Staleness and link facts move with time."""


class ConsoleFeed:
    """Everything one console needs from a source, at a bounded rate, whatever the message flood."""

    def __init__(
        self,
        state: CityState,
        clock: Clock,
        user: str,
        console_id: str,
        emit: Callable[[ConsoleSnapshot], None],
        rate_hz: float = 15.0,
    ) -> None:
        self.state = state
        self.topics = state.topics
        self.clock = clock
        self.user = user
        self.console_id = console_id
        self.emit = emit
        self.link: object | None = None
        self._period = 1.0 / rate_hz
        self._connected = asyncio.Event()

    async def run(self, link: object) -> None:
        self.link = link
        filters = [
            *self.state.decoder.subscriptions(),
            self.topics.all_alarms,
            self.topics.all_floods,
            self.topics.health,
            self.topics.command_reply(self.user),
        ]
        for filter_ in filters:
            await link.subscribe(filter_, 1)
        self._connected.set()
        flusher = asyncio.create_task(self._flush_forever(), name=f"console-{self.console_id}-flush")
        try:
            async for batch in link.batches():
                self.state.apply(batch)
        finally:
            flusher.cancel()
            await asyncio.gather(flusher, return_exceptions=True)

    async def _flush_forever(self) -> None:
        since = 0.0
        while True:
            await asyncio.sleep(self._period)
            since += self._period
            if self.state.urgent or since >= VALUES_PERIOD_S:
                since = 0.0
                health = getattr(self.link, "health", None)
                state = str(getattr(health, "state", "connected"))
                error = str(getattr(health, "last_error", "")) if state != "connected" else ""
                self.emit(self.state.snapshot(self.clock.now_ms(), state, error))

    async def command(
        self, verb: str, alarm_ids: list[str], comment: str = "", duration_s: float | None = None
    ) -> list[str]:
        """Publish one command per alarm; replies come back in snapshots, matched by request id."""
        await self._connected.wait()
        request_ids = []
        for alarm_id in alarm_ids:
            request_id = uuid.uuid4().hex[:12]
            payload = command_payload(alarm_id, request_id, self.console_id, comment, duration_s)
            await self.link.publish(self.topics.command(self.user, verb), payload, 1, False)
            request_ids.append(request_id)
        return request_ids

    async def inject_fault(self, kind: str, asset_id: str, duration_s: float | None = None) -> None:
        """Ask the simulator for a fault (demo and training only: live devices ignore this topic)."""
        await self._connected.wait()
        body = {"kind": kind, "asset_id": asset_id, "duration_s": duration_s}
        await self.link.publish(self.topics.sim_faults, orjson.dumps(body), 1, False)
