"""Broker URLs: what operators type, and clear refusals for what cannot work."""

from __future__ import annotations

import pytest

from feeds.broker import BrokerAddressError, BrokerSettings


def test_plain_and_tls_urls() -> None:
    plain = BrokerSettings.from_url("mqtt://operator@broker.local")
    assert (plain.host, plain.port, plain.tls, plain.username, plain.protocol) == ("broker.local", 1883, False,
                                                                                   "operator", 5)
    tls = BrokerSettings.from_url("mqtts://10.0.0.5?ca=/etc/ca.pem&cert=/etc/c.pem&key=/etc/k.pem&protocol=3.1.1")
    assert (tls.port, tls.tls, tls.ca_file, tls.cert_file, tls.key_file, tls.protocol) == (
        8883, True, "/etc/ca.pem", "/etc/c.pem", "/etc/k.pem", 4)


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("http://broker", "expected mqtt://"),
        ("mqtt://user:secret@broker", "password"),
        ("mqtt://broker?protocol=2", "protocol"),
        ("mqtt://broker?colour=red", "unknown option"),
        ("mqtt://:1883", "no host"),
    ],
)
def test_unusable_urls_say_why(url: str, words: str) -> None:
    with pytest.raises(BrokerAddressError, match=words):
        BrokerSettings.from_url(url)


def test_password_never_appears_in_repr() -> None:
    settings = BrokerSettings.from_url("mqtt://op@broker").with_credentials(None, "s3cret")
    assert "s3cret" not in repr(settings)
