"""Inventories as city GIS exports come: CSV in any encoding and delimiter, Shapefile in Lambert-93, KML,
polygons, their own field names; every problem listed with its feature and field."""

from __future__ import annotations

import json
import os
import struct
import subprocess
import sys
from pathlib import Path

import numpy as np
import pyogrio
import pytest
from pyproj import Transformer

from feeds.inventory import FieldMapping, InventoryError, load_inventory, read_inventory

DIJON = (5.0415, 47.3220)
HEADER = "id;domain;kind;district;lon;lat;capacity_l;nominal_bar\n"


def test_latin1_french_csv(tmp_path: Path) -> None:
    path = tmp_path / "bornes.csv"
    path.write_bytes("id,domain,kind,district,lon,lat,waste_type\n"
                     "D-C-1,waste,container,Fontaine-lès-Dijon,5.02,47.34,végétaux\n".encode("latin-1"))
    asset = load_inventory(path).get("D-C-1")
    assert asset is not None and asset.district == "Fontaine-lès-Dijon" and asset.attrs["waste_type"] == "végétaux"


def test_excel_csv_with_byte_order_mark(tmp_path: Path) -> None:
    path = tmp_path / "excel.csv"
    path.write_bytes(b"\xef\xbb\xbf" + b"id,domain,kind,district,lon,lat\nL-C-1,lighting,cabinet,Talant,5.0,47.33\n"
)
    assert [a.id for a in load_inventory(path)] == ["L-C-1"]


