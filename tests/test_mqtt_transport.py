"""The MQTT transport on a real mosquitto: delivery, reconnection without loss, refusals, TLS with certificates."""

from __future__ import annotations

import asyncio
import subprocess
from pathlib import Path

import pytest

from feeds.broker import BrokerSettings
from feeds.mosquitto import Mosquitto, free_port
from feeds.mqtt import MqttTransport, PublishRefused
from feeds.transport import LinkState

pytestmark = pytest.mark.broker


async def _collect(link: MqttTransport, n: int, into: list[str]) -> None:
    """Collect payloads until ``n`` distinct ones arrived (QoS 1 may deliver a message twice)."""
    async for batch in link.batches():
        into.extend(m.payload.decode() for m in batch)
        if len(set(into)) >= n:
            return


def test_publish_and_receive_with_mqtt_311_and_5(mosquitto: Mosquitto) -> None:
    async def scenario(protocol: str) -> list[str]:
        settings = BrokerSettings.from_url(f"{mosquitto.url}?protocol={protocol}")
        async with MqttTransport(settings, f"sub-{protocol}") as sub, MqttTransport(settings) as pub:
            await sub.subscribe("hv/v1/+/+/telemetry", 1)
            await sub.wait_connected(5)
            got: list[str] = []
            collector = asyncio.create_task(_collect(sub, 3, got))
            for i in range(3):
                await pub.publish(f"hv/v1/water/W-P-00{i}/telemetry", str(i).encode(), qos=1)
            await pub.publish("hv/v1/elsewhere", b"not for us", qos=1)
            await asyncio.wait_for(collector, 10)
            return got

    assert asyncio.run(scenario("3.1.1")) == ["0", "1", "2"]
    assert asyncio.run(scenario("5")) == ["0", "1", "2"]


def test_a_publish_the_broker_acl_refuses_raises_instead_of_hanging(tmp_path: Path) -> None:
    """A console writing a command in another user's name: mosquitto answers "not authorized" (MQTT 5)
    and closes the connection; the caller learns why at once, and the link serves the next message."""
    passwords = tmp_path / "passwd"
    passwords.touch()
    subprocess.run(["mosquitto_passwd", "-b", str(passwords), "alice", "a-secret"], check=True, capture_output=True)
    passwords.chmod(0o600)
    acl = Path(__file__).resolve().parent.parent / "docs" / "deployment" / "hypervisor.acl"
    with Mosquitto(extra_conf=f"password_file {passwords}\nacl_file {acl}\n", allow_anonymous=False) as broker:

        async def scenario() -> str:
            settings = BrokerSettings.from_url(broker.url).with_credentials("alice", "a-secret")
            async with MqttTransport(settings, backoff_s=(0.05, 0.5)) as alice:
                await alice.publish("hv/v1/cmd/alice/ack", b"{}", 1, timeout_s=10)
                with pytest.raises(PublishRefused) as refused:
                    await asyncio.wait_for(alice.publish("hv/v1/cmd/bob/ack", b"{}", 1, timeout_s=10), 30)
                await asyncio.wait_for(alice.publish("hv/v1/cmd/alice/ack", b"{}", 1, timeout_s=10), 30)
                return str(refused.value)

        message = asyncio.run(scenario())
    assert "hv/v1/cmd/bob/ack" in message and "Not authorized" in message and "ACL" in message


def test_broker_restart_mid_stream_loses_nothing_at_qos1(mosquitto: Mosquitto) -> None:
    """Persistent sessions on both sides: what was sent before, during and after the outage all arrives."""
    total = 3000

    async def scenario() -> tuple[list[str], list[LinkState]]:
        settings = BrokerSettings.from_url(mosquitto.url)
        fast = (0.05, 0.5)
        async with MqttTransport(settings, "engine-test", backoff_s=fast) as sub, \
                MqttTransport(settings, "device-test", backoff_s=fast) as pub:
            states: list[LinkState] = []
            sub.health.listeners.append(states.append)
            await sub.subscribe("hv/v1/#", 1)
            await sub.wait_connected(5)
            got: list[str] = []
            collector = asyncio.create_task(_collect(sub, total, got))
            for i in range(1000):
                await pub.publish("hv/v1/lighting/L/telemetry", str(i).encode(), qos=1)
            mosquitto.stop()
            while sub.connected or pub.connected:
                await asyncio.sleep(0.01)
            during = [asyncio.create_task(pub.publish("hv/v1/lighting/L/telemetry", str(i).encode(), qos=1))
                      for i in range(1000, 2000)]
            mosquitto.start()
            await asyncio.wait_for(asyncio.gather(*during), 30)
            for i in range(2000, total):
                await pub.publish("hv/v1/lighting/L/telemetry", str(i).encode(), qos=1)
            await asyncio.wait_for(collector, 30)
            return got, states

    got, states = asyncio.run(scenario())
    assert sorted(set(got), key=int) == [str(i) for i in range(total)]
    outage = states.index(LinkState.DISCONNECTED)
    assert LinkState.CONNECTED in states[outage:], "the link came back after the broker restarted"


def test_unreachable_broker_is_reported_not_fatal() -> None:
    async def scenario() -> tuple[LinkState, str]:
        settings = BrokerSettings.from_url(f"mqtt://127.0.0.1:{free_port()}")
        async with MqttTransport(settings, backoff_s=(0.05, 0.1)) as link:
            while link.health.state != LinkState.DISCONNECTED:
                await asyncio.sleep(0.01)
            return link.health.state, link.health.last_error

    state, error = asyncio.run(scenario())
    assert state == LinkState.DISCONNECTED
    assert "refused" in error.lower()


def _make_certificates(directory: Path) -> None:
    def run(*args: str) -> None:
        subprocess.run(["openssl", *args], cwd=directory, check=True, capture_output=True)

    run("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=hv-test-ca",
        "-keyout", "ca.key", "-out", "ca.pem")
    for name, cn in (("server", "127.0.0.1"), ("client", "console-1")):
        run("req", "-newkey", "rsa:2048", "-nodes", "-subj", f"/CN={cn}", "-keyout", f"{name}.key",
            "-out", f"{name}.csr")
        (directory / f"{name}.ext").write_text("subjectAltName=IP:127.0.0.1\n" if name == "server" else "")
        run("x509", "-req", "-in", f"{name}.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
            "-days", "2", "-out", f"{name}.pem", "-extfile", f"{name}.ext")


def test_mqtts_with_ca_and_client_certificate(tmp_path: Path) -> None:
    _make_certificates(tmp_path)
    port = free_port()
    conf = (f"listener {port} 127.0.0.1\ncafile {tmp_path}/ca.pem\ncertfile {tmp_path}/server.pem\n"
            f"keyfile {tmp_path}/server.key\nrequire_certificate true\nuse_identity_as_username true\n")
    with Mosquitto(extra_conf=conf, port=free_port()) as broker:
        assert broker.process is not None

        async def scenario() -> list[str]:
            url = (f"mqtts://127.0.0.1:{port}?ca={tmp_path}/ca.pem&cert={tmp_path}/client.pem"
                   f"&key={tmp_path}/client.key")
            settings = BrokerSettings.from_url(url)
            async with MqttTransport(settings, "tls-sub") as sub, MqttTransport(settings) as pub:
                await sub.subscribe("hv/v1/#", 1)
                await sub.wait_connected(10)
                got: list[str] = []
                collector = asyncio.create_task(_collect(sub, 1, got))
                await pub.publish("hv/v1/water/W-P-012/telemetry", b"over tls", qos=1)
                await asyncio.wait_for(collector, 10)
                return got

        assert asyncio.run(scenario()) == ["over tls"]
