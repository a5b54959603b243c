"""The generated Dijon Métropole: a full-scale, deterministic inventory and a drawable basemap."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import numpy as np
import orjson
import pytest

from feeds.citygen import COMMUNES, DISTRICTS, generate_basemap, generate_inventory
from feeds.citygen.__main__ import main
from feeds.citygen.communes import to_km
from feeds.citygen.inventory import encode
from feeds.inventory import Inventory, load_inventory

SHIPPED = Path(__file__).resolve().parents[1] / "assets" / "dijon"
PERIODS = {"luminaire": 900, "cabinet": 300, "building": 300, "boiler": 300, "substation": 300,
           "container": 1800, "pressure_sensor": 60, "flow_meter": 60, "reservoir": 300, "quality_probe": 300}
QUARTIERS = {"Centre-ville", "Université", "Grésilles", "Fontaine d'Ouche", "Maladière", "Chevreul-Parc",
             "Montchapet", "Toison d'Or", "Bourroches-Port du Canal"}


@pytest.fixture(scope="module")
def shipped_bytes() -> bytes:
    return (SHIPPED / "inventory.geojson").read_bytes()


@pytest.fixture(scope="module")
def city() -> Inventory:
    return load_inventory(SHIPPED / "inventory.geojson")


def test_same_seed_gives_the_same_bytes_and_the_shipped_file_is_current(shipped_bytes: bytes) -> None:
    assert encode(generate_inventory()) == shipped_bytes
    assert len(shipped_bytes) < 14_000_000


def test_another_seed_gives_another_city() -> None:
    first = generate_inventory(seed=1)["features"][5000]
    second = generate_inventory(seed=2)["features"][5000]
    assert first["geometry"] != second["geometry"]


def test_full_scale_counts_and_the_ids_scenarios_name(city: Inventory) -> None:
    kinds = Counter(asset.kind for asset in city)
    assert 33_000 <= kinds["luminaire"] <= 35_000
    assert 1_000 <= kinds["cabinet"] <= 1_200
    assert kinds["building"] == 180 and kinds["boiler"] + kinds["substation"] == 180
    assert kinds["container"] >= 2_000
    assert 140 <= kinds["pressure_sensor"] <= 160 and kinds["flow_meter"] == 60
    assert kinds["reservoir"] == 15 and kinds["quality_probe"] == 40
    for asset_id in ("L-C-001", "L-C-044", "L-L-00001", "H-B-001", "D-C-0001", "W-P-012", "W-Q-001", "W-R-01"):
        assert asset_id in city


def test_every_asset_reports_on_the_period_of_its_kind(city: Inventory) -> None:
    assert all(asset.attrs["report_period_s"] == PERIODS[asset.kind] for asset in city)


def test_districts_are_quartiers_in_dijon_and_communes_elsewhere(city: Inventory) -> None:
    assert len(COMMUNES) == 23
    assert {asset.commune for asset in city} == set(COMMUNES)
    assert {a.district for a in city if a.commune == "Dijon"} == QUARTIERS
    assert all(a.district == a.commune for a in city if a.commune != "Dijon")


def test_every_lamp_hangs_near_its_cabinet_and_dijon_is_densest(city: Inventory) -> None:
    lamps = city.of_kind("luminaire")
    cabinet = np.array([city.index[lamp.parent] for lamp in lamps])
    lamp_x, lamp_y = to_km(np.array([a.lon for a in lamps]), np.array([a.lat for a in lamps]))
    cab_x, cab_y = to_km(city.lon[cabinet], city.lat[cabinet])
    assert np.hypot(lamp_x - cab_x, lamp_y - cab_y).max() < 2.0
    per_cabinet = Counter(lamp.parent for lamp in lamps)
    assert min(per_cabinet.values()) >= 5 and set(per_cabinet) == {a.id for a in city.of_kind("cabinet")}
    per_person = Counter(a.district for a in lamps)
    population = {d.name: d.population for d in DISTRICTS}
    assert per_person["Centre-ville"] > per_person["Flavignerot"] * 10
    assert per_person["Flavignerot"] / population["Flavignerot"] > per_person["Centre-ville"] / 22_000


def test_heating_and_water_attributes_needed_by_the_simulator(city: Inventory) -> None:
    for building in city.of_kind("building"):
        sources = city.children(building.id)
        assert len(sources) == 1 and sources[0][:4] in ("H-K-", "H-S-")
        assert building.attrs["comfort_min_c"] < building.attrs["setpoint_c"] < building.attrs["comfort_max_c"]
        assert re.match(r"^(mon|tue|wed|thu|fri|sat|sun)", building.attrs["occupancy"])
    district_meters = [m for m in city.of_kind("flow_meter") if m.attrs["role"] == "district"]
    assert {m.district for m in district_meters} == {d.name for d in DISTRICTS}
    assert all(0 < m.attrs["night_min_m3h"] < m.attrs["nominal_m3h"] for m in district_meters)
    assert all(3.0 <= p.attrs["nominal_bar"] <= 6.0 for p in city.of_kind("pressure_sensor"))
    waste = Counter(c.attrs["waste_type"] for c in city.of_kind("container"))
    assert set(waste) == {"glass", "household", "recycling", "paper"}


def test_foreign_ids_resolve_to_our_assets(city: Inventory) -> None:
    assert city.resolve("urn:ngsi-ld:Streetlight:dijon:L-L-00001").id == "L-L-00001"
    assert city.resolve("urn:ngsi-ld:WasteContainer:dijon:D-C-0001").id == "D-C-0001"
    assert city.resolve("urn:ngsi-ld:WaterQualityObserved:dijon:W-Q-001").id == "W-Q-001"
    assert city.resolve("urn:dev:hv:W-P-012").id == "W-P-012"
    for asset in city:
        if asset.kind == "container" or asset.domain == "water":
            euis = [a for a in asset.aliases if re.fullmatch(r"[0-9A-F]{16}", a)]
            assert len(euis) == 1


def test_basemap_has_every_layer_inside_the_metropole() -> None:
    doc = generate_basemap()
    assert encode(doc) == (SHIPPED / "basemap.geojson").read_bytes()
    layers = Counter(f["properties"]["layer"] for f in doc["features"])
    assert layers["district"] == 31 and layers["road"] >= 20 and layers["commune"] == 23
    assert "tram_stop" not in layers, "stop names would crowd the city view"
    names = {f["properties"]["name"] for f in doc["features"]}
    assert {"Ouche", "Lac Kir", "T1", "T2"} <= names
    points = []
    for f in doc["features"]:
        coords = f["geometry"]["coordinates"]
        if f["geometry"]["type"] == "MultiPolygon":
            coords = [point for polygon in coords for point in polygon[0]]
        elif f["geometry"]["type"] == "Polygon":
            assert coords[0][0] == coords[0][-1]
            coords = coords[0]
        points += coords if f["geometry"]["type"] != "Point" else [coords]
    lon, lat = np.array(points).T
    assert lon.min() > 4.89 and lon.max() < 5.23 and lat.min() > 47.21 and lat.max() < 47.40


def test_command_line_writes_both_files(tmp_path: Path) -> None:
    main([str(tmp_path / "dijon"), "--seed", "7"])
    basemap = orjson.loads((tmp_path / "dijon" / "basemap.geojson").read_bytes())
    assert basemap["type"] == "FeatureCollection"
    assert len(load_inventory(tmp_path / "dijon" / "inventory.geojson")) > 37_000
