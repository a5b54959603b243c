"""A training session: its own city, engine and historian under ``hv/train/<session>``, run by a trainer."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import orjson

from feeds.inventory import Inventory
from feeds.links import Links
from feeds.model import Message
from feeds.scenario import Injection, Scenario
from feeds.scenario.clock import DrillClock
from feeds.topics import Topics, training_root
from hypervisor.engine.service import Engine
from hypervisor.engine_builder import build_engine
from hypervisor.historian.writer import Historian
from hypervisor.runtime import BackgroundLoop, keep_gil_turns_within
from hypervisor.training.city import DrillCity
from hypervisor.training.debrief import Debrief, FiredLine, TrainerNote
from hypervisor.training.outbox import Outbox
from hypervisor.training.sandbox import sandbox_inventory
from hypervisor.training.scoring import Scorer, score_body
from hypervisor.training.watch import SessionWatch

log = logging.getLogger(__name__)

SWITCH_INTERVAL_S = 0.0005
"""How long the engine's or the outbox's thread may keep the GIL while the drill's clock waits for it: at
Python's default of 5 ms, a step that costs 8 ms alone took 100 ms beside a busy engine."""


@dataclass(frozen=True, slots=True)
class FiredInjection:
    """An injection as it happened: when it was due and how late (in real time) it reached the city."""

    injection: Injection
    due_ms: int
    lateness_ms: float
    by_hand: bool = False
    skipped_to: bool = False
    """Fired by a jump past its time: its lateness says nothing about the scheduler."""


