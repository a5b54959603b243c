"""Alarm state shared by every console through a real mosquitto: acknowledgements with user and comment,
refusals with a reason, the broker's ACL vouching for the user, and state surviving an engine restart."""

from __future__ import annotations

import asyncio
import subprocess
import time
from pathlib import Path

import orjson
import pytest

from feeds.broker import BrokerSettings
from feeds.links import Links
from feeds.mosquitto import Mosquitto
from feeds.mqtt import MqttTransport, PublishRefused
from hypervisor.engine.commands import command_payload
from hypervisor.historian.reader import HistorianReader
from tests.engine_harness import running_engine, small_inventory, wait_for

pytestmark = pytest.mark.broker
ALARM = "pressure-low:W-P-001"
ACL = Path(__file__).resolve().parent.parent / "docs" / "deployment" / "hypervisor.acl"


class ConsoleStandIn:
    """What a console keeps from the broker: retained alarm records, events and replies to its user."""

    def __init__(self, url: str, user: str, password: str | None = None) -> None:
        settings = BrokerSettings.from_url(url)
        if password is not None:
            settings = settings.with_credentials(user, password)
        self.user = user
        self.link = MqttTransport(settings, persistent=False)
        self.records: dict[str, dict] = {}
        self.events: list[dict] = []
        self.replies: dict[str, dict] = {}

    async def __aenter__(self) -> ConsoleStandIn:
        await self.link.__aenter__()
        for filter_ in ("hv/v1/alarms/+", "hv/v1/alarm-events", f"hv/v1/cmd-reply/{self.user}"):
            await self.link.subscribe(filter_, 1)
        await self.link.wait_connected(10)
        self._task = asyncio.create_task(self._listen())
        return self

    async def __aexit__(self, *exc: object) -> None:
        self._task.cancel()
        await self.link.__aexit__(None, None, None)

    async def _listen(self) -> None:
        async for message in self.link.messages():
            if message.topic.startswith("hv/v1/alarms/"):
                alarm_id = message.topic.rsplit("/", 1)[1]
                if message.payload:
                    self.records[alarm_id] = orjson.loads(message.payload)
                else:
                    self.records.pop(alarm_id, None)
            elif message.topic == "hv/v1/alarm-events":
                self.events.append(orjson.loads(message.payload))
            else:
                reply = orjson.loads(message.payload)
                self.replies[reply["request_id"]] = reply

    async def send(self, verb: str, alarm_id: str, request_id: str, comment: str = "", as_user: str | None = None,
                   duration_s: float | None = None) -> None:
        topic = f"hv/v1/cmd/{as_user or self.user}/{verb}"
        await self.link.publish(topic, command_payload(alarm_id, request_id, f"console-{self.user}", comment,
                                                      duration_s), qos=1)

    def state(self, alarm_id: str) -> str | None:
        record = self.records.get(alarm_id)
        return record["state"] if record else None


