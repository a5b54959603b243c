"""MQTT transport through aiomqtt: one reusable client, reconnected with backoff and jitter.

Messages go from paho's callback straight into a batching inbox; the client's own message iterator
then only tells us when the connection drops. Subscriptions are replayed on every reconnection, and
with a client id the session is persistent, so the broker keeps QoS 1 messages for us while we are
away and delivers them on return.

A returning engine may find hundreds of thousands of messages queued, and every acknowledgement it
waits for (SUBACK, PUBACK) comes after them: acknowledgements therefore have no deadline, only the
link dropping ends the wait.
"""

from __future__ import annotations

import asyncio
import logging
import math
import random
import socket
import ssl
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from types import TracebackType
from typing import Any, TypeVar

import aiomqtt
import paho.mqtt.client as paho
from paho.mqtt.exception import MalformedPacket
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties

from feeds.broker import BrokerSettings
from feeds.inbox import Inbox
from feeds.model import Message
from feeds.topics import validate_filter
from feeds.transport import LinkHealth, LinkState

log = logging.getLogger(__name__)

ConnectHook = Callable[[], Awaitable[None]]


class LinkDown(ConnectionError):
    """The broker stayed unreachable for longer than the caller was willing to wait."""


T = TypeVar("T")

_READ_CHUNK = 1 << 16
_CHUNKS_PER_WAKEUP = 16
"""About a MiB (thousands of messages) per wake-up of the reader; then the engine gets its turn."""
_RETRY_SEND_S = 0.001


class _BatchingSocket:
    """The client's socket as paho sees it: read in large chunks, written once per loop iteration.

    paho reads each packet with three ``recv`` calls and answers each QoS 1 message with its own PUBACK
    ``send``; draining a backlog, those system calls (and the broker waking up for each PUBACK) cost
    far more than the messages themselves. Here a ``recv`` is served from a 64 KiB buffer, and ``pending``
    reports what is buffered, so aiomqtt's reader keeps reading until the buffer is empty; ``send`` only
    appends, and what one ``loop_write`` pass appended leaves in one system call at its end.
    """

    def __init__(self, sock: socket.socket, loop: asyncio.AbstractEventLoop) -> None:
        self._sock = sock
        self._loop = loop
        self._rbuf = b""
        self._rpos = 0
        self._chunks = 0
        self._wbuf = bytearray()
        self._flushing = False
        self._closed = False

    def __getattr__(self, name: str) -> Any:
        return getattr(self._sock, name)

    def recv(self, size: int) -> bytes:
        if self._rpos >= len(self._rbuf):
            if self._chunks >= _CHUNKS_PER_WAKEUP:
                raise BlockingIOError
            data = self._sock.recv(max(size, _READ_CHUNK))
            if self._chunks == 0:
                self._loop.call_soon(self._new_wakeup)
            self._chunks += 1
            if len(data) <= size:
                return data
            self._rbuf, self._rpos = data, 0
        end = self._rpos + size
        data = self._rbuf[self._rpos : end]
        self._rpos = end
        return data

    def pending(self) -> int:
        buffered = len(self._rbuf) - self._rpos
        if self._chunks >= _CHUNKS_PER_WAKEUP or not isinstance(self._sock, ssl.SSLSocket):
            return buffered
        return buffered + self._sock.pending()

    def _new_wakeup(self) -> None:
        self._chunks = 0

    def send(self, data: bytes | bytearray | memoryview) -> int:
        if not self._on_loop_thread():
            return self._sock.send(data)
        self._wbuf += data
        if not self._flushing:
            self._flushing = True
            self._loop.call_soon(self.flush)
        return len(data)

    def _on_loop_thread(self) -> bool:
        try:
            return asyncio.get_running_loop() is self._loop
        except RuntimeError:
            return False

    def flush(self) -> None:
        self._flushing = False
        if self._closed or not self._wbuf:
            return
        try:
            sent = self._sock.send(self._wbuf)
        except (BlockingIOError, ssl.SSLWantWriteError, ssl.SSLWantReadError):
            sent = 0
        except OSError as exc:
            # The reader sees the same broken connection and reports it; nothing more to send.
            log.debug("send failed: %s", exc)
            self._wbuf.clear()
            return
        del self._wbuf[:sent]
        if self._wbuf:
            self._flushing = True
            self._loop.call_later(_RETRY_SEND_S, self.flush)

    def close(self) -> None:
        self.flush()
        self._closed = True
        self._sock.close()


