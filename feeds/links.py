"""Open a transport from an address: ``bus://`` (in-process), ``mqtt://`` or ``mqtts://``."""

from __future__ import annotations

from feeds.broker import BrokerSettings
from feeds.bus import BusClient, InProcessBus
from feeds.model import Message
from feeds.mqtt import MqttTransport


class UnknownAddress(ValueError):
    """An address whose scheme no transport serves."""


class Links:
    """The registry of sources the application can reach; injected, never global."""

    def __init__(self, bus: InProcessBus | None = None, password: str | None = None) -> None:
        self.bus = bus
        self.password = password

    def open(
        self, address: str, client_id: str = "", will: Message | None = None, persistent: bool | None = None
    ) -> BusClient | MqttTransport:
        scheme = address.split("://", 1)[0] if "://" in address else ""
        if scheme == "bus":
            if self.bus is None:
                raise UnknownAddress("bus:// is only available inside the embedded default (hypervisor demo)")
            return self.bus.client(client_id, will)
        if scheme in ("mqtt", "mqtts"):
            settings = BrokerSettings.from_url(address)
            if self.password is not None:
                settings = settings.with_credentials(None, self.password)
            return MqttTransport(settings, client_id or None, persistent=persistent, will=will)
        raise UnknownAddress(f"{address!r}: expected bus://, mqtt://host:port or mqtts://host:port")
