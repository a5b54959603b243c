"""A city's own inventory: GeoJSON from its GIS, or CSV with lon/lat; errors name the feature and field."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from feeds.inventory import InventoryError, load_inventory


def feature(**props: object) -> dict:
    coords = props.pop("coordinates", [5.0415, 47.3220])
    base = {"id": "L-C-001", "domain": "lighting", "kind": "cabinet", "district": "Centre-ville"}
    return {"type": "Feature", "geometry": {"type": "Point", "coordinates": coords}, "properties": {**base, **props}}


def write(path: Path, *features: dict) -> Path:
    path.write_text(json.dumps({"type": "FeatureCollection", "features": list(features)}))
    return path


def test_geojson_with_parents_aliases_and_attributes(tmp_path: Path) -> None:
    inventory = load_inventory(write(
        tmp_path / "city.geojson",
        feature(),
        feature(id="L-L-00001", kind="luminaire", parent="L-C-001", nominal_power_w=36,
                aliases=["urn:ngsi-ld:Streetlight:dijon:L-L-00001", "70B3D57ED0001234"]),
    ))
    lamp = inventory.resolve("urn:ngsi-ld:Streetlight:dijon:L-L-00001")
    assert lamp is not None and lamp.id == "L-L-00001" and lamp.attrs["nominal_power_w"] == 36
    assert inventory.resolve("70B3D57ED0001234") is lamp
    assert inventory.children("L-C-001") == ["L-L-00001"]
    assert inventory.lon.shape == (2,)


@pytest.mark.parametrize(
    ("bad", "words"),
    [
        (feature(district=None), "feature #1 (L-C-001): field 'district'"),
        (feature(domain="gas"), "field 'domain' is 'gas'"),
        (feature(kind="luminaire", domain="water"), "field 'kind' 'luminaire' belongs to domain 'lighting'"),
        (feature(coordinates=[500, 47]), "field 'coordinates' out of range"),
        (feature(id="L-L-9", kind="luminaire", parent="L-C-999"), "parent' names unknown asset 'L-C-999'"),
        (feature(id="a/b"), "field 'id' must not contain"),
        (feature(aliases=7), "field 'aliases'"),
        ({"type": "Feature", "geometry": None, "properties": {"id": "X"}}, "feature #1 (X): field 'geometry'"),
    ],
)
def test_geojson_errors_name_the_feature_and_field(tmp_path: Path, bad: dict, words: str) -> None:
    path = write(tmp_path / "city.geojson", feature(id="L-C-000"), bad)
    with pytest.raises(InventoryError, match=words.replace("(", r"\(").replace(")", r"\)")):
        load_inventory(path)


def test_duplicate_ids_and_broken_json_are_reported(tmp_path: Path) -> None:
    with pytest.raises(InventoryError, match="duplicate id"):
        load_inventory(write(tmp_path / "dup.geojson", feature(), feature()))
    broken = tmp_path / "broken.geojson"
    broken.write_text('{"type": "FeatureCollection", "features": [\n{"type": }]}')
    with pytest.raises(InventoryError, match="line 2"):
        load_inventory(broken)


def test_csv_with_lon_lat_columns(tmp_path: Path) -> None:
    path = tmp_path / "containers.csv"
    path.write_text(
        "id,domain,kind,district,lon,lat,capacity_l,waste_type,aliases\n"
        "D-C-0001,waste,container,Grésilles,5.0601,47.3384,3000,glass,urn:ngsi-ld:WasteContainer:D-C-0001;0004A30B001C0530\n"
    )
    inventory = load_inventory(path)
    container = inventory.resolve("0004A30B001C0530")
    assert container is not None and container.attrs == {"capacity_l": 3000, "waste_type": "glass"}
    assert (container.lon, container.lat) == (5.0601, 47.3384)


def test_csv_errors_name_the_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("id,domain,kind,district,lon,lat\nW-P-001,water,pressure_sensor,Talant,east,47.3\n")
    words = r"line 2 \(W-P-001\): field 'lon/lat' must be numbers, got \['east', 47.3\]"
    with pytest.raises(InventoryError, match=words):
        load_inventory(path)
    missing = tmp_path / "missing.csv"
    missing.write_text("id,kind,lon,lat\n")
    with pytest.raises(InventoryError, match="missing column"):
        load_inventory(missing)
