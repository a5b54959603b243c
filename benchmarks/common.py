"""What the broker benchmarks share: realistic telemetry, a fast publisher, persistent sessions, engines.

The publisher speaks MQTT 3.1.1 on a plain socket so that loading the broker costs the benchmark almost
nothing: what is measured is the subscriber (the engine or mosquitto_sub), not the publisher.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import struct
import subprocess
import threading
import time
from collections.abc import AsyncIterator, Sequence
from pathlib import Path

from alerts import load_rules
from alerts.rules.model import RuleSet
from feeds.broker import BrokerSettings
from feeds.clock import WallClock
from feeds.decoding import Decoder
from feeds.encoding import encode_reading
from feeds.inventory import Inventory, load_inventory
from feeds.model import Measurement, Message
from feeds.mqtt import MqttTransport
from feeds.mqtt_wire import remaining_length_bytes
from feeds.simulator import CitySimulator
from feeds.topics import Topics
from hypervisor.engine.service import Engine
from hypervisor.engine_builder import build_engine as assemble_engine
from hypervisor.historian.writer import Historian

ROOT = Path(__file__).resolve().parent.parent
INVENTORY = ROOT / "assets" / "dijon" / "inventory.geojson"
DEFAULT_RULES = ROOT / "assets" / "rules" / "default.toml"
TOPICS = Topics()


def dijon() -> Inventory:
    return load_inventory(INVENTORY)


def rules(paths: Sequence[Path]) -> RuleSet:
    ruleset, errors = load_rules(list(paths))
    if errors:
        raise RuntimeError(f"rule errors: {errors}")
    return ruleset


def city_readings(inventory: Inventory, count: int, seed: int = 0, hours: int = 1) -> list[Measurement]:
    """``count`` measurements as the simulated city reports them over the last ``hours``, the last ones about now.

    The first step brings every asset in (one reading each), later steps add what is due; the start is
    far enough back that no timestamp is in the future, which the decoder would refuse. The whole city
    gives about 210,000 measurements an hour.
    """
    end_ms = time.time_ns() // 1_000_000 - 5_000
    start_ms = end_ms - hours * 3_600_000
    simulator = CitySimulator(inventory, seed=seed, start_ms=start_ms)
    readings: list[Measurement] = []
    now = start_ms
    while len(readings) < count and now <= end_ms:
        readings += [r for r in simulator.step(now) if type(r) is Measurement]
        now += 10_000
    if len(readings) < count:
        raise RuntimeError(f"{hours} simulated hour(s) gave only {len(readings)} measurements")
    return readings[:count]


def telemetry(readings: Sequence[Measurement], qos: int = 1) -> list[Message]:
    return [encode_reading(r, TOPICS, qos) for r in readings]


def _string(text: str | bytes) -> bytes:
    raw = text.encode() if isinstance(text, str) else text
    return struct.pack("!H", len(raw)) + raw


class RawPublisher:
    """An MQTT 3.1.1 QoS 1 publisher on a bare socket; a reader thread counts the broker's PUBACKs."""

    def __init__(self, port: int, client_id: str = "bench-publisher") -> None:
        self.sock = socket.create_connection(("127.0.0.1", port))
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        body = _string("MQTT") + bytes([4, 0x02]) + struct.pack("!H", 600) + _string(client_id)
        self.sock.sendall(b"\x10" + remaining_length_bytes(len(body)) + body)
        connack = self._recv_exactly(4)
        if connack[0] != 0x20 or connack[3] != 0:
            raise ConnectionError(f"broker refused the publisher: {connack!r}")
        self.sent = 0
        self.acked = 0
        self._acked_cond = threading.Condition()
        self._reader = threading.Thread(target=self._count_acks, name="bench-puback-reader", daemon=True)
        self._reader.start()

    def _recv_exactly(self, n: int) -> bytes:
        data = b""
        while len(data) < n:
            chunk = self.sock.recv(n - len(data))
            if not chunk:
                raise ConnectionError("broker closed the connection")
            data += chunk
        return data

    def _count_acks(self) -> None:
        leftover = 0
        while True:
            try:
                chunk = self.sock.recv(1 << 16)
            except OSError:
                return
            if not chunk:
                return
            # Every packet the broker sends us is a 4-byte PUBACK (3.1.1, no subscriptions).
            leftover += len(chunk)
            with self._acked_cond:
                self.acked += leftover // 4
                leftover %= 4
                self._acked_cond.notify_all()

    def packet(self, message: Message) -> bytes:
        self.sent += 1
        mid = (self.sent - 1) % 65535 + 1
        body = _string(message.topic) + struct.pack("!H", mid) + message.payload
        return bytes([0x32 | int(message.retain)]) + remaining_length_bytes(len(body)) + body

    def send(self, messages: Sequence[Message]) -> None:
        """Send without waiting; packet ids are reused only once acknowledged (at most 60,000 in flight)."""
        with self._acked_cond:
            self._acked_cond.wait_for(lambda: self.sent + len(messages) - self.acked < 60_000)
        self.sock.sendall(b"".join(self.packet(m) for m in messages))

    def publish_all(self, messages: Sequence[Message], chunk: int = 20_000, timeout_s: float = 60) -> None:
        """Send everything and wait until the broker has acknowledged it all."""
        for start in range(0, len(messages), chunk):
            self.send(messages[start : start + chunk])
        with self._acked_cond:
            if not self._acked_cond.wait_for(lambda: self.acked >= self.sent, timeout_s):
                raise TimeoutError(f"broker acknowledged {self.acked} of {self.sent} publishes")

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self.sock.sendall(b"\xe0\x00")
            self.sock.close()
        self._reader.join(2)


