"""paho's socket, batched: what makes an MQTT client in Python keep up with a broker's backlog.

paho reads each packet with three ``recv`` calls, builds a message object with MQTT 5 properties and
two debug log calls for each, and answers each QoS 1 message with its own PUBACK ``send``. Draining a
backlog, that costs far more than decoding and evaluating the messages. ``Wire`` hands paho a socket
that reads 64 KiB at a time and writes once per loop iteration, takes the complete PUBLISH packets of
each chunk itself, and leaves everything else (connection, subscriptions, QoS 2, keepalive) to paho.

A QoS 1 message is acknowledged only when its consumer says so (``Wire.acknowledge``): the engine does
once the message is stored, so the broker keeps whatever a crash interrupts.
"""

from __future__ import annotations

import asyncio
import logging
import socket
import ssl
from collections.abc import Callable, Sequence
from typing import Any

import aiomqtt
import paho.mqtt.client as paho
from paho.mqtt.exception import MalformedPacket

from feeds.inbox import Inbox, Receipt
from feeds.model import Message
from feeds.mqtt_probe import private_hooks_problem

log = logging.getLogger(__name__)

_READ_CHUNK = 1 << 16
_CHUNKS_PER_WAKEUP = 16
"""About a MiB (thousands of messages) per wake-up of the reader; then the engine gets its turn."""
_RETRY_SEND_S = 0.001
_PUBACK = b"\x40\x02"

Take = Callable[[bytes, int], int]
"""Takes the complete QoS 0/1 PUBLISH packets of a buffer from a position; returns where it stopped."""


def remaining_length_bytes(n: int) -> bytes:
    """MQTT's remaining-length encoding of ``n``."""
    out = bytearray()
    while True:
        n, digit = divmod(n, 128)
        out.append(digit | (0x80 if n else 0))
        if not n:
            return bytes(out)


def _remaining_length(buf: bytes, pos: int, size: int) -> tuple[int, int] | None:
    """Where a packet's body starts and ends, from its remaining-length bytes at ``pos``; None if cut short."""
    length = shift = 0
    while pos < size and shift <= 21:
        byte = buf[pos]
        pos += 1
        length |= (byte & 0x7F) << shift
        if byte < 0x80:
            return pos, pos + length
        shift += 7
    return None


class _BatchingSocket:
    """The client's socket as paho sees it: read in large chunks, written once per loop iteration.

    paho reads each packet with three ``recv`` calls and answers each QoS 1 message with its own PUBACK
    ``send``; draining a backlog, those system calls (and the broker waking up for each PUBACK) cost
    far more than the messages themselves. Here a ``recv`` is served from a 64 KiB buffer, and ``pending``
    reports what is buffered, so aiomqtt's reader keeps reading until the buffer is empty; ``send`` only
    appends, and what one ``loop_write`` pass appended leaves in one system call at its end. Writes
    being coalesced here, Nagle's algorithm only delays them (an alarm behind unacknowledged PUBACKs
    waited up to the peer's 40 ms delayed ACK), so it is turned off.
    """

    def __init__(self, sock: socket.socket, loop: asyncio.AbstractEventLoop) -> None:
        if sock.family in (socket.AF_INET, socket.AF_INET6):
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
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

    def take_publishes(self, take: Take) -> None:
        """Let ``take`` have the complete QoS 0/1 PUBLISH packets at the head of the buffer; paho reads
        whatever else comes (and the packet cut by the end of the buffer)."""
        self._rpos = take(self._rbuf, self._rpos)

    def _new_wakeup(self) -> None:
        self._chunks = 0

    def send(self, data: bytes | bytearray | memoryview) -> int:
        if not self._on_loop_thread():
            return self._sock.send(data)
        self.queue(data)
        return len(data)

    def queue(self, data: bytes | bytearray | memoryview) -> None:
        """Send at the end of this loop iteration, with whatever else is queued by then."""
        self._wbuf += data
        if not self._flushing:
            self._flushing = True
            self._loop.call_soon(self.flush)

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


