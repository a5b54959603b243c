"""The trainer's view of a session's traffic: trainees' commands, the engine's replies, alarm records."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

import orjson

from feeds.clock import Clock
from feeds.model import Message
from feeds.topics import Topics
from hypervisor.training.scoring import Scorer, TraineeAction

log = logging.getLogger(__name__)


class SessionWatch:
    """Pairs each command with its reply (by user and request id) and hands both to the scorer."""

    def __init__(self, link: object, topics: Topics, scorer: Scorer, clock: Clock,
                 changed: Callable[[], None]) -> None:
        self.link = link
        self.topics = topics
        self.scorer = scorer
        self.clock = clock
        self.changed = changed
        self.ready = asyncio.Event()
        self._sent: dict[tuple[str, str], tuple[str, str, str]] = {}
        self._scored: set[tuple[str, str]] = set()
        """Commands already scored: a QoS 1 command sent again after a dropped link counts once."""
        self._alarm_prefix = f"{topics.root}/alarms/"
        self._reply_prefix = f"{topics.root}/cmd-reply/"
        self._command_prefix = f"{topics.root}/cmd/"

    async def run(self) -> None:
        for filter_ in (self.topics.all_commands, self.topics.all_command_replies, self.topics.all_alarms):
            await self.link.subscribe(filter_, 1)
        self.ready.set()
        async for batch in self.link.batches():
            for message in batch:
                self._take(message)

    def _take(self, message: Message) -> None:
        topic = message.topic
        try:
            if topic.startswith(self._alarm_prefix):
                alarm_id = topic[len(self._alarm_prefix):]
                record = orjson.loads(message.payload) if message.payload else {"alarm_id": alarm_id}
                self.scorer.on_record(record, self.clock.now_ms())
            elif topic.startswith(self._command_prefix):
                user, verb = topic[len(self._command_prefix):].split("/", 1)
                body = orjson.loads(message.payload)
                key = (user, str(body.get("request_id", "")))
                if key not in self._scored:
                    self._sent[key] = (verb, str(body.get("alarm_id", "")), str(body.get("comment") or ""))
            elif topic.startswith(self._reply_prefix):
                self._answered(topic[len(self._reply_prefix):], orjson.loads(message.payload))
        except (orjson.JSONDecodeError, ValueError, AttributeError) as exc:
            log.warning("unreadable session message on %s: %s", topic, exc)

    def _answered(self, user: str, reply: dict[str, object]) -> None:
        key = (user, str(reply.get("request_id", "")))
        sent = self._sent.pop(key, None)
        if sent is None:
            return
        self._scored.add(key)
        verb, alarm_id, comment = sent
        self.scorer.on_action(TraineeAction(self.clock.now_ms(), user, verb, alarm_id, comment, bool(reply.get("ok")),
                                            str(reply.get("reason") or "")))
        self.changed()
