"""From a transport message to readings: route by topic, parse, validate, or reject with a reason.

A message is accepted or rejected as a whole: a foreign document that names several assets yields
all their measurements, or, if any part is unusable, one ``Rejected`` and no reading at all.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import orjson

from feeds.clock import Clock, WallClock
from feeds.codecs import FOREIGN_CODECS, ForeignCodec, ForeignContext, V1Codec
from feeds.codecs.schema import shorten
from feeds.codecs.timestamps import EPOCH_2000_MS
from feeds.codecs.v1 import FAST_ERRORS, fast_decoder, fields_dict
from feeds.devices import SHIPPED_PROFILES, DeviceProfiles
from feeds.inventory import Asset, Inventory
from feeds.model import Measurement, Message, Reading
from feeds.rejection import Reason, Rejected
from feeds.topics import LIVE_ROOT, Topics, matches, validate_filter

_ROUTE_CACHE_LIMIT = 1 << 18
"""Twice the Angers inventory (70,000 assets x telemetry and status) with room to spare."""


@dataclass(frozen=True, slots=True)
class _V1Route:
    asset: Asset
    status: bool
    fast: Callable[[bytes], Any] | None = None
    """The telemetry decoder of the asset's kind (``V1Codec.fast_telemetry``'s first step)."""


@dataclass(frozen=True, slots=True)
class _ForeignRoute:
    codec: ForeignCodec


Route = _V1Route | _ForeignRoute


def default_foreign_topics(topics: Topics) -> dict[str, str]:
    """Where foreign payloads arrive under a root: ``<root>/in/<format>/#`` -> format name."""
    return {
        f"{topics.foreign('senml')}/#": "senml",
        f"{topics.foreign('ngsi-ld')}/#": "ngsi-ld",
        f"{topics.foreign('tts')}/#": "tts",
        f"{topics.foreign('chirpstack')}/#": "chirpstack",
    }


DEFAULT_FOREIGN_TOPICS: dict[str, str] = default_foreign_topics(Topics(LIVE_ROOT))
"""The foreign filters of the live root ``hv/v1``."""


