"""Feed addresses: one string names where a console's data comes from, resolved by its scheme.

``bus://embedded`` (the simulated city in this process), ``mqtt://[user@]host:port`` and ``mqtts://…``
(a deployment's broker), ``replay:PATH?from=ISO&to=ISO`` (a historian or incident file, read-only),
``train://[user@]host:port/SESSION`` (a training session on a broker; ``?tls=1`` for mqtts).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote, unquote, urlsplit
from zoneinfo import ZoneInfo

from feeds.clock import CITY_ZONE

LIVE_SCHEMES = frozenset({"bus", "mqtt", "mqtts"})
BROKER_SCHEMES = frozenset({"mqtt", "mqtts"})
EMBEDDED_ADDRESS = "bus://embedded"
REPLAY_SCHEME = "replay"
TRAIN_SCHEME = "train"


class FeedAddressError(ValueError):
    """An address no feed can open; the message says what is accepted."""


@dataclass(frozen=True, slots=True)
class ReplayAddress:
    """A recorded period: the file, and optionally where to start and stop (epoch ms, UTC)."""

    path: Path
    from_ms: int | None = None
    to_ms: int | None = None

    def __str__(self) -> str:
        query = "&".join(f"{k}={_iso(v)}" for k, v in (("from", self.from_ms), ("to", self.to_ms)) if v is not None)
        return f"{REPLAY_SCHEME}:{quote(str(self.path))}" + (f"?{query}" if query else "")


def _iso(ms: int) -> str:
    return datetime.fromtimestamp(ms / 1000, ZoneInfo("UTC")).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def parse_instant(text: str, zone: str = CITY_ZONE) -> int:
    """An ISO 8601 date or date-time as epoch ms; without an offset it is read in the city's zone."""
    try:
        when = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError as exc:
        raise FeedAddressError(f"{text!r} is not an ISO 8601 instant (e.g. 2026-11-27T22:00 or "
                               f"2026-11-27T21:00Z)") from exc
    if when.tzinfo is None:
        when = when.replace(tzinfo=ZoneInfo(zone))
    return int(when.timestamp() * 1000)


@dataclass(frozen=True, slots=True)
class TrainAddress:
    """A training session: the broker it runs on (``mqtt://…`` or ``mqtts://…``) and its name."""

    broker: str
    session: str

    def __str__(self) -> str:
        scheme, rest = self.broker.split("://", 1)
        return f"{TRAIN_SCHEME}://{rest.rstrip('/')}/{quote(self.session, safe='')}" + (
            "?tls=1" if scheme == "mqtts" else "")


def parse_train(address: str) -> TrainAddress:
    """``train://[user@]host:port/SESSION`` (``?tls=1``: the broker speaks TLS)."""
    if scheme_of(address) != TRAIN_SCHEME:
        raise FeedAddressError(f"{address!r} is not a training address")
    parts = urlsplit(address)
    session = unquote(parts.path.strip("/"))
    if not parts.netloc or not session or any(c in session for c in "/+#"):
        raise FeedAddressError(f"{address!r}: expected train://[user@]host:port/SESSION, a session name "
                               "without '/', '+' or '#'")
    query = parse_qs(parts.query)
    unknown = set(query) - {"tls"}
    if unknown:
        raise FeedAddressError(f"train: knows 'tls', not {', '.join(sorted(unknown))}")
    tls = query.get("tls", ["0"])[-1] in ("1", "true", "yes")
    return TrainAddress(f"{'mqtts' if tls else 'mqtt'}://{parts.netloc}", session)


def scheme_of(address: str) -> str:
    """The scheme of an address, lower case (``replay`` for ``replay:…``)."""
    head, sep, _ = address.partition(":")
    if not sep or not head.isalpha():
        raise FeedAddressError(f"{address!r} has no scheme: use bus://embedded, mqtt://host:port, "
                               f"mqtts://host:port, replay:FILE or train://host:port/SESSION")
    return head.lower()


def parse_replay(address: str, zone: str = CITY_ZONE) -> ReplayAddress:
    """``replay:PATH?from=…&to=…`` (``replay://PATH`` is accepted too)."""
    if scheme_of(address) != REPLAY_SCHEME:
        raise FeedAddressError(f"{address!r} is not a replay address")
    parts = urlsplit(address)
    path = unquote(parts.netloc + parts.path)
    if not path:
        raise FeedAddressError("replay: needs a historian or incident file, e.g. replay:/data/history.sqlite")
    query = parse_qs(parts.query)
    bounds = {k: parse_instant(v[-1], zone) for k, v in query.items() if k in ("from", "to")}
    unknown = set(query) - {"from", "to"}
    if unknown:
        raise FeedAddressError(f"replay: knows 'from' and 'to', not {', '.join(sorted(unknown))}")
    if "from" in bounds and "to" in bounds and bounds["from"] >= bounds["to"]:
        raise FeedAddressError("replay: 'from' must come before 'to'")
    return ReplayAddress(Path(path), bounds.get("from"), bounds.get("to"))


class FeedRegistry:
    """Openers by scheme, injected where feeds are made (no module-level registry)."""

    def __init__(self) -> None:
        self._openers: dict[str, Callable[[str], Any]] = {}

    def register(self, schemes: frozenset[str] | set[str], opener: Callable[[str], Any]) -> None:
        for scheme in schemes:
            self._openers[scheme] = opener

    def open(self, address: str) -> Any:
        """The feed for ``address``, from the opener registered for its scheme."""
        scheme = scheme_of(address)
        opener = self._openers.get(scheme)
        if opener is None:
            known = ", ".join(sorted(self._openers)) or "none"
            raise FeedAddressError(f"no feed for {scheme}: addresses (known schemes: {known})")
        return opener(address)