class TrainingSession:
    """Runs until the scenario's end or the trainer's; the controls are called on the session's loop."""

    def __init__(self, scenario: Scenario, inventory: Inventory, rule_paths: Sequence[Path], historian_path: Path,
                 name: str, links: Links, address: str, speed: float | None = None, trainer: str = "") -> None:
        self.scenario = scenario
        self.name = name
        self.topics = Topics(training_root(name))
        self.inventory = sandbox_inventory(inventory, scenario.area)
        self.rule_paths = list(rule_paths)
        self.historian_path = historian_path
        self.links = links
        self.address = address
        self.clock = DrillClock(scenario.start_ms, speed or scenario.speed)
        self.scorer = Scorer(scenario.expectations, trainer=trainer)
        self.pending: list[Injection] = list(scenario.injections)
        self.fired: list[FiredInjection] = []
        self.state = "ready"
        self.listeners: list[Callable[[], None]] = []
        """Called on the session's loop after every change a trainer would want to see."""
        self.notes: list[TrainerNote] = []
        self._jumped_to_ms = scenario.start_ms - 1
        self.city: DrillCity | None = None
        self._historian: Historian | None = None
        self._changed: asyncio.Event | None = None
        self._started: asyncio.Event | None = None

    @property
    def end_ms(self) -> int:
        return self.scenario.start_ms + self.scenario.duration_ms

    async def run(self, autostart: bool = True) -> None:
        """Run the sandbox; returns when the drill ends (its duration elapsed, or ``end()``)."""
        self._changed, self._started = asyncio.Event(), asyncio.Event()
        keep_gil_turns_within(SWITCH_INTERVAL_S)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{self.historian_path}{suffix}").unlink(missing_ok=True)
        self.historian_path.parent.mkdir(parents=True, exist_ok=True)
        historian = Historian(self.historian_path)
        historian.start()
        record = historian.start_session("training", {"session": self.name, "scenario": self.scenario.id,
                                                      "title": self.scenario.title_en})
        self._historian = historian
        try:
            await self._run_sandbox(historian, autostart)
        finally:
            self._historian = None
            historian.end_session(record, self.clock.now_ms())
            historian.close()

    async def _run_sandbox(self, historian: Historian, autostart: bool) -> None:
        prefix = f"hv-train-{self.name}"
        will = Message(self.topics.health, orjson.dumps({"online": False}), True, 1)
        city_link = (self.links.open(self.address, client_id=f"{prefix}-city", persistent=False)
                     if self.address.startswith("bus://") else Outbox(self.links, self.address, f"{prefix}-city"))
        watch_link = self.links.open(self.address, client_id=f"{prefix}-trainer", persistent=False)
        self.city = DrillCity(city_link, self.scenario, self.inventory, self.clock, self.topics)
        watch = SessionWatch(watch_link, self.topics, self.scorer, self.clock, self._notify)
        engine = _SandboxEngine(self, historian, will, prefix)
        async with city_link, watch_link:
            tasks = [asyncio.create_task(watch.run(), name=f"{prefix}-watch")]
            try:
                await engine.start()
                await watch.ready.wait()
                await self._announce(watch_link)
                await self.city.step_now()  # every device reports once, and the engine takes it all in,
                await engine.caught_up(self.city.published)  # before the drill's clock runs
                tasks.append(asyncio.create_task(self.city.run(), name=f"{prefix}-city"))
                if autostart:
                    self.start()
                await self._play()
                self.clock.pause()
                await self.city.step_now()
                await asyncio.sleep(min(1.0, 5.0 / self.clock.speed))
            finally:
                for task in tasks:
                    task.cancel()
                await asyncio.gather(*tasks, return_exceptions=True)
                await engine.stop()
                self.state = "ended"
                with contextlib.suppress(Exception):
                    await asyncio.wait_for(self._announce(watch_link), 2)
                    for score in self.scorer.scores():
                        await asyncio.wait_for(watch_link.publish(self.topics.score(score.user),
                                                                  orjson.dumps(score_body(score)), 1, True), 2)
                    await asyncio.wait_for(watch_link.publish(self.topics.health, will.payload, 1, True), 2)

    async def _announce(self, link: object) -> None:
        """The session's card, retained: every console of the session shows its title in the TRAINING band."""
        body = {"session": self.name, "scenario": self.scenario.id, "title_en": self.scenario.title_en,
                "title_fr": self.scenario.title_fr, "state": self.state, "start_ms": self.scenario.start_ms,
                "duration_ms": self.scenario.duration_ms}
        await link.publish(f"{self.topics.root}/session", orjson.dumps(body), 1, True)

    async def _play(self) -> None:
        """Fire each injection when the drill's clock reaches it; end at the scenario's end."""
        assert self._changed is not None
        while self.state != "ended":
            due = self.scenario.start_ms + self.pending[0].at_ms if self.pending else self.end_ms
            wait = self.clock.seconds_until(min(due, self.end_ms))
            if wait is None or wait > 0:
                self._changed.clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._changed.wait(), wait)
                continue
            if self.pending and due <= self.end_ms:
                await self._fire(self.pending.pop(0), due)
            else:
                self.state = "ended"

    async def _fire(self, injection: Injection, due_ms: int, by_hand: bool = False) -> None:
        assert self.city is not None
        skipped = not by_hand and due_ms <= self._jumped_to_ms
        try:
            self.city.inject(injection, due_ms)
        except ValueError as exc:
            log.error("injection %s refused: %s", injection.id, exc)
            return
        readings = self.city.take_due()
        # Measured when the city has applied it and its readings go to the transport.
        lateness = (self.clock.now_ms() - due_ms) / self.clock.speed
        self.fired.append(FiredInjection(injection, due_ms, lateness, by_hand, skipped))
        await self.city.send(readings)
        log.info("injection %s fired at %+.0f ms", injection.id, lateness)
        self._notify()

    def _notify(self) -> None:
        for listener in list(self.listeners):
            listener()

    def _control(self) -> None:
        if self._changed is not None:
            self._changed.set()
        self._notify()

    # -- the trainer's controls (on the session's loop) ---------------------------------------------------

    def start(self) -> None:
        if self.state in ("ready", "paused"):
            self.state = "running"
            self.clock.resume()
            self._control()

    def pause(self) -> None:
        if self.state == "running":
            self.state = "paused"
            self.clock.pause()
            self._control()

    def set_speed(self, speed: float) -> None:
        self.clock.set_speed(speed)
        self._control()

    def jump(self, offset_ms: int) -> None:
        """Go forward to ``offset_ms`` after the start; injections passed on the way fire at once."""
        self.clock.jump_to(self.scenario.start_ms + min(offset_ms, self.scenario.duration_ms))
        self._jumped_to_ms = max(self._jumped_to_ms, self.clock.now_ms())
        self._control()

    def inject(self, injection: Injection) -> None:
        """An injection by hand, now (its ``at`` is ignored)."""
        now = self.clock.now_ms()
        by_hand = replace(injection, at_ms=now - self.scenario.start_ms)
        asyncio.get_running_loop().create_task(self._fire(by_hand, now, by_hand=True), name="hand-injection")

    def end(self) -> None:
        self.state = "ended"
        self._control()

    def note(self, text: str) -> None:
        """A trainer's note, kept in the session's historian so that it replays with the drill."""
        note = TrainerNote(self.clock.now_ms(), text)
        self.notes.append(note)
        if self._historian is not None:
            self._historian.add_action(note.ts_ms, self.scorer.trainer or "trainer", "trainer", "note", None, text,
                                       None, True, "")
        self._notify()

    def debrief(self) -> Debrief:
        """Everything the debrief says, as of now."""
        start = self.scenario.start_ms
        fired = tuple(FiredLine(f.due_ms - start, f.injection.label("en"), f.injection.label("fr"), f.by_hand)
                      for f in self.fired)
        return Debrief(self.name, self.scenario, self.scorer.trainer, start, self.clock.now_ms(), self.clock.speed,
                       fired, tuple(self.scorer.scores()), tuple(self.scorer.actions), tuple(self.notes),
                       str(self.historian_path))

    def jitter_ms(self) -> list[float]:
        """Real-time lateness of every scheduled injection that the clock reached by itself."""
        return [f.lateness_ms for f in self.fired if not f.by_hand and not f.skipped_to]



