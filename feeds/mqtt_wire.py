"""paho's socket, batched: what makes an MQTT client in Python keep up with a broker's backlog.

paho reads each packet with three ``recv`` calls, builds a message object with MQTT 5 properties and
two debug log calls for each, and answers each QoS 1 message with its own PUBACK ``send``. Draining a
backlog, that costs far more than decoding and evaluating the messages. ``batch_socket_io`` hands paho
a socket that reads 64 KiB at a time and writes once per loop iteration, takes the complete PUBLISH
packets of each chunk itself, and leaves everything else (connection, subscriptions, QoS 2, keepalive)
to paho.
"""

from __future__ import annotations

import asyncio
import logging
import socket
import ssl
from collections.abc import Callable
from typing import Any

import aiomqtt
import paho.mqtt.client as paho
from paho.mqtt.exception import MalformedPacket

from feeds.inbox import Inbox
from feeds.model import Message

log = logging.getLogger(__name__)

_READ_CHUNK = 1 << 16
_CHUNKS_PER_WAKEUP = 16
"""About a MiB (thousands of messages) per wake-up of the reader; then the engine gets its turn."""
_RETRY_SEND_S = 0.001
_PUBACK = b"\x40\x02"

Take = Callable[[bytes, int], tuple[int, bytes]]
"""Takes the complete QoS 0/1 PUBLISH packets of a buffer from a position; returns where it stopped and the
PUBACKs owed."""


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
        """Let ``take`` have the complete QoS 0/1 PUBLISH packets at the head of the buffer, and queue
        their PUBACKs; paho reads whatever else comes (and the packet cut by the end of the buffer)."""
        self._rpos, acks = take(self._rbuf, self._rpos)
        if acks:
            self.queue(acks)

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


def batch_socket_io(client: aiomqtt.Client, inbox: Inbox, loop: asyncio.AbstractEventLoop) -> None:
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

    handle_publish, take = _publish_intake(raw, inbox)
    paho_read = raw.loop_read

    def on_message(paho_client: paho.Client, userdata: Any, message: paho.MQTTMessage) -> None:
        inbox.put(Message(message.topic, message.payload, message.retain, message.qos))

    def loop_read(max_packets: int = 1) -> paho.MQTTErrorCode:
        sock = raw._sock
        if isinstance(sock, _BatchingSocket) and raw._in_packet["command"] == 0:
            sock.take_publishes(take)
        return paho_read(max_packets)

    raw.on_socket_open = on_socket_open
    raw.on_message = on_message  # QoS 2 messages still come this way
    raw.loop_write = loop_write  # type: ignore[method-assign]
    raw.loop_read = loop_read  # type: ignore[method-assign]
    raw._handle_publish = handle_publish  # type: ignore[method-assign]


def _publish_intake(raw: paho.Client, inbox: Inbox) -> tuple[Callable[[], paho.MQTTErrorCode], Take]:
    """paho's PUBLISH handler, lean, and the same for packets taken in bulk from the socket's buffer.

    paho builds a message object, MQTT 5 properties, two debug log calls and a topic-filter match for
    each message, which costs more than decoding and evaluating it; we use none of it. QoS 0 and 1
    messages go straight into the inbox; the PUBACK (the same two bytes in 3.1.1 and 5) joins the
    socket's write buffer directly. QoS 2 keeps paho's handler (it has state to keep).
    """
    paho_publish = raw._handle_publish
    v5 = raw._protocol == paho.MQTTv5

    def take(buf: bytes, pos: int) -> tuple[int, bytes]:
        pos, messages, acks = _complete_publishes(buf, pos, v5)
        inbox.extend(messages)
        return pos, acks

    def handle_publish() -> paho.MQTTErrorCode:
        header, packet = raw._in_packet["command"], raw._in_packet["packet"]
        if header & 0x06 >= 0x04:  # QoS 2, or the invalid QoS 3 that paho refuses
            return paho_publish()
        # paho has read this one (it straddled two reads): frame it again and parse it like the others.
        framed = bytes([header]) + remaining_length_bytes(len(packet)) + bytes(packet)
        _, messages, ack = _complete_publishes(framed, 0, v5)
        if not messages:
            raise MalformedPacket("PUBLISH that paho read could not be parsed")
        inbox.extend(messages)
        if ack:
            sock = raw._sock
            if not isinstance(sock, _BatchingSocket):
                return raw._send_puback(int.from_bytes(ack[2:4], "big"))
            sock.queue(ack)
        return paho.MQTTErrorCode.MQTT_ERR_SUCCESS

    return handle_publish, take


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
