"""MQTT transport through aiomqtt: one reusable client, reconnected with backoff and jitter.

Messages go from the socket straight into a batching inbox (``feeds.mqtt_wire``); the client's own
message iterator then only tells us when the connection drops. Subscriptions are replayed on every
reconnection, and with a client id the session is persistent, so the broker keeps QoS 1 messages for
us while we are away and delivers them on return.

A QoS 1 message the broker refuses (MQTT 5: a PUBACK with an error reason code, e.g. "not authorized" by
its ACL, or over its ``message_size_limit``) raises ``PublishRefused``: it is not sent again, and the
caller reports it. Over MQTT 3.1.1 a broker cannot say so: mosquitto acknowledges and drops the message.

A returning engine may find hundreds of thousands of messages queued, and every acknowledgement it
waits for (SUBACK, PUBACK) comes after them: acknowledgements therefore have no deadline, only the
link dropping ends the wait.

Received QoS 1 messages are acknowledged as they are taken from the inbox, unless the consumer called
``settle_by_consumer``: the engine then acknowledges them itself once they are stored. How many may
wait unacknowledged is bounded by the broker: MQTT 5's Receive Maximum, sent on connecting (the
settings' ``receive_maximum``), or for MQTT 3.1.1 the broker's ``max_inflight_messages``.
"""

from __future__ import annotations

import asyncio
import logging
import math
import random
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from types import TracebackType
from typing import Any, TypeVar

import aiomqtt
import paho.mqtt.client as paho
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties
from paho.mqtt.reasoncodes import ReasonCode

from feeds.broker import BrokerSettings
from feeds.inbox import Inbox, Receipt
from feeds.model import Message
from feeds.mqtt_wire import Wire
from feeds.topics import validate_filter
from feeds.transport import LinkHealth, LinkState

log = logging.getLogger(__name__)

ConnectHook = Callable[[], Awaitable[None]]


class LinkDown(ConnectionError):
    """The broker stayed unreachable for longer than the caller was willing to wait."""


class PublishRefused(ConnectionError):
    """The broker answered a QoS 1 message with an error reason code: it dropped the message."""

    def __init__(self, topic: str, reason: ReasonCode) -> None:
        super().__init__(f"the broker refused the message on {topic}: {reason.getName()} (reason code "
                         f"0x{reason.value:02X}); check this user's rights in the broker's ACL and its "
                         "message_size_limit")
        self.topic = topic
        self.reason = reason


T = TypeVar("T")


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
        self.inbox = Inbox(acknowledge=self.acknowledge)
        self._wire: Wire | None = None
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
        self._pubacks: dict[int, asyncio.Future[ReasonCode]] = {}

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
        """Publish once connected; on a dropped link, wait for the next connection and send again.

        Raises ``PublishRefused`` when the broker refuses the message (it is not sent again)."""
        while True:
            await self.wait_connected(timeout_s)
            try:
                reason = await self._acked(self._send(topic, payload, qos, retain))
            except aiomqtt.MqttError as exc:
                log.debug("publish on %s interrupted (%s); will resend after reconnection", topic, exc)
                self._connected.clear()
                continue
            if reason is not None and reason.is_failure:
                raise PublishRefused(topic, reason)
            return

    def _send(self, topic: str, payload: bytes, qos: int, retain: bool) -> asyncio.Future[ReasonCode | None]:
        """Hand the message to paho; resolved with the reason code of the broker's acknowledgement (QoS 1, 2).

        aiomqtt's ``publish`` drops that reason code: a refused message would pass for delivered. The
        future is resolved from paho's callback itself, before the broker closing the connection after a
        refusal (mosquitto 2 does) can be mistaken for a dropped link."""
        assert self._client is not None
        if self._lost is None or self._lost.done():
            raise aiomqtt.MqttError("not connected")
        info = self._client._client.publish(topic, payload, qos, retain)
        if info.rc != paho.MQTT_ERR_SUCCESS:
            raise aiomqtt.MqttCodeError(info.rc, "could not publish the message")
        acknowledged: asyncio.Future[ReasonCode | None] = asyncio.get_running_loop().create_future()
        if qos == 0:
            acknowledged.set_result(None)
        else:
            self._pubacks[info.mid] = acknowledged
        return acknowledged

    def _acknowledged(self, mid: int, reason: ReasonCode) -> None:
        """paho's ``on_publish`` (on the loop's thread): the broker acknowledged message ``mid``."""
        acknowledged = self._pubacks.pop(mid, None)
        if acknowledged is not None and not acknowledged.done():
            acknowledged.set_result(reason)

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
        if not task.done() or task.cancelled():
            raise aiomqtt.MqttError("the link dropped before the broker acknowledged")
        return task.result()

    def batches(self) -> AsyncIterator[list[Message]]:
        return self.inbox.batches()

    def settle_by_consumer(self) -> None:
        """The consumer acknowledges what it took (``owed`` then ``acknowledge``), once it has kept it."""
        self.inbox.settle_by_consumer()

    def owed(self) -> list[Receipt]:
        return self.inbox.owed()

    def acknowledge(self, receipts: Sequence[Receipt]) -> None:
        """Send the PUBACKs of these receipts (those of an earlier connection are void: the broker
        delivers their messages again)."""
        if self._wire is not None and receipts:
            self._wire.acknowledge(receipts)

    def stop_receiving(self) -> None:
        """Take no more messages; what arrives from now on stays unacknowledged, for the next session."""
        self.inbox.close()

    def messages(self) -> AsyncIterator[Message]:
        return self.inbox.messages()

    def _make_client(self) -> aiomqtt.Client:
        s = self.settings
        v5 = s.protocol == 5
        kwargs: dict[str, Any] = {}
        if v5:
            kwargs["clean_start"] = not self.persistent
            props = Properties(PacketTypes.CONNECT)
            props.ReceiveMaximum = s.receive_maximum
            if self.persistent:
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
        self._wire = Wire(client, self.inbox, asyncio.get_running_loop())
        aiomqtt_on_publish = client._client.on_publish

        def on_publish(raw: paho.Client, userdata: Any, mid: int, reason: ReasonCode, properties: Any) -> None:
            self._acknowledged(mid, reason)
            if aiomqtt_on_publish is not None:
                aiomqtt_on_publish(raw, userdata, mid, reason, properties)

        client._client.on_publish = on_publish
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
