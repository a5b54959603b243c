"""Broker addresses: ``mqtt://`` and ``mqtts://`` URLs parsed into validated settings."""

from __future__ import annotations

from dataclasses import dataclass, replace
from urllib.parse import parse_qs, unquote, urlsplit

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


DEFAULT_RECEIVE_MAXIMUM = 10_000
"""QoS 1 messages the broker may send an MQTT 5 client before it acknowledges any: enough to keep a
backlog flowing while the historian commits, few enough to bound memory (see docs/delivery.md)."""


class BrokerAddressError(ValueError):
    """A broker URL that cannot be used, with what to write instead."""


@dataclass(frozen=True, slots=True)
class BrokerSettings:
    """Where and how to connect. The password never comes from the URL of a command line."""

    host: str
    port: int
    tls: bool = False
    username: str | None = None
    password: str | None = None
    ca_file: str | None = None
    cert_file: str | None = None
    key_file: str | None = None
    insecure: bool = False
    protocol: int = 5
    keepalive: int = 30
    receive_maximum: int = DEFAULT_RECEIVE_MAXIMUM

    @classmethod
    def from_url(cls, url: str) -> BrokerSettings:
        """``mqtt[s]://[user@]host[:port][?ca=...&cert=...&key=...&protocol=3.1.1|5&insecure=1&inflight=N]``."""
        parts = urlsplit(url)
        if parts.scheme not in ("mqtt", "mqtts"):
            raise BrokerAddressError(f"{url!r}: expected mqtt://host:port or mqtts://host:port")
        if not parts.hostname:
            raise BrokerAddressError(f"{url!r}: no host name")
        if parts.password:
            raise BrokerAddressError(
                "do not put the password in the broker URL; use --password-file, HV_MQTT_PASSWORD or the prompt"
            )
        tls = parts.scheme == "mqtts"
        try:
            port = parts.port or (8883 if tls else 1883)
        except ValueError as exc:
            raise BrokerAddressError(f"{url!r}: bad port") from exc
        query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
        unknown = set(query) - {"ca", "cert", "key", "protocol", "insecure", "keepalive", "inflight"}
        if unknown:
            raise BrokerAddressError(f"{url!r}: unknown option(s) {sorted(unknown)}")
        protocol = {"5": 5, "3.1.1": 4, "311": 4, "4": 4}.get(query.get("protocol", "5"))
        if protocol is None:
            raise BrokerAddressError(f"{url!r}: protocol must be 5 or 3.1.1")
        inflight = query.get("inflight", str(DEFAULT_RECEIVE_MAXIMUM))
        if not inflight.isdigit() or not 1 <= int(inflight) <= 65535:
            raise BrokerAddressError(f"{url!r}: inflight must be a number of messages from 1 to 65535")
        insecure = query.get("insecure", "0").lower()
        if insecure not in _TRUE | _FALSE:
            raise BrokerAddressError(f"{url!r}: insecure must be true or false")
        return cls(
            host=parts.hostname,
            port=port,
            tls=tls or "ca" in query,
            username=unquote(parts.username) if parts.username else None,
            ca_file=query.get("ca"),
            cert_file=query.get("cert"),
            key_file=query.get("key"),
            insecure=insecure in _TRUE,
            protocol=protocol,
            keepalive=int(query.get("keepalive", 30)),
            receive_maximum=int(inflight),
        )

    def with_credentials(self, username: str | None, password: str | None) -> BrokerSettings:
        return replace(self, username=username or self.username, password=password)

    def __repr__(self) -> str:
        scheme = "mqtts" if self.tls else "mqtt"
        user = f"{self.username}@" if self.username else ""
        return f"BrokerSettings({scheme}://{user}{self.host}:{self.port}, protocol={self.protocol})"
