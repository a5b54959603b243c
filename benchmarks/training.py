"""Training benchmark: a drill at 60x on a real mosquitto, timed injections and isolation from live topics.

The Chenôve main-burst drill is played at 60x through a private mosquitto, with one more injection every
30 simulated seconds (forced metrics and silenced devices across the district) so that the percentile
has samples. ``inject_jitter_ms_p99`` is how late, in wall time, each injection reached the city after the
instant the drill's clock made it due (its readings published). A subscriber on ``#`` counts every
message outside ``hv/train/<session>/`` during the drill: ``live_topic_messages_during_drill``.

    python -m benchmarks.training [--drill chenove-main-burst] [--speed 60] [--every-s 30]

The Longvic power cut (``--drill longvic-power-cut``) is the stress case: a thousand dark luminaires
reporting every simulated minute are about 1,000 messages/s at 60x. The city publishes through an outbox
on a thread of its own, so injections do not wait for that traffic; ``city_outbox_backlog_max`` is the
largest batch the outbox had to send at once (it keeps up while that stays at a step's worth).
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import logging
import tempfile
from pathlib import Path

import numpy as np

from benchmarks.common import DEFAULT_RULES, dijon
from feeds.broker import BrokerSettings
from feeds.links import Links
from feeds.mosquitto import Mosquitto
from feeds.mqtt import MqttTransport
from feeds.scenario import Injection, Scenario
from hypervisor import paths
from hypervisor.training.sandbox import check_scenario
from hypervisor.training.session import TrainingSession

SESSION = "bench"


def busy_drill(scenario: Scenario, every_ms: int, inventory: object) -> Scenario:
    """The drill with an extra injection every ``every_ms``, alternating forced pressure and silenced cabinets."""
    sensors = [a.id for a in inventory.of_kind("pressure_sensor") if a.district in scenario.area]  # type: ignore[attr-defined]
    cabinets = [a.id for a in inventory.of_kind("cabinet") if a.district in scenario.area]  # type: ignore[attr-defined]
    extra = []
    for n, at in enumerate(range(every_ms, scenario.duration_ms - every_ms, every_ms)):
        if n % 2:
            extra.append(Injection(f"silence-{n}", at, "silence", asset=cabinets[n % len(cabinets)],
                                   fault="sensor_silence", duration_ms=120_000))
        else:
            extra.append(Injection(f"force-{n}", at, "force", asset=sensors[n % len(sensors)], metric="pressure_bar",
                                   value=3.1, duration_ms=60_000))
    injections = tuple(sorted((*scenario.injections, *extra), key=lambda i: i.at_ms))
    return dataclasses.replace(scenario, injections=injections)


async def _run(broker: Mosquitto, scenario: Scenario, inventory: object, speed: float, tmp: Path) -> tuple[
        TrainingSession, int, int]:
    spy = MqttTransport(BrokerSettings.from_url(broker.url), "bench-spy", persistent=False)
    outside, inside = 0, 0

    async def count() -> None:
        nonlocal outside, inside
        async for message in spy.messages():
            if message.topic.startswith(f"hv/train/{SESSION}/"):
                inside += 1
            else:
                outside += 1

    async with spy:
        await spy.subscribe("#", 0)
        counting = asyncio.create_task(count())
        session = TrainingSession(scenario, inventory, [DEFAULT_RULES], tmp / "drill.sqlite", SESSION,  # type: ignore[arg-type]
                                  Links(), broker.url, speed=speed)
        await session.run()
        await asyncio.sleep(0.5)
        counting.cancel()
        await asyncio.gather(counting, return_exceptions=True)
    return session, outside, inside


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--drill", default="chenove-main-burst", help="a shipped drill")
    parser.add_argument("--speed", type=float, default=60.0)
    parser.add_argument("--every-s", type=float, default=30.0)
    args = parser.parse_args()
    logging.basicConfig(level=logging.ERROR)
    logging.getLogger("hypervisor.historian.maintenance").setLevel(logging.CRITICAL)
    inventory = dijon()
    scenario, errors = check_scenario(paths.SCENARIOS / f"{args.drill}.toml", inventory, [DEFAULT_RULES])
    if scenario is None:
        raise SystemExit(f"scenario errors: {errors}")
    scenario = busy_drill(scenario, int(args.every_s * 1000), inventory)
    with tempfile.TemporaryDirectory() as tmp, Mosquitto() as broker:
        session, outside, inside = asyncio.run(_run(broker, scenario, inventory, args.speed, Path(tmp)))
    jitter = np.array(session.jitter_ms())
    print(f"drill={scenario.id} speed={args.speed:g} injections={len(jitter)}/{len(scenario.injections)} "
          f"session_messages={inside}")
    print(f"inject_jitter_ms_p50={np.percentile(jitter, 50):.1f}")
    print(f"inject_jitter_ms_p99={np.percentile(jitter, 99):.1f}")
    print(f"inject_jitter_ms_max={jitter.max():.1f}")
    print(f"city_outbox_backlog_max={getattr(session.city.link, 'most_behind', 0) if session.city else 0}")
    print(f"live_topic_messages_during_drill={outside}")


if __name__ == "__main__":
    main()
