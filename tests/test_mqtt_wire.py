"""The bulk PUBLISH parser of the MQTT intake: what it takes from a read, what it owes, where it stops."""

from __future__ import annotations

import struct

import pytest
from paho.mqtt.exception import MalformedPacket

from feeds.model import Message
from feeds.mqtt_wire import _complete_publishes, remaining_length_bytes


def publish(topic: str, payload: bytes, qos: int = 1, mid: int = 0, retain: bool = False, v5: bool = False,
            properties: bytes = b"") -> bytes:
    raw_topic = topic.encode()
    body = struct.pack("!H", len(raw_topic)) + raw_topic
    if qos:
        body += struct.pack("!H", mid)
    if v5:
        body += bytes([len(properties)]) + properties
    body += payload
    return bytes([0x30 | qos << 1 | int(retain)]) + remaining_length_bytes(len(body)) + body


@pytest.mark.parametrize("v5", [False, True])
def test_complete_packets_are_taken_and_acknowledged_and_a_cut_one_is_left(v5: bool) -> None:
    big = b"x" * 300  # a two-byte remaining length
    packets = [publish("hv/v1/water/W-P-001/telemetry", b'{"a":1}', mid=7, v5=v5),
               publish("hv/v1/lighting/L-000001/status", b"{}", qos=0, retain=True, v5=v5),
               publish("hv/v1/waste/B-0001/telemetry", big, mid=65535, v5=v5,
                       properties=b"\x01\x01" if v5 else b"")]
    cut = publish("hv/v1/water/W-P-002/telemetry", b'{"b":2}', mid=8, v5=v5)
    buf = b"".join(packets) + cut[:-3]

    end, messages, acks = _complete_publishes(buf, 0, v5)

    assert end == len(b"".join(packets))
    assert messages == [Message("hv/v1/water/W-P-001/telemetry", b'{"a":1}', False, 1),
                        Message("hv/v1/lighting/L-000001/status", b"{}", True, 0),
                        Message("hv/v1/waste/B-0001/telemetry", big, False, 1)]
    assert acks == b"\x40\x02\x00\x07" + b"\x40\x02\xff\xff"


def test_it_stops_at_a_packet_that_is_not_a_qos_0_or_1_publish() -> None:
    qos2 = publish("hv/v1/water/W-P-001/telemetry", b"{}", qos=2, mid=3)
    pingresp = b"\xd0\x00"
    first = publish("hv/v1/water/W-P-001/telemetry", b"{}", mid=1)
    assert _complete_publishes(first + qos2, 0, False)[0] == len(first)
    assert _complete_publishes(first + pingresp + first, 0, False)[0] == len(first)


def test_a_topic_longer_than_its_packet_is_a_malformed_packet() -> None:
    lying = b"\x32\x06\x00\x40abcd"
    with pytest.raises(MalformedPacket):
        _complete_publishes(lying, 0, False)