class Decoder:
    """Turns messages into measurements and status updates; raises ``Rejected`` for unusable ones.

    ``foreign_topics`` maps MQTT filters to format names (``senml``, ``ngsi-ld``, ``tts``,
    ``chirpstack``); it defaults to ``default_foreign_topics(topics)``. Foreign filters are tried
    before the v1 topics, in the order given. ``profiles`` are the LoRaWAN device profiles (by
    default those shipped in assets/devices/). A foreign message may yield readings and, for a part
    of it (one unknown entity of a notification), a rejection too.
    """

    def __init__(
        self,
        inventory: Inventory,
        topics: Topics = Topics(),
        clock: Clock = WallClock(),  # noqa: B008 - stateless
        foreign_topics: Mapping[str, str] | None = None,
        max_payload_bytes: int = 65536,
        max_future_ms: int = 300_000,
        profiles: DeviceProfiles | None = None,
    ) -> None:
        self.inventory = inventory
        self.topics = topics
        self.clock = clock
        self.max_payload_bytes = max_payload_bytes
        self.max_future_ms = max_future_ms
        self.profiles = profiles if profiles is not None else DeviceProfiles(SHIPPED_PROFILES)
        if foreign_topics is None:
            foreign_topics = default_foreign_topics(topics)
        self.foreign_topics = dict(foreign_topics)
        self._foreign: list[tuple[str, ForeignCodec]] = []
        for filter_, fmt in self.foreign_topics.items():
            validate_filter(filter_)
            if fmt not in FOREIGN_CODECS:
                known = ", ".join(sorted(FOREIGN_CODECS))
                raise ValueError(f"unknown payload format {fmt!r} for {filter_!r} (known: {known})")
            self._foreign.append((filter_, FOREIGN_CODECS[fmt]))
        self._prefix = topics.root + "/"
        self._v1 = V1Codec(max_future_ms)
        self._routes: dict[str, Route] = {}

    def subscriptions(self) -> list[str]:
        """Every filter the engine must subscribe to for this decoder to see its messages."""
        return [self.topics.all_telemetry, self.topics.all_status, *self.foreign_topics]

    def decode(self, message: Message) -> list[Reading]:
        """The readings a message carries; raises ``Rejected`` with a reason if it carries none we can use."""
        readings, rejected = self.decode_all((message,))
        if rejected and not readings:
            raise rejected[0][1]
        return readings

    def decode_all(self, messages: Iterable[Message]) -> tuple[list[Reading], list[tuple[Message, Rejected]]]:
        """The readings of every message, and each unusable message with why; one never spoils another.

        This is the engine's hot path: one loop, the clock read once, v1 telemetry through its fast path
        (``V1Codec.fast_telemetry``, written out here to spare a call per message).
        """
        readings: list[Reading] = []
        rejected: list[tuple[Message, Rejected]] = []
        now = self.clock.now_ms()
        horizon = now + self.max_future_ms
        routes, v1, parse, limit = self._routes, self._v1, self._parse, self.max_payload_bytes
        for message in messages:
            try:
                route = routes.get(message.topic) or self._route(message.topic)
                if type(route) is _V1Route:
                    asset = route.asset
                    fast = route.fast
                    if fast is not None and len(message.payload) <= limit:
                        try:
                            doc = fast(message.payload)
                        except FAST_ERRORS:
                            doc = None
                        if doc is not None:
                            metrics, ts = fields_dict(doc.metrics), doc.ts
                            if metrics and (ts is None or EPOCH_2000_MS <= ts <= horizon):
                                readings.append(Measurement(asset.id, asset.domain, now if ts is None else ts, metrics))
                                continue
                    doc = parse(message.payload, asset.id)
                    readings.append(v1.status(doc, asset, now) if route.status else v1.telemetry(doc, asset, now))
                else:
                    doc = parse(message.payload, None)
                    context = ForeignContext(self.inventory, now, self.max_future_ms, self.profiles)
                    readings += route.codec(doc, context)
                    rejected += [(message, part) for part in context.parts_rejected]
            except Rejected as exc:
                rejected.append((message, exc))
        return readings, rejected

    def warm_up(self) -> None:
        """Resolve the v1 topics of every asset now, not while the first backlog is drained."""
        for asset in self.inventory:
            for leaf in ("telemetry", "status"):
                topic = f"{self._prefix}{asset.domain}/{asset.id}/{leaf}"
                if topic not in self._routes:
                    try:
                        self._route(topic)
                    except Rejected:
                        continue

    def _parse(self, payload: bytes, asset_id: str | None) -> object:
        if len(payload) > self.max_payload_bytes:
            detail = f"payload of {len(payload)} bytes exceeds the limit of {self.max_payload_bytes}"
            raise Rejected(Reason.OVERSIZE, detail, asset_id)
        try:
            return orjson.loads(payload)
        except orjson.JSONDecodeError as exc:
            raise _json_rejection(exc, asset_id) from None

    def _route(self, topic: str) -> Route:
        route = self._foreign_route(topic) or self._v1_route(topic)
        if len(self._routes) >= _ROUTE_CACHE_LIMIT:
            self._routes.clear()
        self._routes[topic] = route
        return route

    def _foreign_route(self, topic: str) -> Route | None:
        for filter_, codec in self._foreign:
            if matches(filter_, topic):
                return _ForeignRoute(codec)
        return None

    def _v1_route(self, topic: str) -> Route:
        levels = topic[len(self._prefix) :].split("/") if topic.startswith(self._prefix) else []
        if len(levels) != 3 or levels[2] not in ("telemetry", "status"):
            raise Rejected(Reason.UNKNOWN_TOPIC, f"no decoder for topic {shorten(topic, 200)!r}")
        domain, ident, leaf = levels
        asset = self.inventory.resolve(ident)
        if asset is None:
            raise Rejected(Reason.UNKNOWN_ASSET, f"no asset {shorten(ident)!r} in the inventory", ident)
        if asset.domain != domain:
            detail = f"topic domain {shorten(domain)!r} but {asset.kind} {asset.id} is in {asset.domain!r}"
            raise Rejected(Reason.DOMAIN_MISMATCH, detail, asset.id)
        status = leaf == "status"
        return _V1Route(asset, status, None if status else fast_decoder(asset.kind))


def _json_rejection(exc: orjson.JSONDecodeError, asset_id: str | None) -> Rejected:
    # orjson refuses numbers that overflow a double (1e999) as invalid JSON; we report them as not finite.
    if "infinity" in exc.msg:
        return Rejected(Reason.NOT_FINITE, f"a number overflows to infinity (at char {exc.pos})", asset_id)
    return Rejected(Reason.BAD_JSON, f"not JSON: {exc.msg} (at char {exc.pos})", asset_id)