async def _low_pressure(url: str, value: float = 1.4, user: str | None = None, password: str | None = None) -> None:
    settings = BrokerSettings.from_url(url)
    if user:
        settings = settings.with_credentials(user, password)
    async with MqttTransport(settings) as field:
        body = orjson.dumps({"ts": time.time_ns() // 1_000_000, "metrics": {"pressure_bar": value}})
        await field.publish("hv/v1/water/W-P-001/telemetry", body, qos=1)


def test_an_ack_on_one_console_reaches_the_other_with_user_and_comment(mosquitto: Mosquitto, tmp_path: Path) -> None:
    async def scenario() -> None:
        async with running_engine(mosquitto.url, small_inventory(), tmp_path / "h.sqlite", tmp_path), \
                ConsoleStandIn(mosquitto.url, "alice") as alice, ConsoleStandIn(mosquitto.url, "bob") as bob:
            await _low_pressure(mosquitto.url)
            await wait_for(lambda: alice.state(ALARM) == "unack" and bob.state(ALARM) == "unack")
            await alice.send("ack", ALARM, "r1", "crew dispatched to Rue de la Liberté")
            await wait_for(lambda: bob.state(ALARM) == "acked")
            record = bob.records[ALARM]
            assert record["acked_by"] == "alice"
            assert record["comments"][-1][1:] == ["alice", "crew dispatched to Rue de la Liberté"]
            await wait_for(lambda: "r1" in alice.replies)
            assert alice.replies["r1"]["ok"] is True
            await bob.send("ack", ALARM, "r2")
            await wait_for(lambda: "r2" in bob.replies)
            assert bob.replies["r2"]["ok"] is True and "alice" in bob.replies["r2"]["reason"]
            acks = [e for e in alice.events if e["alarm_id"] == ALARM and e["to_state"] == "acked"]
            assert len(acks) == 1 and acks[0]["user"] == "alice"

    asyncio.run(scenario())


def test_refused_commands_come_back_with_a_reason(mosquitto: Mosquitto, tmp_path: Path) -> None:
    async def scenario() -> None:
        async with running_engine(mosquitto.url, small_inventory(), tmp_path / "h.sqlite", tmp_path), \
                ConsoleStandIn(mosquitto.url, "alice") as alice:
            await _low_pressure(mosquitto.url)
            await wait_for(lambda: alice.state(ALARM) == "unack")
            await alice.send("ack", "no-such-rule:W-P-001", "unknown")
            await alice.send("shelve", ALARM, "no-reason")
            await alice.send("shelve", ALARM, "ok-shelve", "pump replacement in progress", duration_s=600)
            await wait_for(lambda: {"unknown", "no-reason", "ok-shelve"} <= alice.replies.keys())
            assert alice.replies["unknown"]["ok"] is False and "unknown" in alice.replies["unknown"]["reason"].lower()
            assert alice.replies["no-reason"]["ok"] is False and "reason" in alice.replies["no-reason"]["reason"]
            assert (alice.replies["unknown"]["code"], alice.replies["no-reason"]["code"]) == (
                "unknown_alarm", "reason_needed")
            assert alice.replies["ok-shelve"]["ok"] is True
            await wait_for(lambda: alice.state(ALARM) == "shelved")
            assert alice.records[ALARM]["shelve_reason"] == "pump replacement in progress"

    asyncio.run(scenario())


def _password_file(directory: Path, users: dict[str, str]) -> Path:
    path = directory / "passwd"
    path.touch()
    for user, password in users.items():
        subprocess.run(["mosquitto_passwd", "-b", str(path), user, password], check=True, capture_output=True)
    path.chmod(0o600)
    return path


def test_broker_acl_stops_a_user_from_acknowledging_in_another_name(tmp_path: Path) -> None:
    users = {"hv-engine": "e-secret", "hv-simulator": "s-secret", "alice": "a-secret", "bob": "b-secret"}
    conf = f"password_file {_password_file(tmp_path, users)}\nacl_file {ACL}\n"
    with Mosquitto(extra_conf=conf, allow_anonymous=False) as broker:
        engine_url = f"mqtt://hv-engine@127.0.0.1:{broker.port}"

        async def scenario() -> None:
            async with running_engine(engine_url, small_inventory(), tmp_path / "h.sqlite", tmp_path,
                                      links=Links(password=users["hv-engine"])) as engine, \
                    ConsoleStandIn(broker.url, "alice", users["alice"]) as alice:
                await _low_pressure(broker.url, user="hv-simulator", password=users["hv-simulator"])
                await wait_for(lambda: alice.state(ALARM) == "unack")
                with pytest.raises(PublishRefused, match="Not authorized"):
                    await alice.send("ack", ALARM, "forged", "acknowledged as bob", as_user="bob")
                await alice.send("ack", ALARM, "genuine", "acknowledged as myself")
                await wait_for(lambda: alice.state(ALARM) == "acked")
                assert alice.records[ALARM]["acked_by"] == "alice"
                engine.historian.flush()
                reader = HistorianReader(tmp_path / "h.sqlite")
                try:
                    actors = {(a["user"], a["request_id"]) for a in reader.actions(alarm_id=ALARM)}
                finally:
                    reader.close()
                assert actors == {("alice", "genuine")}, "the broker must have dropped the forged command"

        asyncio.run(scenario())


def test_alarm_state_survives_an_engine_restart_without_duplicates(mosquitto: Mosquitto, tmp_path: Path) -> None:
    db = tmp_path / "h.sqlite"

    async def scenario() -> None:
        async with running_engine(mosquitto.url, small_inventory(), db, tmp_path), \
                ConsoleStandIn(mosquitto.url, "alice") as alice:
            await _low_pressure(mosquitto.url)
            await wait_for(lambda: alice.state(ALARM) == "unack")
            await alice.send("ack", ALARM, "r1", "seen")
            await wait_for(lambda: alice.state(ALARM) == "acked")
        async with running_engine(mosquitto.url, small_inventory(), db, tmp_path) as engine, \
                ConsoleStandIn(mosquitto.url, "bob") as bob:
            await wait_for(lambda: bob.state(ALARM) == "acked")
            assert bob.records[ALARM]["acked_by"] == "alice"
            await _low_pressure(mosquitto.url, 1.3)
            await wait_for(lambda: engine.health.accepted >= 1)
            await _low_pressure(mosquitto.url, 4.5)
            await wait_for(lambda: ALARM not in bob.records)
            raised_again = [e for e in bob.events if e["alarm_id"] == ALARM and e["to_state"] == "unack"]
            assert raised_again == [], "a restored alarm must not be raised a second time"
            assert [e["to_state"] for e in bob.events if e["alarm_id"] == ALARM] == ["normal"]

    asyncio.run(scenario())
