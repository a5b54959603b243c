"""The shipped broker configuration (docs/deployment/mosquitto.conf), run as it is on a real mosquitto.

Only the listener and the file paths are substituted. Run as root, mosquitto drops to its own user
before reading the password and ACL files, so the permissions README.md prescribes are tested too.
"""

from __future__ import annotations

import asyncio
import inspect
import os
import pwd
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import orjson
import pytest

from feeds.broker import BrokerSettings
from feeds.decoding import Decoder
from feeds.links import Links
from feeds.model import Message
from feeds.mosquitto import free_port
from feeds.mqtt import MqttTransport
from tests.engine_harness import running_engine, small_inventory, wait_for
from tests.fault_harness import stored_keys

DEPLOYMENT = Path(__file__).resolve().parent.parent / "docs" / "deployment"
PASSWORDS = {"hv-engine": "engine-secret", "hv-simulator": "field-secret"}
ENGINE_ID = "hv-engine-broker-crash"


class ShippedBroker:
    """mosquitto running docs/deployment/mosquitto.conf with its own port and directory."""

    def __init__(self) -> None:
        if shutil.which("mosquitto") is None and not Path("/usr/sbin/mosquitto").exists():
            pytest.skip("mosquitto is not installed")
        self.port = free_port()
        # mosquitto's own user must reach these files once it has dropped root: not under pytest's 0700 dir.
        self.dir = Path(tempfile.mkdtemp(prefix="hv-shipped-broker-"))
        self.dir.chmod(0o755)
        self.data = self.dir / "data"
        self.data.mkdir()
        conf = (DEPLOYMENT / "mosquitto.conf").read_text()
        conf = conf.replace("listener 1883 0.0.0.0", f"listener {self.port} 127.0.0.1")
        conf = conf.replace("/etc/mosquitto/", f"{self.dir}/").replace("/var/lib/mosquitto/", f"{self.data}/")
        self.conf = self.dir / "mosquitto.conf"
        self.conf.write_text(conf)
        shutil.copy(DEPLOYMENT / "hypervisor.acl", self.dir / "hypervisor.acl")
        passwd = self.dir / "hypervisor.passwd"
        for user, password in PASSWORDS.items():
            create = [] if passwd.exists() else ["-c"]
            subprocess.run(["mosquitto_passwd", *create, "-b", str(passwd), user, password], check=True,
                           capture_output=True)
        if os.geteuid() == 0:  # the permissions of README.md: root:mosquitto 0640, data owned by mosquitto
            broker_user = pwd.getpwnam("mosquitto")
            for path in (passwd, self.dir / "hypervisor.acl"):
                os.chown(path, 0, broker_user.pw_gid)
                path.chmod(0o640)
            os.chown(self.data, broker_user.pw_uid, broker_user.pw_gid)
        self.process: subprocess.Popen[bytes] | None = None
        self.started = 0.0

    def url(self, user: str) -> str:
        return f"mqtt://{user}@127.0.0.1:{self.port}"

    def start(self) -> None:
        self.started = time.monotonic()
        self.log = (self.dir / "mosquitto.log").open("ab")
        self.process = subprocess.Popen(["mosquitto", "-c", str(self.conf)], stdout=self.log, stderr=self.log)
        deadline = time.monotonic() + 10
        while True:
            assert self.process.poll() is None, f"mosquitto exited: {self.log_text()}"
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return
            except OSError:
                assert time.monotonic() < deadline, f"mosquitto did not listen: {self.log_text()}"
                time.sleep(0.02)

    def log_text(self) -> str:
        return (self.dir / "mosquitto.log").read_text(errors="replace")

    def stop(self, sig: int = signal.SIGTERM) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(sig)
            self.process.wait(10)
            self.log.close()
        self.process = None


@pytest.fixture
def shipped() -> Iterator[ShippedBroker]:
    broker = ShippedBroker()
    broker.start()
    try:
        yield broker
    finally:
        broker.stop()
        shutil.rmtree(broker.dir, ignore_errors=True)


def transport(broker: ShippedBroker, user: str, client_id: str, query: str = "") -> MqttTransport:
    settings = BrokerSettings.from_url(broker.url(user) + query).with_credentials(None, PASSWORDS[user])
    return MqttTransport(settings, client_id)


def test_the_size_limit_is_the_engines() -> None:
    limit = re.search(r"^message_size_limit (\d+)$", (DEPLOYMENT / "mosquitto.conf").read_text(), re.M)
    assert limit is not None
    assert int(limit.group(1)) == inspect.signature(Decoder).parameters["max_payload_bytes"].default


def test_the_shipped_config_runs_and_relays_no_payload_over_the_engines_limit(shipped: ShippedBroker) -> None:
    async def scenario() -> list[Message]:
        async with transport(shipped, "hv-engine", "hv-engine-size") as engine, \
                transport(shipped, "hv-simulator", "hv-sim-size", "?protocol=3.1.1") as field:
            await engine.subscribe("hv/v1/+/+/telemetry", 1)
            await engine.wait_connected(10)
            await field.wait_connected(10)
            # A field device on MQTT 3.1.1: the broker acknowledges the oversize message and drops it.
            for payload in (b'{"n": 1}', b"x" * 65_537, b'{"n": 3}'):
                await field.publish("hv/v1/water/W-P-001/telemetry", payload, qos=1)
            received: list[Message] = []
            async for message in engine.messages():
                received.append(message)
                if message.payload == b'{"n": 3}':
                    return received
            return received

    received = asyncio.run(asyncio.wait_for(scenario(), 30))
    assert [m.payload for m in received] == [b'{"n": 1}', b'{"n": 3}']


def test_a_broker_killed_five_seconds_after_start_loses_nothing_it_acknowledged(
        shipped: ShippedBroker, tmp_path: Path) -> None:
    inventory = small_inventory()
    historian = tmp_path / "historian.sqlite"
    links = Links(password=PASSWORDS["hv-engine"])
    now = time.time_ns() // 1_000_000 - 60_000
    sensors = [a.id for a in inventory if a.kind == "pressure_sensor"]
    readings = {(asset, now - k * 1000) for asset in sensors for k in range(250)}

    async def session_then_backlog() -> float:
        async with running_engine(shipped.url("hv-engine"), inventory, historian, tmp_path, ENGINE_ID, links):
            pass  # the engine's persistent session and its subscriptions now exist
        messages = [Message(f"hv/v1/water/{asset}/telemetry",
                            orjson.dumps({"ts": ts, "metrics": {"pressure_bar": 4.5}}), False, 1)
                    for asset, ts in sorted(readings)]
        async with transport(shipped, "hv-simulator", "hv-sim-crash") as field:
            await field.wait_connected(10)
            await field.publish_many(messages)
        return time.time()

    acknowledged_at = asyncio.run(session_then_backlog())
    database = shipped.data / "mosquitto.db"
    deadline = time.monotonic() + 10
    while not (database.exists() and database.stat().st_mtime > acknowledged_at
               and time.monotonic() >= shipped.started + 5):
        assert time.monotonic() < deadline, "the broker did not save its state within a second or two"
        time.sleep(0.05)
    shipped.stop(signal.SIGKILL)
    shipped.start()

    async def drain() -> None:
        async with running_engine(shipped.url("hv-engine"), inventory, historian, tmp_path, ENGINE_ID, links):
            await wait_for(lambda: readings <= set(stored_keys(historian)), 60)

    asyncio.run(drain())
    assert readings <= set(stored_keys(historian))
