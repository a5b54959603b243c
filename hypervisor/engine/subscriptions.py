"""What an engine subscribes to, known before the engine is built (the embedded city subscribes first)."""

from __future__ import annotations

from feeds.decoding import Decoder
from feeds.topics import Topics


def engine_filters(decoder: Decoder, topics: Topics, follows_clock: bool) -> list[str]:
    """Every filter an engine subscribes to: what its decoder reads, the commands, and a simulator's clock."""
    return [*decoder.subscriptions(), topics.all_commands, *([topics.sim_clock] if follows_clock else [])]