class _SandboxEngine:
    """The session's engine: on the session's loop over its own bus, on a loop of its own over a broker.

    Over a broker every part has its own connection, so decoding, rules and historian writes can run
    beside the drill's clock instead of in front of it: an injection is never held behind a batch.
    """

    def __init__(self, session: TrainingSession, historian: Historian, will: Message, prefix: str) -> None:
        self.session, self.historian, self.will, self.prefix = session, historian, will, prefix
        self._ready = threading.Event()
        self._task: asyncio.Task[None] | None = None
        self._thread: BackgroundLoop | None = None
        self.engine: Engine | None = None

    async def _run(self) -> None:
        s = self.session
        link = s.links.open(s.address, client_id=f"{self.prefix}-engine", will=self.will, persistent=False)
        engine = build_engine(link, s.inventory, s.rule_paths, s.clock, self.historian, s.topics,
                              health_period_s=max(0.05, min(1.0, 1.0 / s.clock.speed)))
        self.engine = engine
        async with link:
            running = asyncio.create_task(engine.run(), name=f"{self.prefix}-engine")
            await engine.ready.wait()
            self._ready.set()
            await running

    async def start(self) -> None:
        if self.session.address.startswith("bus://"):
            self._task = asyncio.create_task(self._run(), name=f"{self.prefix}-engine-main")
        else:
            self._thread = BackgroundLoop(f"{self.prefix}-engine")
            self._thread.start(self._run)
        while not self._ready.is_set():
            if self._task is not None and self._task.done():
                self._task.result()
            if self._thread is not None and not self._thread.running:
                raise RuntimeError(f"the session's engine stopped: {self._thread.error}")
            await asyncio.sleep(0.01)

    async def caught_up(self, published: int, timeout_s: float = 60.0) -> None:
        """Wait until the engine has received ``published`` messages of the city (or ``timeout_s``)."""
        deadline = time.monotonic() + timeout_s
        while self.engine is not None and self.engine.health.received < published and time.monotonic() < deadline:
            await asyncio.sleep(0.02)

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
        if self._thread is not None:
            await asyncio.to_thread(self._thread.stop)
