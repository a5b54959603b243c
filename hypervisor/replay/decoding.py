"""Historian blocks decoded safely from several threads at once (a replay's seek and its trend reads).

The historian's codecs keep one module-level ``zstandard.ZstdDecompressor``; zstandard objects must not
be used by two threads at the same time (python-zstandard: "instances are not thread safe"), and two
replay threads decoding together corrupt each other's output. :func:`decoding_guard` gives each thread
its own decompressor; should the codecs' names change, it falls back to a lock that lets one thread
decode at a time, with a warning.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from types import ModuleType
from typing import Any

import zstandard

from hypervisor.historian import codec, keyframes

log = logging.getLogger(__name__)

_LOCK = threading.Lock()
_CHECK = zstandard.ZstdCompressor().compress(b"hypervisor")


class PerThreadDecompressor:
    """``decompress`` through a decompressor of the calling thread's own."""

    def __init__(self) -> None:
        self._local = threading.local()

    def decompress(self, data: bytes, *args: Any, **kwargs: Any) -> bytes:
        own = getattr(self._local, "decompressor", None)
        if own is None:
            own = self._local.decompressor = zstandard.ZstdDecompressor()
        return own.decompress(data, *args, **kwargs)


def _per_thread(module: ModuleType) -> bool:
    current = getattr(module, "_DECOMPRESS", None)
    if isinstance(current, PerThreadDecompressor):
        return True
    if type(current) is not zstandard.ZstdDecompressor:
        return False
    replacement = PerThreadDecompressor()
    if replacement.decompress(_CHECK) != b"hypervisor":
        return False
    module._DECOMPRESS = replacement  # type: ignore[attr-defined]
    return True


def _install() -> contextlib.AbstractContextManager[Any]:
    if all(_per_thread(module) for module in (codec, keyframes)):
        return contextlib.nullcontext()
    log.warning("the historian's decompressors could not be made per thread: replay threads decode one at a time")
    return _LOCK


decoding_guard = _install()
"""Held around every historian read of a replay: nothing when each thread has its own decompressor."""
