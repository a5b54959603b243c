"""The generated streets: inside the real communes, named, and every asset standing along one."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import numpy as np
import orjson
import pytest

from feeds.citygen.communes import to_km
from feeds.citygen.outlines import commune_outlines
from feeds.citygen.streets import street_network
from feeds.inventory import Asset, Inventory

BASEMAP = Path(__file__).resolve().parents[1] / "assets" / "dijon" / "basemap.geojson"


class Streets:
    """The shipped basemap's streets as segments in km, by (commune, name)."""

    def __init__(self) -> None:
        doc = orjson.loads(BASEMAP.read_bytes())
        streets = [f for f in doc["features"] if f["properties"]["layer"] == "street"]
        self.keys = [(f["properties"]["commune"], f["properties"]["name"]) for f in streets]
        ends = np.array([f["geometry"]["coordinates"] for f in streets])
        self.a = np.column_stack(to_km(ends[:, 0, 0], ends[:, 0, 1]))
        self.b = np.column_stack(to_km(ends[:, 1, 0], ends[:, 1, 1]))
        delta = self.b - self.a
        self.length = np.hypot(delta[:, 0], delta[:, 1])
        self.direction = delta / self.length[:, None]

    def distances_m(self, assets: list[Asset]) -> np.ndarray:
        """Assets x streets: metres from each asset to each street's centre line."""
        x, y = to_km(np.array([a.lon for a in assets]), np.array([a.lat for a in assets]))
        offset = np.column_stack([x, y])[:, None, :] - self.a[None, :, :]
        along = np.clip((offset * self.direction).sum(axis=2), 0.0, self.length)
        gap = offset - self.direction * along[:, :, None]
        return np.hypot(gap[:, :, 0], gap[:, :, 1]) * 1000.0

    def own(self, asset: Asset) -> int:
        return self.keys.index((asset.commune, asset.attrs["street"]))


@pytest.fixture(scope="module")
def streets() -> Streets:
    return Streets()


def _sample(assets: list[Asset], n: int) -> list[Asset]:
    return assets[:: max(1, len(assets) // n)]


def test_every_luminaire_stands_at_the_kerb_of_the_street_it_names(dijon: Inventory, streets: Streets) -> None:
    lamps = dijon.of_kind("luminaire")
    own = np.array([streets.own(lamp) for lamp in lamps])
    for start in range(0, len(lamps), 4000):
        chunk = lamps[start : start + 4000]
        distance = streets.distances_m(chunk)[np.arange(len(chunk)), own[start : start + 4000]]
        assert distance.max() < 6.0, "a lamp stands more than a few metres from its street"
        assert distance.min() > 3.0, "lamps stand at the kerb, not in the carriageway's middle"


def test_lamps_of_a_street_are_regularly_spaced(dijon: Inventory) -> None:
    lamps = dijon.of_kind("luminaire")
    x, y = to_km(np.array([a.lon for a in lamps]), np.array([a.lat for a in lamps]))
    by_cabinet: dict[str, list[int]] = {}
    for i, lamp in enumerate(lamps):
        by_cabinet.setdefault(str(lamp.parent), []).append(i)
    gaps = []
    for members in by_cabinet.values():
        step = np.hypot(np.diff(x[members]), np.diff(y[members])) * 1000.0
        gaps.append(np.median(step))
    assert 20.0 < np.median(gaps) < 45.0, "a cabinet's lamps follow each other at street-light spacing"


def test_every_cabinet_stands_at_a_corner_and_feeds_its_street(dijon: Inventory, streets: Streets) -> None:
    cabinets = dijon.of_kind("cabinet")
    distance = streets.distances_m(cabinets)
    for n, cabinet in enumerate(cabinets):
        near = np.flatnonzero(distance[n] < 10.0)
        directions = streets.direction[near]
        crossing = np.abs(directions @ directions.T) < 0.5
        assert crossing.any(), f"{cabinet.id} is not at a crossroads"
        fed = {dijon.get(child).attrs["street"] for child in dijon.children(cabinet.id)}
        assert cabinet.attrs["street"] in fed


def test_containers_stand_on_the_pavement(dijon: Inventory, streets: Streets) -> None:
    containers = dijon.of_kind("container")
    nearest = streets.distances_m(containers).min(axis=1)
    assert nearest.min() > 5.0, "a container stands on the carriageway"
    assert nearest.max() < 10.0, "a container stands away from any pavement"


def test_every_asset_names_a_street_of_its_commune(dijon: Inventory, streets: Streets) -> None:
    known = set(streets.keys)
    assert all((asset.commune, asset.attrs["street"]) in known for asset in dijon)
    for kind in ("building", "pressure_sensor", "reservoir"):
        assets = dijon.of_kind(kind)
        own = np.array([streets.own(a) for a in assets])
        assert streets.distances_m(assets)[np.arange(len(assets)), own].max() < 50.0


def test_streets_lie_inside_their_commune_and_are_named_once_there(streets: Streets) -> None:
    outlines = commune_outlines()
    middle = (streets.a + streets.b) / 2.0
    for commune in {c for c, _ in streets.keys}:
        mine = np.array([c == commune for c, _ in streets.keys])
        points = np.vstack([streets.a[mine], streets.b[mine], middle[mine]])
        assert outlines[commune].contains(points[:, 0], points[:, 1]).all(), commune
    repeated = [key for key, count in Counter(streets.keys).items() if count > 1]
    assert not repeated
    kinds = Counter(name.split()[0] for _, name in streets.keys)
    assert kinds["Rue"] > kinds["Avenue"] > kinds["Boulevard"] > 0


def test_the_same_seed_gives_the_same_streets() -> None:
    generate = street_network.__wrapped__
    first, again, other = generate(7), generate(7), generate(8)
    assert first.streets == again.streets
    assert all(np.array_equal(a.nodes, b.nodes) for a, b in zip(first.districts, again.districts, strict=True))
    assert first.streets != other.streets
    assert street_network(2019) is street_network(2019), "the inventory and the basemap share one network"