def register_sub_session(port: int, client_id: str, filter_: str) -> None:
    """Create mosquitto_sub's persistent session so the broker queues the backlog for it."""
    subprocess.run(["mosquitto_sub", "-h", "127.0.0.1", "-p", str(port), "-c", "-i", client_id, "-q", "1",
                    "-t", filter_, "-E"], check=True, timeout=10)


def time_sub_drain(port: int, client_id: str, filter_: str, count: int) -> float:
    """Seconds for mosquitto_sub to receive ``count`` queued messages and exit."""
    started = time.perf_counter()
    subprocess.run(["mosquitto_sub", "-h", "127.0.0.1", "-p", str(port), "-c", "-i", client_id, "-q", "1",
                    "-t", filter_, "-C", str(count)], check=True, timeout=120, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def engine_filters(inventory: Inventory) -> list[str]:
    """The filters ``Engine.run`` subscribes to (without a followed simulation clock)."""
    return [*Decoder(inventory, TOPICS).subscriptions(), TOPICS.all_commands]


async def register_engine_session(url: str, client_id: str, filters: Sequence[str]) -> None:
    async with MqttTransport(BrokerSettings.from_url(url), client_id, persistent=True) as link:
        for filter_ in filters:
            await link.subscribe(filter_, 1)
        await link.wait_connected(10)
        # A round trip after the subscriptions: once it is acknowledged, the broker has them.
        await link.publish(TOPICS.health, b"", 1, True)


def build_engine(url: str, client_id: str, inventory: Inventory, ruleset: RuleSet, historian_path: Path,
                 health_period_s: float = 1.0) -> Engine:
    """The production engine on a broker: real decoder, alarm engine, started historian, persistent session."""
    clock = WallClock()
    historian = Historian(historian_path)
    historian.start()
    link = MqttTransport(BrokerSettings.from_url(url), client_id, persistent=True)
    return assemble_engine(link, inventory, (), clock, historian, TOPICS, health_period_s=health_period_s,
                           ruleset=ruleset)


@contextlib.asynccontextmanager
async def serving(engine: Engine) -> AsyncIterator[Engine]:
    """Connect the engine's link and run it; on exit, stop it and close its historian."""
    try:
        async with engine.link:
            task = asyncio.create_task(engine.run(), name="bench-engine")
            try:
                yield engine
            finally:
                task.cancel()
                await asyncio.gather(task, return_exceptions=True)
    finally:
        if engine.historian is not None:
            engine.historian.close()
