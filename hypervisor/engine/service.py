"""The engine: decode, validate, evaluate alarms, store, and share alarm state with every console."""

from __future__ import annotations

import asyncio
import gc
import logging
import time
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path

import orjson

from alerts import AlarmEngine, AlarmEvent, FloodChange, FloodDetector
from alerts.rules.library import RuleLibrary
from feeds.broker import DEFAULT_RECEIVE_MAXIMUM
from feeds.clock import Clock, FollowedClock
from feeds.decoding import Decoder
from feeds.devices_watch import ProfileWatch
from feeds.model import Measurement, Message, Reading, StatusUpdate
from feeds.rejection import Rejected, Rejection
from feeds.topics import Topics
from hypervisor.engine.commands import BadCommand, parse_command
from hypervisor.engine.health import EngineHealth
from hypervisor.engine.redelivery import EvaluationMarks
from hypervisor.engine.rejection_log import RejectionLog, advice
from hypervisor.engine.settlement import Settlement
from hypervisor.engine.subscriptions import engine_filters
from hypervisor.historian.documents import inventory_body
from hypervisor.historian.writer import Historian

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
        marks: EvaluationMarks | None = None,
    ) -> None:
        """``marks`` default to those restored from the historian, for the messages a broker delivers again."""
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
        self.rejection_log = RejectionLog(log)
        self.rules = RuleLibrary(self.rule_paths)
        self.profile_watch = ProfileWatch(decoder.profiles)
        self.rules.load()
        # Topics the engine listens to for itself rather than decoding: commands and the simulation clock.
        self._own_topics = (f"{topics.root}/cmd/", topics.sim_clock)
        self._follows = clock if isinstance(clock, FollowedClock) else None
        self._unacked: set[asyncio.Future[None]] = set()
        self.ready = asyncio.Event()
        if marks is None:
            marks = EvaluationMarks.restore(historian.path) if historian is not None else EvaluationMarks()
        self.marks = marks
        self._settlement: Settlement | None = None
        self._stopping = False
        # Messages are acknowledged once stored, by the engine, not by the transport on reading.
        settle = getattr(link, "settle_by_consumer", None)
        if settle is not None:
            settle()
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
        window = getattr(getattr(self.link, "settings", None), "receive_maximum", DEFAULT_RECEIVE_MAXIMUM)
        self._settlement = Settlement(self.link, self.historian, window)  # type: ignore[arg-type]
        consumer = asyncio.create_task(self._consume(), name="engine-batches")
        tasks = [consumer]
        try:
            for filter_ in engine_filters(self.decoder, self.topics, self._follows is not None):
                await self.link.subscribe(filter_, 0 if filter_ == self.topics.sim_clock else 1)
            on_connect = getattr(self.link, "on_connect", None)
            if on_connect is not None:
                on_connect.append(self.publish_state)
            await self.publish_state()
            self.ready.set()
            await asyncio.to_thread(self._record_documents, True)
            tasks.append(asyncio.create_task(self._tick_forever(), name="engine-tick"))
            await consumer
            await self._finish()
        finally:
            for task in [*tasks, *self._unacked]:
                task.cancel()
            await asyncio.gather(*tasks, *self._unacked, return_exceptions=True)
            gc.unfreeze()

    @property
    def stopping(self) -> bool:
        return self._stopping

    def stop(self) -> None:
        """Stop cleanly: read no more, finish what was read, commit it, acknowledge it; ``run`` then returns."""
        if self._stopping:
            return
        self._stopping = True
        log.info("engine stopping: finishing what was read, then committing and acknowledging it")
        stop_receiving = getattr(self.link, "stop_receiving", None)
        if stop_receiving is not None:
            stop_receiving()

    async def _finish(self) -> None:
        """After the last batch: alarm messages sent, everything committed, every PUBACK queued."""
        if self._unacked:
            await asyncio.wait(list(self._unacked), timeout=5)
        if self._settlement is not None:
            await self._settlement.settle_all()

    async def _consume(self) -> None:
        inbox = getattr(self.link, "inbox", ())
        owed = getattr(self.link, "owed", list)
        assert self._settlement is not None
        async for batch in self.link.batches():
            await self.process(batch, getattr(inbox, "batch_received_ns", None))
            self._settlement.hold(owed(), reading_more=len(inbox) > 0)

    async def process(self, batch: Sequence[Message], received_ns: int | None = None) -> None:
        """Decode, quarantine, store and evaluate one batch; ``received_ns`` (monotonic) is when its oldest
        message reached the engine, now when not given."""
        received_ns = time.monotonic_ns() if received_ns is None else received_ns
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
        measurements = 0
        if readings:
            # Alarm events are queued before their readings: a stored reading's events are stored too.
            fresh, heard = self.marks.fresh(readings)
            await self._share(self.alarms.on_readings(fresh))
            if heard:
                await self._share(self.alarms.on_heard(heard))
            measurements = self._store(readings)
        if batch:
            self.health.note_batch(len(batch), len(rejected), measurements, len(readings) - measurements,
                                   received_ns)
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

    def _store(self, readings: list[Reading]) -> int:
        """Queue the readings for the historian; returns how many are measurements (the rest: status)."""
        measurements = [r for r in readings if type(r) is Measurement]
        if self.historian is None:
            return len(measurements)
        if len(measurements) != len(readings):
            self.historian.add_status([r for r in readings if type(r) is StatusUpdate])
        self.historian.add_measurements(measurements)
        return len(measurements)

    def _quarantine(self, message: Message, exc: Rejected) -> None:
        self.health.note_rejection(exc.reason.value)
        self.rejection_log.rejected(exc.reason.value, message.topic, exc.detail + advice(exc.reason, self.clock))
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
                self.profile_watch.poll()
                await self._publish_floods(self.floods.tick(now))
                self.rejection_log.tick()
                await self._publish_health()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("engine tick failed; the engine keeps running")

    async def _publish_health(self) -> None:
        state = getattr(getattr(self.link, "health", None), "state", "connected")
        stats = self.historian.stats if self.historian is not None else None
        quarantine = self.historian.quarantine_stats if self.historian is not None else None
        self.health.alarms_active = self.alarms.open_count()
        body = self.health.payload(True, str(state), stats, self.rules.status().to_json(), quarantine)
        await self.link.publish(self.topics.health, orjson.dumps(body), 1, True)

    def _record_documents(self, with_inventory: bool = False) -> None:
        """Keep the rule files (and the inventory) in force in the historian, for replay: of a file refused
        at reload, the last good version that keeps running, not the refused bytes on disk."""
        if self.historian is None:
            return
        now = self.clock.now_ms()
        try:
            if with_inventory:
                self.historian.record_document("inventory", "inventory", inventory_body(self.decoder.inventory), now)
            for path, body in self.rules.bodies_in_force().items():
                self.historian.record_document("rules", path.name, body, now)
        except (OSError, RuntimeError, TimeoutError) as exc:
            log.error("rules and inventory in force not recorded in the historian: %s", exc)

    def _reload_rules_if_changed(self) -> list[AlarmEvent]:
        """Apply the rule files that changed and settled; a refused version keeps the file's last good one."""
        before = self.rules.errors
        ruleset = self.rules.poll()
        for error in self.rules.errors:
            if error not in before:
                log.error("rule file error: %s", error)
        if ruleset is None:
            return []
        log.info("rules reloaded from %s: %d rules, %d errors", ", ".join(map(str, self.rule_paths)),
                 len(ruleset), len(self.rules.errors))
        self._record_documents()
        return self.alarms.reload(ruleset)
