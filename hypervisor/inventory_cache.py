"""The checked inventory kept between starts.

Reading and checking the 38,000 features of the Dijon GeoJSON takes seconds on every start; decoding the
checked assets again takes a fraction of that. The cache is keyed by the file's path, and stamped with its
size, modification time, the field mapping and the asset fields: any change, or an unreadable cache, reads
the file again.
"""

from __future__ import annotations

import hashlib
import logging
import os
from dataclasses import fields
from pathlib import Path

import msgspec

from feeds.inventory import Asset, Inventory, load_inventory
from feeds.inventory_fields import FieldMapping
from hypervisor import paths

log = logging.getLogger(__name__)


class _Cached(msgspec.Struct):
    stamp: str
    assets: list[Asset]


_DECODER = msgspec.msgpack.Decoder(_Cached)


def _stamp(path: Path, mapping: FieldMapping) -> str:
    stat = path.stat()
    names = ",".join(f.name for f in fields(Asset))
    return f"{stat.st_size}:{stat.st_mtime_ns}:{sorted(mapping.columns.items())}:{names}"


def load_inventory_cached(path: Path, mapping: FieldMapping | None = None, cache_dir: Path | None = None) -> Inventory:
    """``load_inventory(path, mapping)``, from the cache when the file has not changed since it was checked."""
    path = Path(path).resolve()
    mapping = mapping or FieldMapping()
    try:
        stamp = _stamp(path, mapping)
    except OSError:
        return load_inventory(path, mapping)  # the file's own error, worded by the loader
    cache = (cache_dir or paths.user_cache_dir()) / f"inventory-{hashlib.sha256(str(path).encode()).hexdigest()[:16]}"
    try:
        cached = _DECODER.decode(cache.read_bytes())
        if cached.stamp == stamp:
            return Inventory(cached.assets)
    except FileNotFoundError:
        pass
    except (OSError, msgspec.DecodeError, ValueError) as exc:
        log.warning("inventory cache %s unreadable (%s); reading %s again", cache, exc, path)
    inventory = load_inventory(path, mapping)
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        part = cache.with_suffix(f".{os.getpid()}.part")  # engine and consoles may start together
        part.write_bytes(msgspec.msgpack.encode(_Cached(stamp, inventory.assets)))
        os.replace(part, cache)
    except OSError as exc:
        log.warning("inventory cache not written to %s: %s", cache, exc)
    return inventory
