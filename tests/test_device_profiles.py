"""Device profiles (assets/devices/*.toml): shipped ones load, errors name file and line, reloads keep the last
good version of a broken file."""

from __future__ import annotations

from pathlib import Path

import pytest

from feeds.devices import SHIPPED_PROFILES, DeviceProfiles, ProfileError, load_profile
from feeds.devices_watch import ProfileWatch
from feeds.inventory import Asset

GOOD = """[device]
id = "acme-bin"
name = "ACME bin sensor"
models = ["acme/bin-1"]
kinds = ["container"]

[fields.lvl]
metric = "fill_pct"
unit = "%"
"""


def test_shipped_profiles_load_without_errors() -> None:
    profiles = DeviceProfiles(SHIPPED_PROFILES)
    assert profiles.errors == []
    assert {"milesight-em500-pp", "dragino-ldds75", "dragino-lht65"} <= set(profiles.by_id)


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        (GOOD.replace('metric = "fill_pct"', 'metric = "fill_level"'), 8, "'metric' must be one of our metrics"),
        (GOOD.replace('unit = "%"', 'unit = "furlongs"'), 9, "unit 'furlongs' is not one we know"),
        (GOOD.replace('metric = "fill_pct"', 'metric = "pressure_bar"'), 8, "reported by none of the kinds"),
        (GOOD.replace('kinds = ["container"]', 'kinds = ["bin"]'), 5, "unknown kind 'bin'"),
        (GOOD.replace('unit = "%"', 'unit = "%"\nfactor = 2'), 10, "unknown key 'factor'"),
        (GOOD.replace('id = "acme-bin"', 'id = acme'), 2, "TOML syntax error"),
    ],
)
def test_profile_errors_name_the_line(tmp_path: Path, text: str, line: int, words: str) -> None:
    path = tmp_path / "acme.toml"
    path.write_text(text)
    with pytest.raises(ProfileError) as caught:
        load_profile(path)
    assert (caught.value.line, words in caught.value.message) == (line, True), str(caught.value)


def test_a_broken_file_keeps_its_last_good_version_on_reload(tmp_path: Path) -> None:
    (tmp_path / "acme.toml").write_text(GOOD)
    profiles = DeviceProfiles(tmp_path)
    bin_sensor = Asset("W-C-1", "waste", "container", "Centre", 5.0, 47.3)
    assert profiles.for_device(bin_sensor, "ACME/BIN-1") is profiles.by_id["acme-bin"]
    (tmp_path / "acme.toml").write_text(GOOD.replace('unit = "%"', 'unit = "furlongs"'))
    errors = profiles.reload()
    assert [e.line for e in errors] == [9]
    assert profiles.by_id["acme-bin"].fields["lvl"].unit == "%"


def test_an_asset_names_its_profile(tmp_path: Path) -> None:
    (tmp_path / "acme.toml").write_text(GOOD)
    profiles = DeviceProfiles(tmp_path)
    own = Asset("W-C-2", "waste", "container", "Centre", 5.0, 47.3, attrs={"device_profile": "acme-bin"})
    assert profiles.for_device(own, None) is profiles.by_id["acme-bin"]
    assert profiles.for_device(Asset("W-C-3", "waste", "container", "Centre", 5.0, 47.3), "other/model") is None


def test_the_engine_picks_up_a_new_profile_once_its_file_has_settled(tmp_path: Path) -> None:
    shipped = SHIPPED_PROFILES / "dragino-ldds75.toml"
    profiles = DeviceProfiles(tmp_path)
    watch = ProfileWatch(profiles)
    assert len(profiles) == 0 and not watch.poll()
    (tmp_path / "ldds75.toml").write_text(shipped.read_text(encoding="utf-8"), encoding="utf-8")
    assert not watch.poll(), "a file just written may be incomplete: read at the next poll"
    assert watch.poll() and len(profiles) == 1
    assert not watch.poll(), "nothing changed: nothing read"
    (tmp_path / "ldds75.toml").write_text("[profile\n", encoding="utf-8")
    watch.poll()
    watch.poll()
    assert len(profiles) == 1 and profiles.errors, "a broken file keeps its last good profile"
