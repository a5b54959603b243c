"""The engine: decode, validate, evaluate alarms, store, and share alarm state with every console."""

from __future__ import annotations

import asyncio
import gc
import logging
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path

import orjson

from alerts import AlarmEngine, AlarmEvent, FloodChange, FloodDetector, load_rules
from feeds.clock import Clock, FollowedClock
from feeds.decoding import Decoder
from feeds.model import Measurement, Message, Reading, StatusUpdate
from feeds.rejection import Rejected, Rejection
from feeds.topics import Topics
from hypervisor.engine.commands import BadCommand, parse_command
from hypervisor.engine.health import EngineHealth
from hypervisor.historian import Historian
from hypervisor.historian.documents import inventory_body

log = logging.getLogger(__name__)

MAX_UNACKED = 2000
"""Alarm messages sent but not yet acknowledged before the engine waits for the broker."""


class Engine:
    """One engine per deployment (or per training sandbox), on any transport."""

    def __init__(
        self,
        link: object,
        decoder: Decoder,
        alarms: AlarmEngine,
        historian: Historian | None,
        clock: Clock,
        topics: Topics = Topics(),
        rule_paths: Sequence[Path] = (),
        health_period_s: float = 1.0,
    ) -> None:
        self.link = link
        self.decoder = decoder
        self.alarms = alarms
        self.historian = historian
        self.clock = clock
        self.topics = topics
        self.rule_paths = list(rule_paths)
        self.health = EngineHealth()
        self.floods = FloodDetector()
        self._health_period_s = health_period_s
        self._logged_rejections: set[tuple[str, str | None]] = set()
        self._rule_mtimes = self._mtimes()
        # Topics the engine listens to for itself rather than decoding: commands and the simulation clock.
        self._own_topics = (f"{topics.root}/cmd/", topics.sim_clock)
        self._follows = clock if isinstance(clock, FollowedClock) else None
        self._unacked: set[asyncio.Future[None]] = set()
        self.ready = asyncio.Event()
        decoder.warm_up()

    def health_will(self) -> Message:
        """The last will: consoles learn the engine is gone even when it dies without a word."""
        return Message(self.topics.health, orjson.dumps({"online": False}), True, 1)

    async def run(self) -> None:
        """Subscribe, then process batches until cancelled.

        Batches are processed from the start: a persistent session's backlog arrives before the broker
        acknowledges our subscriptions, and it is worked through while we wait. What is alive at the
        start (inventory, rule index, restored alarms) lives as long as the engine, so the garbage
        collector is told to stop walking it: a full collection over it held alarms for up to 250 ms.
        """
        gc.freeze()
        consumer = asyncio.create_task(self._consume(), name="engine-batches")
        tasks = [consumer]
        try:
            for filter_ in self.decoder.subscriptions():
                await self.link.subscribe(filter_, 1)
            await self.link.subscribe(self.topics.all_commands, 1)
            if self._follows is not None:
                await self.link.subscribe(self.topics.sim_clock, 0)
            on_connect = getattr(self.link, "on_connect", None)
            if on_connect is not None:
                on_connect.append(self.publish_state)
            await self.publish_state()
            self.ready.set()
            await asyncio.to_thread(self._record_documents, True)
            tasks.append(asyncio.create_task(self._tick_forever(), name="engine-tick"))
            await consumer
        finally:
            for task in [*tasks, *self._unacked]:
                task.cancel()
            await asyncio.gather(*tasks, *self._unacked, return_exceptions=True)
            gc.unfreeze()

    async def _consume(self) -> None:
        async for batch in self.link.batches():
            await self.process(batch)

    async def process(self, batch: Sequence[Message]) -> None:
        own = self._own_topics
        commands = [m for m in batch if m.topic.startswith(own)]
        if commands:
            batch = [m for m in batch if not m.topic.startswith(own)]
            for message in commands:
                if message.topic == self.topics.sim_clock:
                    self._follow_clock(message.payload)
            commands = [m for m in commands if m.topic != self.topics.sim_clock]
        readings, rejected = self.decoder.decode_all(batch)
        for message, exc in rejected:
            self._quarantine(message, exc)
        self.health.received += len(batch)
        if readings:
            self._store(readings)
            self.health.accepted += len(readings)
            # Reported in real milliseconds, also when the clock is a simulator's running faster.
            sim_lag = self.clock.now_ms() - max(r.ts_ms for r in readings)
            self.health.lag_ms = max(0, int(sim_lag / getattr(self.clock, "speed", 1.0)))
            await self._share(self.alarms.on_readings(readings))
        for message in commands:
            await self._command(message)

    def _follow_clock(self, payload: bytes) -> None:
        if self._follows is None:
            return
        try:
            self._follows.follow(payload)
        except ValueError as exc:
            log.warning("%s", exc)

    async def publish_state(self) -> None:
        """Publish every current alarm record retained, and health (after start and each reconnection)."""
        for record in self.alarms.records().values():
            self._send(self.topics.alarm(record.alarm_id), orjson.dumps(record.to_json()), True)
        await self._publish_health()

    def _store(self, readings: list[Reading]) -> None:
        if self.historian is None:
            return
        measurements = [r for r in readings if type(r) is Measurement]
        if len(measurements) != len(readings):
            self.historian.add_status([r for r in readings if type(r) is StatusUpdate])
        self.historian.add_measurements(measurements)

    def _quarantine(self, message: Message, exc: Rejected) -> None:
        self.health.note_rejection(exc.reason.value)
        key = (exc.reason.value, exc.asset_id)
        if key not in self._logged_rejections and len(self._logged_rejections) < 100_000:
            self._logged_rejections.add(key)
            log.warning("rejected %s on %s: %s", exc.reason.value, message.topic, exc.detail)
        if self.historian is not None:
            self.historian.add_rejection(Rejection(self.clock.now_ms(), message.topic, message.payload,
                                                   exc.reason, exc.detail, exc.asset_id))

    async def _share(self, events: list[AlarmEvent]) -> None:
        if not events:
            return
        self.health.alarm_events += len(events)
        changed: dict[str, dict[str, object] | None] = {}
        event_json = []
        for event in events:
            event_json.append(event.to_json())
            record = self.alarms.record(event.alarm_id)
            changed[event.alarm_id] = record.to_json() if record is not None else None
        await self._publish_floods(self.floods.observe(events))
        if self.historian is not None:
            self.historian.add_alarm_events(event_json)
            self.historian.put_alarm_records(
                [r if r is not None else {"alarm_id": a, "state": "normal"} for a, r in changed.items()]
            )
        for body in event_json:
            self._send(self.topics.alarm_events, orjson.dumps({k: v for k, v in body.items() if k != "record"}),
                       False)
        for alarm_id, record in changed.items():
            # An empty retained payload removes the alarm from the retained set: it is back to normal.
            self._send(self.topics.alarm(alarm_id), orjson.dumps(record) if record else b"", True)
        self.health.alarms_active = self.alarms.open_count()
        if len(self._unacked) >= MAX_UNACKED:
            await asyncio.wait(list(self._unacked))

    def _send(self, topic: str, payload: bytes, retain: bool) -> None:
        """Publish without waiting for the acknowledgement (QoS 1).

        Waiting for each one would hold every following batch for a round trip to the broker, and
        behind the whole backlog when the engine comes back to a persistent session. Sends start in call
        order, so each alarm's messages reach the broker in order.
        """
        sent = asyncio.ensure_future(self.link.publish(topic, payload, 1, retain))
        self._unacked.add(sent)
        sent.add_done_callback(self._acknowledged)

    def _acknowledged(self, sent: asyncio.Future[None]) -> None:
        self._unacked.discard(sent)
        if not sent.cancelled() and sent.exception() is not None:
            log.error("alarm message not published: %s", sent.exception())

    async def _publish_floods(self, changes: list[FloodChange]) -> None:
        for change in changes:
            log.warning("alarm flood %s in %s: %d new alarms in 10 min", "started" if change.active else "ended",
                        change.scope, change.count)
            if self.historian is not None:
                self.historian.add_flood_change(self.clock.now_ms(), asdict(change))
            await self.link.publish(self.topics.flood(change.scope), orjson.dumps(asdict(change)), 1, True)

    async def _command(self, message: Message) -> None:
        self.health.commands += 1
        try:
            command = parse_command(self.topics.root, message.topic, message.payload)
        except BadCommand as exc:
            self.health.commands_refused += 1
            if exc.user:
                await self._reply(exc.user, exc.request_id, False, str(exc), "", "", "bad_command")
            return
        result = self.alarms.command(command)
        if not result.ok:
            self.health.commands_refused += 1
        if self.historian is not None:
            self.historian.add_action(self.clock.now_ms(), command.user, command.console, command.verb,
                                      command.alarm_id, command.comment, command.request_id, result.ok, result.reason)
        await self._share(result.events)
        await self._reply(command.user, command.request_id, result.ok, result.reason, command.verb, command.alarm_id,
                          result.code)

    async def _reply(self, user: str, request_id: str, ok: bool, reason: str, verb: str, alarm_id: str,
                     code: str) -> None:
        body = {"request_id": request_id, "ok": ok, "reason": reason, "verb": verb, "alarm_id": alarm_id,
                "code": code}
        await self.link.publish(self.topics.command_reply(user), orjson.dumps(body), 1, False)

    async def _tick_forever(self) -> None:
        while True:
            await asyncio.sleep(self._health_period_s)
            try:
                now = self.clock.now_ms()
                await self._share(self._reload_rules_if_changed() + self.alarms.tick(now))
                await self._publish_floods(self.floods.tick(now))
                await self._publish_health()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("engine tick failed; the engine keeps running")

    async def _publish_health(self) -> None:
        state = getattr(getattr(self.link, "health", None), "state", "connected")
        stats = self.historian.stats if self.historian is not None else None
        body = self.health.payload(True, str(state), stats)
        await self.link.publish(self.topics.health, orjson.dumps(body), 1, True)

    def _record_documents(self, with_inventory: bool = False) -> None:
        """Keep the rule files (and the inventory) in force in the historian, for replay."""
        if self.historian is None:
            return
        now = self.clock.now_ms()
        try:
            if with_inventory:
                self.historian.record_document("inventory", "inventory", inventory_body(self.decoder.inventory), now)
            for path in self.rule_paths:
                if path.exists():
                    self.historian.record_document("rules", path.name, path.read_bytes(), now)
        except (OSError, RuntimeError, TimeoutError) as exc:
            log.error("rules and inventory in force not recorded in the historian: %s", exc)

    def _mtimes(self) -> dict[Path, float]:
        return {p: p.stat().st_mtime for p in self.rule_paths if p.exists()}

    def _reload_rules_if_changed(self) -> list[AlarmEvent]:
        mtimes = self._mtimes()
        if mtimes == self._rule_mtimes:
            return []
        self._rule_mtimes = mtimes
        ruleset, errors = load_rules(self.rule_paths)
        for error in errors:
            log.error("rule file error: %s", error)
        self._record_documents()
        log.info("rules reloaded from %s: %d errors", ", ".join(map(str, self.rule_paths)), len(errors))
        return self.alarms.reload(ruleset)
