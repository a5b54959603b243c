"""Trainees as scripts: each answers the drill's expectations after a chosen delay, on the session's bus."""

from __future__ import annotations

import asyncio
import subprocess
from collections.abc import Callable
from pathlib import Path

from feeds.bus import InProcessBus
from feeds.inventory import Inventory
from feeds.links import Links
from feeds.scenario import Expectation
from hypervisor import paths
from hypervisor.engine.commands import command_payload
from hypervisor.training.sandbox import check_scenario
from hypervisor.training.session import TrainingSession

Policy = Callable[[Expectation], int | None]
"""Simulated milliseconds after the alarm (or its clearing) a trainee answers; None: never."""

DEPLOYMENT = Path(__file__).resolve().parent.parent / "docs" / "deployment"
USERS = {"hv-engine": "e", "trainer": "t", "alice": "a", "audit": "s"}


def broker_conf(tmp_path: Path, session: str) -> str:
    """Mosquitto settings with a password per user of ``USERS`` and the shipped live and training ACLs."""
    passwords = tmp_path / "passwd"
    passwords.touch()
    for user, password in USERS.items():
        subprocess.run(["mosquitto_passwd", "-b", str(passwords), user, password], check=True, capture_output=True)
    passwords.chmod(0o600)
    training = (DEPLOYMENT / "training.acl").read_text().replace("SESSION", session).replace("ALICE", "alice")
    acl = tmp_path / "acl"
    acl.write_text((DEPLOYMENT / "hypervisor.acl").read_text() + "\n" + training + "\nuser audit\ntopic read #\n")
    return f"password_file {passwords}\nacl_file {acl}\n"


WORDS = "astreinte appelée, Enedis prévenu, pompiers en route"


class ScriptedTrainee:
    """Sends the expected command on the session's bus once its delay has passed in simulated time."""

    def __init__(self, user: str, session: TrainingSession, bus: InProcessBus, policy: Policy,
                 words: str = WORDS) -> None:
        self.user, self.session, self.bus, self.policy, self.words = user, session, bus, policy, words
        self.sent: dict[str, int] = {}

    async def run(self) -> None:
        async with self.bus.client(f"trainee-{self.user}") as link:
            while True:
                await asyncio.sleep(0.01)
                for expectation in self.session.scenario.expectations:
                    await self._maybe_answer(link, expectation)

    async def _maybe_answer(self, link: object, expectation: Expectation) -> None:
        delay = self.policy(expectation)
        if expectation.id in self.sent or delay is None or expectation.action == "refrain":
            return
        times = self.session.scorer._alarms.get(expectation.alarm_id)
        reference = None if times is None else (times.cleared_ms if expectation.action == "reset" else times.raised_ms)
        now = self.session.clock.now_ms()
        if reference is None or now < reference + delay:
            return
        self.sent[expectation.id] = now
        verb = expectation.action
        payload = command_payload(expectation.alarm_id, f"{self.user}-{expectation.id}", "script", self.words)
        await link.publish(self.session.topics.command(self.user, verb), payload, 1, False)


def drill(name: str, inventory: Inventory, tmp: Path, speed: float, session: str = "drill") -> tuple[
        TrainingSession, InProcessBus]:
    scenario, errors = check_scenario(paths.SCENARIOS / f"{name}.toml", inventory, [paths.DEFAULT_RULES])
    assert not errors, errors
    bus = InProcessBus()
    return TrainingSession(scenario, inventory, [paths.DEFAULT_RULES], tmp / f"{session}.sqlite", session,
                           Links(bus), f"bus://{session}", speed=speed, trainer="trainer"), bus


async def play(session: TrainingSession, trainees: list[ScriptedTrainee]) -> None:
    tasks = [asyncio.create_task(t.run()) for t in trainees]
    try:
        await session.run()
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
