"""A drill on a real mosquitto shared with a LIVE engine: nothing leaks out of hv/train/<session>/."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from feeds.broker import BrokerSettings
from feeds.inventory import Inventory
from feeds.links import Links
from feeds.mosquitto import Mosquitto
from feeds.mqtt import MqttTransport, PublishRefused
from hypervisor import paths
from hypervisor.engine.commands import command_payload
from hypervisor.historian.reader import HistorianReader
from hypervisor.training.sandbox import check_scenario
from hypervisor.training.session import TrainingSession
from tests.engine_harness import running_engine, small_inventory, wait_for
from tests.training_harness import USERS, broker_conf


class Spy:
    """A subscriber on ``#`` that keeps every topic it sees, and the payloads of the session's health."""

    def __init__(self, url: str) -> None:
        settings = BrokerSettings.from_url(url).with_credentials("audit", USERS["audit"])
        self.link = MqttTransport(settings, "audit", persistent=False)
        self.topics: list[str] = []
        self.session_health: list[bytes] = []

    async def run(self) -> None:
        await self.link.subscribe("#", 0)
        async for message in self.link.messages():
            self.topics.append(message.topic)
            if message.topic == "hv/train/iso/engine/health":
                self.session_health.append(message.payload)


def test_a_drill_never_reaches_the_live_city(tmp_path: Path, dijon: Inventory) -> None:
    session_name = "iso"
    scenario, errors = check_scenario(paths.SCENARIOS / "quetigny-quiet-night.toml", dijon, [paths.DEFAULT_RULES])
    assert scenario is not None, errors
    with Mosquitto(extra_conf=broker_conf(tmp_path, session_name), allow_anonymous=False) as broker:
        engine_url = f"mqtt://hv-engine@127.0.0.1:{broker.port}"
        trainer_url = f"mqtt://trainer@127.0.0.1:{broker.port}"
        live_db = tmp_path / "live.sqlite"

        async def scenario_run() -> None:
            spy = Spy(broker.url)
            as_alice = BrokerSettings.from_url(broker.url).with_credentials("alice", USERS["alice"])
            alice = MqttTransport(as_alice, "alice-console", persistent=False)
            # Mosquitto closes the connection of a client that writes outside its ACL, and a QoS 1 message
            # in flight on it then arrives twice: the attempt on live topics goes through a link of its own.
            escape = MqttTransport(as_alice, "alice-escape", persistent=False)
            async with running_engine(engine_url, small_inventory(), live_db, tmp_path,
                                      links=Links(password=USERS["hv-engine"])) as live, spy.link, alice, escape:
                watching = asyncio.create_task(spy.run())
                await wait_for(lambda: "hv/v1/engine/health" in spy.topics)
                before = len(spy.topics)
                session = TrainingSession(scenario, dijon, [paths.DEFAULT_RULES], tmp_path / "drill.sqlite",
                                          session_name, Links(password=USERS["trainer"]), trainer_url, speed=30.0)
                drill = asyncio.create_task(session.run())
                await wait_for(lambda: session.state == "running")
                session.jump(7 * 60_000)
                await wait_for(lambda: session.scorer.raised_ms("pressure_drop:W-P-133") is not None, 60)
                alarm = "pressure_drop:W-P-133"
                await escape.wait_connected(10)
                with pytest.raises(PublishRefused, match="Not authorized"):
                    await escape.publish("hv/v1/cmd/alice/ack", command_payload(alarm, "escape", "c", "live?"), 1)
                await alice.publish(session.topics.command("alice", "ack"), command_payload(alarm, "in", "c", "vu"), 1)
                await wait_for(lambda: any(a.user == "alice" for a in session.scorer.actions))
                session.end()  # at a speed where a busy machine's engine keeps up, so no need to play it all
                await drill
                await wait_for(lambda: b'{"online":false}' in spy.session_health)  # the session's last word
                watching.cancel()
                await asyncio.gather(watching, return_exceptions=True)
                live.historian.flush()
                during = spy.topics[before:]
                assert sum(t.startswith("hv/train/iso/") for t in during) > 100
                outside = {t for t in during if not t.startswith("hv/train/iso/")}
                assert outside <= {"hv/v1/engine/health"}, outside
                assert [a.verb for a in session.scorer.actions if a.user == "alice"] == ["ack"]

        asyncio.run(scenario_run())
        reader = HistorianReader(live_db)
        try:
            assert reader.actions() == []
            assert reader.telemetry_frame(0, 2**62).empty
            assert reader.alarm_events() == []
        finally:
            reader.close()
