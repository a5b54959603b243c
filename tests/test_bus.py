"""The in-process bus keeps MQTT's semantics: wildcards, retained messages, last will."""

from __future__ import annotations

import asyncio

import pytest

from feeds.bus import InProcessBus
from feeds.model import Message
from feeds.topics import Topics, matches, training_root, validate_filter


@pytest.mark.parametrize(
    ("filter_", "topic", "expected"),
    [
        ("hv/v1/+/+/telemetry", "hv/v1/water/W-P-012/telemetry", True),
        ("hv/v1/+/+/telemetry", "hv/v1/water/W-P-012/status", False),
        ("hv/v1/#", "hv/v1", True),
        ("hv/v1/#", "hv/v1/alarms/x", True),
        ("hv/v1/alarms/+", "hv/v1/alarms/a/b", False),
        ("+/v1/alarms", "hv/v1/alarms", True),
        ("#", "$SYS/broker/uptime", False),
        ("hv/v1/+", "hv/v1/", True),
        ("+/#", "$SYS/x", False),
        ("$SYS/#", "$SYS/broker", True),
        ("+/+", "a", False),
        ("a/#", "ab", False),
        ("hv/v1/#", "hv/v10/x", False),
        ("a.b/#", "axb/c", False),
    ],
)
def test_filter_matching_follows_mqtt(filter_: str, topic: str, expected: bool) -> None:
    assert matches(filter_, topic) is expected


@pytest.mark.parametrize("bad", ["hv/#/x", "hv/v1+", "a/b#"])
def test_malformed_filters_are_refused(bad: str) -> None:
    with pytest.raises(ValueError):
        validate_filter(bad)


def test_training_sessions_never_use_the_live_root() -> None:
    assert Topics(training_root("s1")).telemetry("water", "W-P-012") == "hv/train/s1/water/W-P-012/telemetry"
    with pytest.raises(ValueError):
        training_root("a/b")


def _drain(client: object, n: int) -> list[Message]:
    async def take() -> list[Message]:
        got: list[Message] = []
        async for batch in client.batches():
            got.extend(batch)
            if len(got) >= n:
                return got
        return got

    return take()


def test_wildcard_delivery_retained_replay_and_clearing() -> None:
    async def scenario() -> None:
        bus = InProcessBus()
        async with bus.client("engine") as engine, bus.client("console") as console:
            await engine.publish("hv/v1/alarms/r:a", b'{"state":"unack"}', 1, retain=True)
            await engine.publish("hv/v1/alarms/r:b", b'{"state":"unack"}', 1, retain=True)
            await engine.publish("hv/v1/alarms/r:b", b"", 1, retain=True)
            await console.subscribe("hv/v1/alarms/+")
            first = await asyncio.wait_for(_drain(console, 1), 2)
            assert [(m.topic, m.retain) for m in first] == [("hv/v1/alarms/r:a", True)]
            await engine.publish("hv/v1/alarms/r:c", b"{}", 1, retain=True)
            await engine.publish("hv/v1/other", b"{}", 1)
            live = await asyncio.wait_for(_drain(console, 1), 2)
            assert [(m.topic, m.retain) for m in live] == [("hv/v1/alarms/r:c", False)]
            assert bus.retained_topics == ["hv/v1/alarms/r:a", "hv/v1/alarms/r:c"]

    asyncio.run(scenario())


def test_last_will_is_published_when_a_client_dies() -> None:
    async def scenario() -> None:
        bus = InProcessBus()
        will = Message("hv/v1/engine/health", b'{"online": false}', True, 1)
        async with bus.client("console") as console:
            await console.subscribe("hv/v1/engine/health")
            with pytest.raises(RuntimeError):
                async with bus.client("engine", will=will):
                    raise RuntimeError("engine crashed")
            got = await asyncio.wait_for(_drain(console, 1), 2)
            assert got[0].payload == b'{"online": false}'
            assert bus.retained_topics == ["hv/v1/engine/health"]

    asyncio.run(scenario())
