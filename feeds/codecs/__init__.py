"""Payload codecs: contract v1 and the foreign formats cities already publish, by format name."""

from __future__ import annotations

from collections.abc import Callable

from feeds.codecs.context import ForeignContext
from feeds.codecs.lorawan import decode_chirpstack, decode_tts
from feeds.codecs.ngsi import decode_ngsi
from feeds.codecs.senml import decode_senml
from feeds.codecs.v1 import V1Codec
from feeds.model import Reading

ForeignCodec = Callable[[object, ForeignContext], list[Reading]]
"""Turns a parsed foreign document into readings, or raises ``Rejected``."""

FOREIGN_CODECS: dict[str, ForeignCodec] = {
    "senml": decode_senml,
    "ngsi-ld": decode_ngsi,
    "tts": decode_tts,
    "chirpstack": decode_chirpstack,
}

__all__ = ["FOREIGN_CODECS", "ForeignCodec", "ForeignContext", "V1Codec"]
