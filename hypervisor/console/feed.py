"""The LIVE feed: subscribes to a deployment's topics, routes them into ``CityState`` and emits
coalesced snapshots; the only console code that knows MQTT topics."""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Callable, Sequence
from typing import Any

import orjson

from alerts.flood import FloodChange
from alerts.records import AlarmRecord
from feeds.clock import Clock
from feeds.decoding import Decoder
from feeds.model import Message, StatusUpdate
from feeds.rejection import Rejected
from feeds.topics import Topics
from hypervisor.console.snapshot import ConsoleSnapshot
from hypervisor.console.state import CityState
from hypervisor.engine.commands import command_payload
from hypervisor.feed.contract import Capability

LIVE_CAPABILITIES = frozenset({Capability.COMMAND, Capability.INJECT})

log = logging.getLogger(__name__)

VALUES_PERIOD_S = 1.0
"""How often new measurements alone, or nothing at all, refresh the GUI: assets report every minute or
more, and a quiet city's console stays nearly free. Staleness and link facts move with time."""


def _json(payload: bytes) -> dict[str, Any] | None:
    try:
        value = orjson.loads(payload)
    except orjson.JSONDecodeError:
        log.warning("unreadable payload ignored: %r", payload[:80])
        return None
    return value if isinstance(value, dict) else None


class TopicRouter:
    """Topic routing of the LIVE feed: each message becomes a typed change of ``CityState``."""

    def __init__(self, state: CityState, decoder: Decoder, topics: Topics) -> None:
        self.state = state
        self.decoder = decoder
        self.topics = topics
        self.on_sim_clock: Callable[[bytes], None] | None = None
        self._alarm_prefix = f"{topics.root}/alarms/"
        self._flood_prefix = f"{topics.root}/flood/"
        self._reply_prefix = f"{topics.root}/cmd-reply/"
        self._score_prefix = f"{topics.root}/score/"

    def route(self, batch: Sequence[Message]) -> None:
        state = self.state
        for message in batch:
            topic = message.topic
            if topic.startswith(self._alarm_prefix):
                self._alarm(topic[len(self._alarm_prefix) :], message.payload)
            elif topic.startswith(self._flood_prefix):
                flood = _json(message.payload)
                if flood and "scope" in flood:
                    state.take_flood(FloodChange(bool(flood.get("active")), str(flood["scope"]),
                                                 int(flood.get("count") or 0), int(flood.get("since_ms") or 0)))
            elif topic == self.topics.health:
                state.engine.take(_json(message.payload))
            elif topic.startswith(self._reply_prefix):
                reply = _json(message.payload)
                if reply:
                    state.replies.append(reply)
            elif topic.startswith(self._score_prefix):
                score = _json(message.payload)
                if score:
                    state.take_score(score)
            elif topic == self.topics.sim_clock:
                if self.on_sim_clock is not None:
                    self.on_sim_clock(message.payload)
            else:
                self._reading(message)

    def _reading(self, message: Message) -> None:
        try:
            readings = self.decoder.decode(message)
        except Rejected:
            self.state.count_message(False)
            return
        self.state.count_message(True)
        for reading in readings:
            if type(reading) is StatusUpdate:
                self.state.take_status(reading.asset_id, reading.online)
            else:
                self.state.take_reading(reading.ts_ms, reading.asset_id, reading.metrics)

    def _alarm(self, alarm_id: str, payload: bytes) -> None:
        if not payload:
            self.state.take_alarm(alarm_id, None)
            return
        body = _json(payload)
        try:
            record = AlarmRecord.from_json(body) if body is not None else None
        except (KeyError, TypeError, ValueError) as exc:
            log.warning("alarm record %s not understood, row left as it was: %s", alarm_id, exc)
            return
        if record is not None:
            self.state.take_alarm(alarm_id, record)


class ConsoleFeed:
    """Everything one console needs from a deployment, at a bounded rate, whatever the message flood."""

    def __init__(
        self,
        state: CityState,
        decoder: Decoder,
        topics: Topics,
        clock: Clock,
        user: str,
        console_id: str,
        emit: Callable[[ConsoleSnapshot], None],
        rate_hz: float = 15.0,
        capabilities: frozenset[Capability] = LIVE_CAPABILITIES,
    ) -> None:
        self.capabilities = capabilities
        self.state = state
        self.router = TopicRouter(state, decoder, topics)
        self.topics = topics
        self.clock = clock
        self.user = user
        self.console_id = console_id
        self.emit = emit
        self.link: object | None = None
        self._period = 1.0 / rate_hz
        self._connected = asyncio.Event()
        self.values_out = asyncio.Event()
        """Set once a snapshot with the city's values has gone to the window."""

    async def run(self, link: object) -> None:
        self.link = link
        filters = [
            *self.router.decoder.subscriptions(),
            self.topics.all_alarms,
            self.topics.all_floods,
            self.topics.health,
            self.topics.command_reply(self.user),
            *([self.topics.score(self.user)] if Capability.SCORE in self.capabilities else []),
        ]
        for filter_ in filters:
            await link.subscribe(filter_, 1)
        self._connected.set()
        flusher = asyncio.create_task(self._flush_forever(), name=f"console-{self.console_id}-flush")
        try:
            async for batch in link.batches():
                self.router.route(batch)
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
                if self.state.values_sent:
                    self.values_out.set()

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
