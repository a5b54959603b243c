"""Starting again reads the checked inventory from the cache, and never a stale one."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from feeds.inventory import InventoryError
from hypervisor.inventory_cache import load_inventory_cached


def _write(path: Path, lamps: int, power_w: float = 40.0) -> Path:
    features = [{"type": "Feature", "geometry": {"type": "Point", "coordinates": [5.04 + k / 1000, 47.32]},
                 "properties": {"id": f"lamp-{k}", "kind": "luminaire", "district": "Talant", "power_w": power_w}}
                for k in range(lamps)]
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    return path


def test_an_edited_inventory_is_read_again_not_taken_from_the_cache(tmp_path: Path) -> None:
    source = _write(tmp_path / "city.geojson", 3)
    first = load_inventory_cached(source, cache_dir=tmp_path / "cache")
    again = load_inventory_cached(source, cache_dir=tmp_path / "cache")
    assert [a.id for a in again] == [a.id for a in first] == ["lamp-0", "lamp-1", "lamp-2"]
    assert again["lamp-1"] == first["lamp-1"]
    _write(source, 4, power_w=55.0)
    edited = load_inventory_cached(source, cache_dir=tmp_path / "cache")
    assert len(edited) == 4 and edited["lamp-3"].attrs["power_w"] == 55.0


def test_a_damaged_cache_is_read_around_and_replaced(tmp_path: Path) -> None:
    source = _write(tmp_path / "city.geojson", 2)
    load_inventory_cached(source, cache_dir=tmp_path / "cache")
    (cached,) = (tmp_path / "cache").iterdir()
    cached.write_bytes(b"\x93not a cache")
    assert [a.id for a in load_inventory_cached(source, cache_dir=tmp_path / "cache")] == ["lamp-0", "lamp-1"]
    assert load_inventory_cached(source, cache_dir=tmp_path / "cache")["lamp-1"].district == "Talant"


def test_a_broken_inventory_is_still_refused_with_its_problems(tmp_path: Path) -> None:
    source = tmp_path / "city.geojson"
    source.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [5.0, 47.3]}, "properties": {"id": "x"}}]}))
    with pytest.raises(InventoryError, match="problem"):
        load_inventory_cached(source, cache_dir=tmp_path / "cache")
    assert not (tmp_path / "cache").exists()
