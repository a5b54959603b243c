"""``train://`` addresses: a session on a broker, written and read back, with clear refusals."""

from __future__ import annotations

import pytest

from feeds.links import Links
from hypervisor.app import feed_registry
from hypervisor.feed.address import FeedAddressError, TrainAddress, parse_train
from hypervisor.training.deployment import TrainingDeployment


@pytest.mark.parametrize("broker", ["mqtt://alice@broker.dijon.fr:1883", "mqtts://alice@broker.dijon.fr:8883"])
def test_a_session_address_reads_back_as_written(broker: str) -> None:
    address = TrainAddress(broker, "nuit-chenôve")
    assert parse_train(str(address)) == address


@pytest.mark.parametrize(("text", "says"), [
    ("train://broker:1883", "SESSION"),
    ("train://broker:1883/a/b", "without '/'"),
    ("train:///drill", "host:port"),
    ("train://broker:1883/drill?speed=2", "not speed"),
])
def test_a_bad_session_address_says_what_is_expected(text: str, says: str) -> None:
    with pytest.raises(FeedAddressError, match=says):
        parse_train(text)


def test_the_registry_opens_a_trainee_console_on_the_session_topics() -> None:
    feed = feed_registry(Links(password="a")).open("train://alice@127.0.0.1:1883/drill")
    assert isinstance(feed, TrainingDeployment)
    assert feed.topics.root == "hv/train/drill" and feed.address == "mqtt://alice@127.0.0.1:1883"


def test_without_links_no_session_can_be_opened() -> None:
    with pytest.raises(FeedAddressError, match="known schemes: replay"):
        feed_registry().open("train://127.0.0.1:1883/drill")


def test_live_addresses_open_through_the_same_registry(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from hypervisor.deployment import BrokerDeployment

    historian = tmp_path / "h.sqlite"
    live = feed_registry(Links(password="a"), historian=historian).open("mqtts://alice@broker.dijon.fr:8883")
    assert isinstance(live, BrokerDeployment)
    assert (live.address, live.historian_path) == ("mqtts://alice@broker.dijon.fr:8883", historian)
    embedded = object()
    registry = feed_registry(embedded=lambda: embedded)
    assert registry.open("bus://embedded") is embedded
    with pytest.raises(FeedAddressError, match="only city in this process is bus://embedded"):
        registry.open("bus://elsewhere")
    with pytest.raises(FeedAddressError, match="known schemes: bus, replay"):
        registry.open("mqtt://broker:1883")