def test_semicolon_csv_with_decimal_commas(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text(HEADER + "W-P-1;water;pressure_sensor;Chenôve;5,0162;47,2919;;4,5\n", encoding="utf-8")
    asset = load_inventory(path)["W-P-1"]
    assert (asset.lon, asset.lat, asset.attrs) == (5.0162, 47.2919, {"nominal_bar": 4.5})


def test_csv_keeps_leading_zeros_of_identifiers(tmp_path: Path) -> None:
    path = tmp_path / "ids.csv"
    path.write_text("id,domain,kind,district,lon,lat,parent\n007,lighting,cabinet,21000,5.0,47.3,\n")
    asset = load_inventory(path)["007"]
    assert asset.district == "21000"


def _wkb_point(x: float, y: float) -> bytes:
    return struct.pack("<BIdd", 1, 1, x, y)


def _wkb_polygon(ring: list[tuple[float, float]]) -> bytes:
    return struct.pack("<BII", 1, 3, 1) + struct.pack("<I", len(ring)) + b"".join(struct.pack("<dd", *p) for p in ring)


def _write(path: Path, geometries: list[bytes], columns: dict[str, list], crs: str, driver: str, kind: str) -> Path:
    fields = list(columns)
    data = [np.array(values, dtype=object if isinstance(values[0], str) else None) for values in columns.values()]
    pyogrio.raw.write(path, np.array(geometries, dtype=object), data, fields, driver=driver,
                      geometry_type=kind, crs=crs, encoding="UTF-8")
    return path


def test_lambert93_shapefile_with_its_own_field_names(tmp_path: Path) -> None:
    to_l93 = Transformer.from_crs("EPSG:4326", "EPSG:2154", always_xy=True)
    x, y = to_l93.transform(*DIJON)
    path = _write(tmp_path / "eclairage.shp", [_wkb_point(x, y), _wkb_point(x + 100, y)],
                  {"IDENT": ["EP-0001", "EP-0002"], "COMMUNE": ["Dijon", "Dijon"], "PUISS_W": [70, 36]},
                  "EPSG:2154", "ESRI Shapefile", "Point")
    mapping = FieldMapping.parse("id=IDENT,kind=luminaire,district=COMMUNE")
    inventory = load_inventory(path, mapping)
    lamp = inventory["EP-0001"]
    assert (lamp.kind, lamp.domain, lamp.district) == ("luminaire", "lighting", "Dijon")
    assert (round(lamp.lon, 5), round(lamp.lat, 5)) == DIJON
    assert lamp.attrs == {"PUISS_W": 70}


def test_kml_polygons_are_kept_with_their_centroid_as_position(tmp_path: Path) -> None:
    square = [(5.040, 47.320), (5.042, 47.320), (5.042, 47.322), (5.040, 47.322), (5.040, 47.320)]
    path = _write(tmp_path / "batiments.kml", [_wkb_polygon(square)],
                  {"Name": ["H-B-001"], "description": ["Groupe scolaire"]}, "EPSG:4326", "KML", "Polygon")
    mapping_file = tmp_path / "map.toml"
    mapping_file.write_text('[map]\nid = "Name"\nkind = "building"\ndistrict = "Centre"\n')
    building = load_inventory(path, FieldMapping.load(mapping_file))["H-B-001"]
    assert (round(building.lon, 4), round(building.lat, 4)) == (5.041, 47.321)
    assert building.attrs["outline"]["type"] == "Polygon"
    assert building.attrs["description"] == "Groupe scolaire"


def test_every_problem_is_listed_with_feature_and_field(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(HEADER + "W-P-1;water;pressure_sensor;;5,0;47,3;;\n"
                    "W-P-2;gas;pressure_sensor;Talant;5,0;47,3;;\n"
                    "W-P-3;water;pressure_sensor;Talant;est;47,3;;\n"
                    "W-P-4;water;pressure_sensor;Talant;5,0;47,3;;\n", encoding="utf-8")
    with pytest.raises(InventoryError) as caught:
        load_inventory(path)
    shown = [str(p) for p in caught.value.problems]
    assert shown == [
        "bad.csv: line 2 (W-P-1): field 'district' is missing or empty",
        "bad.csv: line 3 (W-P-2): field 'domain' is 'gas', expected one of "
        "['lighting', 'heating', 'waste', 'water']",
        "bad.csv: line 4 (W-P-3): field 'lon/lat' must be numbers, got ['est', 47.3]",
    ]
    reading = read_inventory(path)
    assert [a.id for a in reading.assets] == ["W-P-4"]
    assert reading.counts()["problem"] == {"district: missing": 1, "domain: unknown value": 1,
                                           "lon/lat: not a number": 1}


def _cli(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[1])}
    return subprocess.run([sys.executable, "-m", "hypervisor", "inventory", "check", *args],
                          capture_output=True, text=True, env=env, timeout=120, check=False)


def test_cli_check_counts_by_kind_district_and_problem(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_bytes(("IDENT;COMMUNE;lon;lat\nEP-1;Chenôve;5,01;47,29\nEP-2;Chenôve;5,02;47,29\n"
                      "EP-3;;5,03;47,29\n").encode("cp1252"))
    done = _cli(str(path), "--map", "id=IDENT,kind=luminaire,district=COMMUNE")
    assert done.returncode == 1, done.stderr
    assert "3 features, 2 assets, 1 problems" in done.stdout
    assert "luminaire  2" in done.stdout and "Chenôve  2" in done.stdout and "district: missing  1" in done.stdout
    assert "line 4 (EP-3): field 'district' is missing or empty" in done.stdout


@pytest.mark.parametrize(
    ("content", "words"),
    [(b"\x00\x01binary", "cannot be read as a GIS file"), (b"IDENT;NOM\nA;B\n", "missing column(s)")],
)
def test_cli_check_explains_bad_files_without_a_traceback(tmp_path: Path, content: bytes, words: str) -> None:
    path = tmp_path / ("broken.shp" if content.startswith(b"\x00") else "plain.csv")
    path.write_bytes(content)
    done = _cli(str(path))
    assert done.returncode == 2
    assert words in done.stderr and "Traceback" not in done.stderr + done.stdout


def test_geojson_export_with_a_legacy_lambert93_crs_member(tmp_path: Path) -> None:
    x, y = Transformer.from_crs("EPSG:4326", "EPSG:2154", always_xy=True).transform(*DIJON)
    doc = {"type": "FeatureCollection", "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::2154"}},
           "features": [{"type": "Feature", "geometry": {"type": "Point", "coordinates": [x, y]},
                         "properties": {"id": "L-C-9", "kind": "cabinet", "district": "Dijon"}}]}
    path = tmp_path / "armoires.geojson"
    path.write_text(json.dumps(doc))
    cabinet = load_inventory(path)["L-C-9"]
    assert (cabinet.domain, round(cabinet.lon, 5), round(cabinet.lat, 5)) == ("lighting", *DIJON)