class Wire:
    """How messages come off an aiomqtt client into an inbox, and how their PUBACKs go back.

    Either the batching path (``_BatchingSocket``, PUBLISH packets taken in bulk, PUBACKs written
    straight to the socket's buffer) or, when ``feeds.mqtt_probe`` finds that paho no longer has or does
    what that path relies on, paho's stock path with its public manual acknowledgement. Both owe the
    PUBACKs as receipts that go out only through ``acknowledge``, in the order the messages came.
    """

    def __init__(self, client: aiomqtt.Client, inbox: Inbox, loop: asyncio.AbstractEventLoop) -> None:
        self.connection = 0
        self._raw = client._client
        problem = private_hooks_problem(client)
        self.batching = problem is None
        if problem is not None:
            log.warning("MQTT intake falls back to paho's stock path (slower, PUBACK still sent after storage): "
                        "%s", problem)
        raw = self._raw
        aiomqtt_open = raw.on_socket_open

        def on_socket_open(paho_client: paho.Client, userdata: Any, sock: Any) -> None:
            self.connection += 1
            if self.batching:
                sock = _BatchingSocket(sock, loop)
                paho_client._sock = sock
            if aiomqtt_open is not None:
                aiomqtt_open(paho_client, userdata, sock)

        raw.on_socket_open = on_socket_open
        if self.batching:
            self._install_batching(inbox)
        else:
            raw.manual_ack_set(True)
            raw.on_message = self._stock_on_message(inbox)

    def acknowledge(self, receipts: Sequence[Receipt]) -> None:
        """Send the PUBACKs of receipts from the current connection, in order; earlier ones are void."""
        current = b"".join([r.pubacks for r in receipts if r.connection == self.connection])
        if not current:
            return
        if self.batching:
            sock = self._raw._sock
            if isinstance(sock, _BatchingSocket):
                sock.queue(current)
            return
        if self._raw.socket() is not None:
            for pos in range(2, len(current), 4):
                self._raw.ack(int.from_bytes(current[pos : pos + 2], "big"), 1)

    def _stock_on_message(self, inbox: Inbox) -> Callable[[paho.Client, Any, paho.MQTTMessage], None]:
        def on_message(paho_client: paho.Client, userdata: Any, message: paho.MQTTMessage) -> None:
            receipt = None
            if message.qos == 1:
                receipt = Receipt(self.connection, _PUBACK + message.mid.to_bytes(2, "big"))
            inbox.put(Message(message.topic, message.payload, message.retain, message.qos), receipt)

        return on_message

    def _install_batching(self, inbox: Inbox) -> None:
        raw = self._raw
        paho_write = raw.loop_write
        paho_read = raw.loop_read
        handle_publish, take = _publish_intake(raw, inbox, self)

        def loop_write() -> paho.MQTTErrorCode:
            result = paho_write()
            if isinstance(raw._sock, _BatchingSocket):
                raw._sock.flush()
            return result

        def on_message(paho_client: paho.Client, userdata: Any, message: paho.MQTTMessage) -> None:
            inbox.put(Message(message.topic, message.payload, message.retain, message.qos))

        def loop_read(max_packets: int = 1) -> paho.MQTTErrorCode:
            sock = raw._sock
            if isinstance(sock, _BatchingSocket) and raw._in_packet["command"] == 0:
                sock.take_publishes(take)
            return paho_read(max_packets)

        raw.on_message = on_message  # QoS 2 messages still come this way
        raw.loop_write = loop_write  # type: ignore[method-assign]
        raw.loop_read = loop_read  # type: ignore[method-assign]
        raw._handle_publish = handle_publish  # type: ignore[method-assign]


def _publish_intake(raw: paho.Client, inbox: Inbox, wire: Wire) -> tuple[Callable[[], paho.MQTTErrorCode], Take]:
    """paho's PUBLISH handler, lean, and the same for packets taken in bulk from the socket's buffer.

    paho builds a message object, MQTT 5 properties, two debug log calls and a topic-filter match for
    each message, which costs more than decoding and evaluating it; we use none of it. QoS 0 and 1
    messages go straight into the inbox with the PUBACKs owed for them (the same two bytes and packet id
    in 3.1.1 and 5). QoS 2 keeps paho's handler (it has state to keep).
    """
    paho_publish = raw._handle_publish
    v5 = raw._protocol == paho.MQTTv5

    def intake(buf: bytes, pos: int) -> int:
        pos, messages, acks = _complete_publishes(buf, pos, v5)
        inbox.extend(messages, Receipt(wire.connection, acks) if acks else None)
        return pos

    def handle_publish() -> paho.MQTTErrorCode:
        header, packet = raw._in_packet["command"], raw._in_packet["packet"]
        if header & 0x06 >= 0x04:  # QoS 2, or the invalid QoS 3 that paho refuses
            return paho_publish()
        # paho has read this one (it straddled two reads): frame it again and parse it like the others.
        framed = bytes([header]) + remaining_length_bytes(len(packet)) + bytes(packet)
        if intake(framed, 0) == 0:
            raise MalformedPacket("PUBLISH that paho read could not be parsed")
        return paho.MQTTErrorCode.MQTT_ERR_SUCCESS

    return handle_publish, intake


def _complete_publishes(buf: bytes, pos: int, v5: bool) -> tuple[int, list[Message], bytes]:
    """The complete QoS 0/1 PUBLISH packets of ``buf`` from ``pos``: where they end, their messages and the
    PUBACKs owed. One loop, no call per packet: a backlog is hundreds of thousands of packets, and calls
    are what costs."""
    size = len(buf)
    messages: list[Message] = []
    acks: list[bytes] = []
    while pos < size:
        header = buf[pos]
        if header & 0xF0 != 0x30 or header & 0x06 > 2:
            break
        body = _remaining_length(buf, pos + 1, size)
        if body is None or body[1] > size:
            break
        start, end = body
        if end - start < 2:
            raise MalformedPacket("PUBLISH shorter than its headers")
        topic_end = start + 2 + ((buf[start] << 8) | buf[start + 1])
        topic = buf[start + 2 : topic_end].decode("utf-8", "replace")
        if header & 0x06:
            acks.append(_PUBACK + buf[topic_end : topic_end + 2])
            topic_end += 2
        if v5:
            properties = _remaining_length(buf, topic_end, end)
            if properties is None:
                raise MalformedPacket("PUBLISH properties cut short")
            topic_end = properties[1]
        if topic_end > end:
            raise MalformedPacket("PUBLISH headers longer than the packet")
        messages.append(Message(topic, buf[topic_end:end], bool(header & 0x01), (header & 0x06) >> 1))
        pos = end
    return pos, messages, b"".join(acks)
