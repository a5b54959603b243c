"""Zstandard compression for the historian's blocks and keyframes, safe from any thread.

python-zstandard's compressor and decompressor objects must not be used by two threads at once (two
threads decoding through one shared decompressor corrupt each other's output), so each thread keeps its own.
"""

from __future__ import annotations

import threading

import zstandard

ZstdError = zstandard.ZstdError


class Zstd:
    """``compress`` and ``decompress`` at one level, through objects of the calling thread's own."""

    def __init__(self, level: int) -> None:
        self.level = level
        self._local = threading.local()

    def compress(self, data: bytes) -> bytes:
        own = getattr(self._local, "compressor", None)
        if own is None:
            own = self._local.compressor = zstandard.ZstdCompressor(level=self.level)
        return own.compress(data)

    def decompress(self, data: bytes) -> bytes:
        own = getattr(self._local, "decompressor", None)
        if own is None:
            own = self._local.decompressor = zstandard.ZstdDecompressor()
        return own.decompress(data)
