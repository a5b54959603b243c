"""Where a training console's data comes from: a session on a broker, or the embedded session's bus."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import orjson

from feeds.links import Links
from feeds.topics import Topics, training_root
from hypervisor.console.feed import ConsoleFeed
from hypervisor.deployment import BrokerDeployment
from hypervisor.feed.contract import Capability
from hypervisor.training.session import TrainingSession

log = logging.getLogger(__name__)

TRAINEE_CAPABILITIES = frozenset({Capability.COMMAND, Capability.SCORE})
"""A trainee commands inside the session and is scored; injecting is the trainer's."""


def card_title(card: dict[str, Any], lang: str) -> str:
    """The scenario's title from a session card, in the console's language."""
    return str(card.get("title_fr" if lang == "fr" else "title_en") or card.get("title_en") or card.get("session", ""))


class TrainingDeployment(BrokerDeployment):
    """A trainee's console on ``hv/train/<session>``: the session's topics, its clock, its title."""

    capabilities = TRAINEE_CAPABILITIES

    def __init__(self, links: Links, address: str, session: str, rule_paths: Sequence[Path] = ()) -> None:
        super().__init__(links, address, None, follow_sim_clock=True, rule_paths=rule_paths)
        self.topics = Topics(training_root(session))
        self.session = session
        self.source_label = f"{self.topics.root} on {address}"
        self.card: dict[str, Any] = {"session": session}

    def heading(self, lang: str) -> str:
        return card_title(self.card, lang)

    async def run(self, console: ConsoleFeed) -> None:
        client_id = f"hv-trainee-{console.user}-{uuid.uuid4().hex[:6]}"
        reading = asyncio.create_task(self._read_card(client_id), name=f"{client_id}-card")
        try:
            await super().run(console)
        finally:
            reading.cancel()
            await asyncio.gather(reading, return_exceptions=True)

    async def _read_card(self, client_id: str) -> None:
        """The session's retained card names the scenario for the band."""
        async with self.links.open(self.address, client_id=f"{client_id}-card", persistent=False) as link:
            await link.subscribe(f"{self.topics.root}/session", 1)
            async for message in link.messages():
                with contextlib.suppress(orjson.JSONDecodeError):
                    body = orjson.loads(message.payload)
                    if isinstance(body, dict):
                        self.card = body


class EmbeddedTraining:
    """``hypervisor train SCENARIO``: the session and one trainee's console on the session's own bus."""

    signs_in = False
    capabilities = TRAINEE_CAPABILITIES

    def __init__(self, session: TrainingSession) -> None:
        self.session = session
        self.topics = session.topics
        self.clock = session.clock
        self.historian_path = session.historian_path
        self.rule_paths = session.rule_paths
        self.source_label = f"{session.topics.root} (embedded)"

    def heading(self, lang: str) -> str:
        return self.session.scenario.title(lang)

    async def run(self, console: ConsoleFeed) -> None:
        bus = self.session.links.bus
        assert bus is not None, "an embedded session runs on a bus of its own"
        async with bus.client(f"console-{console.console_id}") as link:
            await asyncio.gather(self.session.run(autostart=False), console.run(link))