def _batch_socket_io(client: aiomqtt.Client, inbox: Inbox, loop: asyncio.AbstractEventLoop) -> None:
    """Route paho's socket and received messages through our batching paths (see ``_BatchingSocket``)."""
    raw = client._client
    aiomqtt_open = raw.on_socket_open
    paho_write = raw.loop_write

    def on_socket_open(paho_client: paho.Client, userdata: Any, sock: socket.socket) -> None:
        batching = _BatchingSocket(sock, loop)
        paho_client._sock = batching  # type: ignore[assignment]
        aiomqtt_open(paho_client, userdata, batching)

    def loop_write() -> paho.MQTTErrorCode:
        result = paho_write()
        if isinstance(raw._sock, _BatchingSocket):
            raw._sock.flush()
        return result

    raw.on_socket_open = on_socket_open
    raw.loop_write = loop_write  # type: ignore[method-assign]
    raw._handle_publish = _publish_intake(raw, inbox)  # type: ignore[method-assign]


def _publish_intake(raw: paho.Client, inbox: Inbox) -> Callable[[], paho.MQTTErrorCode]:
    """paho's PUBLISH handler, lean: QoS 0 and 1 messages go straight into the inbox, then the PUBACK.

    paho builds a message object, MQTT 5 properties, two debug log calls and a topic-filter match for
    each message, which costs more than decoding and evaluating it; we use none of it. QoS 2 keeps
    paho's handler (it has state to keep).
    """
    paho_publish = raw._handle_publish
    v5 = raw._protocol == paho.MQTTv5
    success = paho.MQTTErrorCode.MQTT_ERR_SUCCESS

    def handle_publish() -> paho.MQTTErrorCode:
        header = raw._in_packet["command"]
        qos = (header & 0x06) >> 1
        if qos == 2:
            return paho_publish()
        packet = raw._in_packet["packet"]
        try:
            pos = 2 + ((packet[0] << 8) | packet[1])
            topic = packet[2:pos].decode("utf-8", "replace")
            if qos:
                mid = (packet[pos] << 8) | packet[pos + 1]
                pos += 2
            if v5:
                size = shift = 0
                while True:
                    byte = packet[pos]
                    pos += 1
                    size |= (byte & 0x7F) << shift
                    shift += 7
                    if byte < 0x80:
                        break
                pos += size
        except IndexError:
            raise MalformedPacket("PUBLISH shorter than its headers") from None
        if pos > len(packet):
            raise MalformedPacket("PUBLISH properties longer than the packet")
        inbox.put(Message(topic, bytes(packet[pos:]), bool(header & 0x01), qos))
        return raw._send_puback(mid) if qos else success

    return handle_publish


