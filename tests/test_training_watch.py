"""The trainer's watch on a session: a trainee's command delivered twice (QoS 1 after a dropped link) counts once."""

from __future__ import annotations

import asyncio

import orjson

from feeds.bus import InProcessBus
from feeds.clock import WallClock
from feeds.scenario import Expectation
from feeds.topics import Topics, training_root
from hypervisor.engine.commands import command_payload
from hypervisor.training.scoring import Scorer
from hypervisor.training.watch import SessionWatch
from tests.engine_harness import wait_for

ALARM = "pressure_drop:W-P-133"


def test_a_command_delivered_again_is_scored_once() -> None:
    topics = Topics(training_root("dup"))
    scorer = Scorer((Expectation("ack", "ack", "pressure_drop", "W-P-133", 60_000),))

    async def main() -> None:
        bus = InProcessBus()
        async with bus.client("trainer") as trainer, bus.client("trainee") as trainee:
            watch = SessionWatch(trainer, topics, scorer, WallClock(), lambda: None)
            watching = asyncio.create_task(watch.run())
            await watch.ready.wait()

            async def exchange(request: str, ok: bool, reason: str = "") -> None:
                await trainee.publish(topics.command("alice", "ack"), command_payload(ALARM, request, "c"), 1)
                reply = {"request_id": request, "alarm_id": ALARM, "ok": ok, "reason": reason}
                await trainee.publish(topics.command_reply("alice"), orjson.dumps(reply), 1)

            await exchange("r1", True)
            await exchange("r1", False, "already acknowledged")  # the same command, redelivered
            await exchange("r2", True)
            await wait_for(lambda: len(scorer.actions) >= 2)
            watching.cancel()
            await asyncio.gather(watching, return_exceptions=True)

    asyncio.run(main())
    assert [(a.user, a.verb, a.ok) for a in scorer.actions] == [("alice", "ack", True), ("alice", "ack", True)]
