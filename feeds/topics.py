"""Topic names of contract version 1 and MQTT filter matching (``+`` and ``#``)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

LIVE_ROOT = "hv/v1"


def training_root(session: str) -> str:
    """Root of a training sandbox; never ``hv/v1``."""
    if not session or any(c in session for c in "/+#"):
        raise ValueError(f"invalid training session name: {session!r}")
    return f"hv/train/{session}"


@dataclass(frozen=True, slots=True)
class Topics:
    """Every topic of the contract under one root (live ``hv/v1`` or a training sandbox)."""

    root: str = LIVE_ROOT

    def telemetry(self, domain: str, asset_id: str) -> str:
        return f"{self.root}/{domain}/{asset_id}/telemetry"

    def status(self, domain: str, asset_id: str) -> str:
        return f"{self.root}/{domain}/{asset_id}/status"

    def alarm(self, alarm_id: str) -> str:
        return f"{self.root}/alarms/{alarm_id}"

    def command(self, user: str, verb: str) -> str:
        return f"{self.root}/cmd/{user}/{verb}"

    def command_reply(self, user: str) -> str:
        return f"{self.root}/cmd-reply/{user}"

    def foreign(self, fmt: str) -> str:
        return f"{self.root}/in/{fmt}"

    @property
    def all_telemetry(self) -> str:
        return f"{self.root}/+/+/telemetry"

    @property
    def all_status(self) -> str:
        return f"{self.root}/+/+/status"

    @property
    def all_alarms(self) -> str:
        return f"{self.root}/alarms/+"

    @property
    def alarm_events(self) -> str:
        return f"{self.root}/alarm-events"

    @property
    def all_commands(self) -> str:
        return f"{self.root}/cmd/+/+"

    @property
    def all_foreign(self) -> str:
        return f"{self.root}/in/#"

    @property
    def health(self) -> str:
        return f"{self.root}/engine/health"

    def flood(self, scope: str) -> str:
        return f"{self.root}/flood/{scope}"

    @property
    def all_floods(self) -> str:
        return f"{self.root}/flood/+"

    @property
    def all_command_replies(self) -> str:
        return f"{self.root}/cmd-reply/+"

    @property
    def sim_clock(self) -> str:
        return f"{self.root}/sim/clock"

    @property
    def sim_faults(self) -> str:
        return f"{self.root}/sim/fault"


@lru_cache(maxsize=4096)
def _split(filter_: str) -> tuple[str, ...]:
    return tuple(filter_.split("/"))


def validate_filter(filter_: str) -> None:
    """Refuse filters MQTT would refuse: ``#`` not last, wildcards inside a level."""
    levels = filter_.split("/")
    for i, level in enumerate(levels):
        if "#" in level and (level != "#" or i != len(levels) - 1):
            raise ValueError(f"'#' must be a whole last level: {filter_!r}")
        if "+" in level and level != "+":
            raise ValueError(f"'+' must be a whole level: {filter_!r}")


def matches(filter_: str, topic: str) -> bool:
    """MQTT matching: ``+`` one level, ``#`` this level and all below; ``$`` topics need an explicit root."""
    f = _split(filter_)
    t = topic.split("/")
    if t[0].startswith("$") and f[0] in ("+", "#"):
        return False
    for i, level in enumerate(f):
        if level == "#":
            return True
        if i >= len(t):
            return False
        if level != "+" and level != t[i]:
            return False
    return len(f) == len(t)