class MqttTransport:
    """A ``Transport`` on a real broker (MQTT 5 or 3.1.1, TCP or TLS)."""

    def __init__(
        self,
        settings: BrokerSettings,
        client_id: str | None = None,
        *,
        persistent: bool | None = None,
        will: Message | None = None,
        backoff_s: tuple[float, float] = (0.2, 10.0),
        max_inflight: int = 1000,
    ) -> None:
        self.settings = settings
        self.client_id = client_id
        self.persistent = bool(client_id) if persistent is None else persistent
        if self.persistent and not client_id:
            raise ValueError("a persistent session needs a client id")
        self.health = LinkHealth()
        self.inbox = Inbox()
        self.on_connect: list[ConnectHook] = []
        self._will = will
        self._backoff = backoff_s
        self._max_inflight = max_inflight
        self._filters: dict[str, int] = {}
        self._connected = asyncio.Event()
        self._client: aiomqtt.Client | None = None
        self._lost: asyncio.Future[None] | None = None
        self._task: asyncio.Task[None] | None = None
        self._jitter = random.Random()

    async def __aenter__(self) -> MqttTransport:
        self._client = self._make_client()
        self._task = asyncio.create_task(self._keep_connected(), name=f"mqtt-link-{self.client_id or 'anon'}")
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
        self._connected.clear()
        self.inbox.close()
        self.health.set(LinkState.DISCONNECTED)

    async def wait_connected(self, timeout_s: float | None = None) -> None:
        try:
            await asyncio.wait_for(self._connected.wait(), timeout_s)
        except TimeoutError as exc:
            raise LinkDown(f"broker {self.settings.host}:{self.settings.port} unreachable: "
                           f"{self.health.last_error or 'no answer'}") from exc

    @property
    def connected(self) -> bool:
        return self._connected.is_set()

    async def subscribe(self, filter_: str, qos: int = 1) -> None:
        validate_filter(filter_)
        self._filters[filter_] = qos
        if self._connected.is_set() and self._client is not None:
            try:
                await self._acked(self._client.subscribe(filter_, qos, timeout=math.inf))
            except aiomqtt.MqttError as exc:
                log.info("subscribe %s deferred to the next connection: %s", filter_, exc)

    async def publish(
        self, topic: str, payload: bytes, qos: int = 0, retain: bool = False, timeout_s: float | None = None
    ) -> None:
        """Publish once connected; on a dropped link, wait for the next connection and send again."""
        while True:
            await self.wait_connected(timeout_s)
            assert self._client is not None
            try:
                await self._acked(self._client.publish(topic, payload, qos=qos, retain=retain, timeout=math.inf))
                return
            except aiomqtt.MqttError as exc:
                log.debug("publish on %s interrupted (%s); will resend after reconnection", topic, exc)
                self._connected.clear()

    async def publish_many(self, messages: Sequence[Message], window: int = 500) -> None:
        """Publish a burst with up to ``window`` acknowledgements awaited at once."""
        for start in range(0, len(messages), window):
            chunk = messages[start : start + window]
            await asyncio.gather(*(self.publish(m.topic, m.payload, m.qos, m.retain) for m in chunk))

    async def _acked(self, operation: Awaitable[T]) -> T:
        """Wait for the broker's acknowledgement however long the backlog before it; a dropped link ends it."""
        lost = self._lost
        if lost is None or lost.done():
            raise aiomqtt.MqttError("not connected")
        task = asyncio.ensure_future(operation)
        try:
            await asyncio.wait((task, lost), return_when=asyncio.FIRST_COMPLETED)
        finally:
            if not task.done():
                task.cancel()
        if task.cancelled():
            raise aiomqtt.MqttError("the link dropped before the broker acknowledged")
        return task.result()

    def batches(self) -> AsyncIterator[list[Message]]:
        return self.inbox.batches()

    def messages(self) -> AsyncIterator[Message]:
        return self.inbox.messages()

    def _make_client(self) -> aiomqtt.Client:
        s = self.settings
        v5 = s.protocol == 5
        kwargs: dict[str, Any] = {}
        if v5:
            kwargs["clean_start"] = not self.persistent
            if self.persistent:
                props = Properties(PacketTypes.CONNECT)
                props.SessionExpiryInterval = 7 * 24 * 3600
                kwargs["properties"] = props
        else:
            kwargs["clean_session"] = not self.persistent
        will = None
        if self._will is not None:
            will = aiomqtt.Will(self._will.topic, self._will.payload, self._will.qos, self._will.retain)
        tls = None
        if s.tls:
            tls = aiomqtt.TLSParameters(ca_certs=s.ca_file, certfile=s.cert_file, keyfile=s.key_file)
        client = aiomqtt.Client(
            s.host,
            s.port,
            username=s.username,
            password=s.password,
            identifier=self.client_id,
            protocol=aiomqtt.ProtocolVersion.V5 if v5 else aiomqtt.ProtocolVersion.V311,
            will=will,
            keepalive=s.keepalive,
            timeout=10,
            max_inflight_messages=self._max_inflight,
            tls_params=tls,
            tls_insecure=s.insecure if s.tls else None,
            **kwargs,
        )
        # Hundreds of QoS 1 publishes in flight are normal here (see publish_many), not a leak.
        client.pending_calls_threshold = 100_000
        _batch_socket_io(client, self.inbox, asyncio.get_running_loop())
        return client

    async def _keep_connected(self) -> None:
        assert self._client is not None
        delay = self._backoff[0]
        while True:
            self.health.set(LinkState.CONNECTING)
            try:
                async with self._client as client:
                    self._lost = asyncio.get_running_loop().create_future()
                    watch = asyncio.create_task(self._watch(client, self._lost), name="mqtt-link-watch")
                    try:
                        await self._connected_session(client)
                        delay = self._backoff[0]
                        await watch
                    finally:
                        watch.cancel()
            except aiomqtt.MqttError as exc:
                self._connected.clear()
                self.health.set(LinkState.DISCONNECTED, str(exc))
                log.warning("broker %s:%s: %s; retrying in %.1f s", self.settings.host, self.settings.port, exc, delay)
            await asyncio.sleep(delay * (0.5 + self._jitter.random()))
            delay = min(delay * 2, self._backoff[1])

    async def _connected_session(self, client: aiomqtt.Client) -> None:
        if self._filters:
            await self._acked(client.subscribe(list(self._filters.items()), timeout=math.inf))
        self._connected.set()
        self.health.set(LinkState.CONNECTED)
        for hook in list(self.on_connect):
            try:
                await hook()
            except aiomqtt.MqttError:
                raise
            except Exception:
                log.exception("on-connect hook %r failed", hook)

    @staticmethod
    async def _watch(client: aiomqtt.Client, lost: asyncio.Future[None]) -> None:
        """Returns or raises when the connection ends (messages themselves go to the inbox)."""
        try:
            async for _ in client.messages:
                pass
        finally:
            lost.set_result(None)
