"""Topic names of contract version 1 and MQTT filter matching (``+`` and ``#``)."""

from __future__ import annotations

import re
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

    def score(self, user: str) -> str:
        """A trainee's result, retained, published by the training session when it ends."""
        return f"{self.root}/score/{user}"

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
def _pattern(filter_: str) -> re.Pattern[str]:
    """A filter compiled once: matching a topic is then one regex call instead of a loop over levels."""
    levels = filter_.split("/")
    # A wildcard in the first level never matches "$SYS"-style topics.
    first = r"(?!\$)" if levels[0] in ("+", "#") else ""
    parts = [r"[^/]*" if level == "+" else re.escape(level) for level in levels if level != "#"]
    if levels[-1] != "#":
        return re.compile(first + "/".join(parts) + r"\Z", re.DOTALL)
    if not parts:
        return re.compile(first + r".*\Z", re.DOTALL)
    # "a/#" matches "a" itself as well as everything below it.
    return re.compile(first + "/".join(parts) + r"(?:/.*)?\Z", re.DOTALL)


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
    return _pattern(filter_).match(topic) is not None
