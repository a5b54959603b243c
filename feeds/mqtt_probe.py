"""Checks, before connecting, that paho and aiomqtt still have and do what ``feeds.mqtt_wire`` hooks.

The batching intake replaces paho's private PUBLISH handler and reads its private packet state. A paho
or aiomqtt release may rename those or change how they behave; a silent misparse is the worst failure
a supervision system can have, so each name is looked up and paho's packet reader is run once on a
PUBLISH packet served by a fake socket. Any difference sends the intake down paho's stock path.
"""

from __future__ import annotations

from typing import Any

import aiomqtt
import paho.mqtt.client as paho

_PROBE_PACKET = b"\x32\x0b\x00\x05probe\x00\x2a{}"
"""A QoS 1 PUBLISH on topic ``probe``, packet id 42, payload ``{}``."""

_PAHO_METHODS = ("loop_read", "loop_write", "_handle_publish", "_packet_read", "manual_ack_set", "ack")


class _OnePacketSocket:
    """Serves one packet's bytes to paho's ``recv`` calls, then would block."""

    def __init__(self, data: bytes) -> None:
        self._data = data

    def recv(self, size: int) -> bytes:
        if not self._data:
            raise BlockingIOError
        chunk, self._data = self._data[:size], self._data[size:]
        return chunk


def private_hooks_problem(client: aiomqtt.Client) -> str | None:
    """What the batching intake cannot rely on in this client, or None when everything is as expected."""
    raw = getattr(client, "_client", None)
    if not isinstance(raw, paho.Client):
        return "aiomqtt.Client has no paho client in _client"
    missing = [name for name in _PAHO_METHODS if not callable(getattr(raw, name, None))]
    for name in ("_sock", "_in_packet", "_protocol", "on_socket_open", "on_message"):
        if not hasattr(raw, name):
            missing.append(name)
    if missing:
        return f"paho.mqtt.client.Client lacks {', '.join(missing)}"
    if not isinstance(raw._in_packet, dict) or raw._in_packet.get("command") != 0:
        return "paho's _in_packet is not a dict starting at command 0"
    return _packet_reader_problem()


def _packet_reader_problem() -> str | None:
    """Run paho's packet reader on one PUBLISH: it must hand ``_handle_publish`` the header byte and the
    packet's body through ``_in_packet``, then start the next packet from command 0."""
    probe = paho.Client(paho.CallbackAPIVersion.VERSION2, protocol=paho.MQTTv311)
    seen: list[tuple[Any, bytes]] = []

    def handle_publish() -> paho.MQTTErrorCode:
        seen.append((probe._in_packet["command"], bytes(probe._in_packet["packet"])))
        return paho.MQTTErrorCode.MQTT_ERR_SUCCESS

    try:
        probe._handle_publish = handle_publish  # type: ignore[method-assign]
        probe._sock = _OnePacketSocket(_PROBE_PACKET)  # type: ignore[assignment]
        probe._packet_read()
        after = probe._in_packet["command"]
    except Exception as exc:  # any failure means the hook cannot be trusted
        return f"paho's packet reader failed on a probe PUBLISH ({type(exc).__name__}: {exc})"
    finally:
        probe._sock = None
    if seen != [(_PROBE_PACKET[0], _PROBE_PACKET[2:])] or after != 0:
        return f"paho's packet reader handed over {seen!r} for a probe PUBLISH"
    return None
