"""Sun position and sunrise/sunset for Dijon, against published almanac times."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import numpy as np
import pytest

from feeds.solar import SUNRISE_ELEVATION_DEG, sun_elevation, sun_times, sunrise_sunset

PARIS = ZoneInfo("Europe/Paris")
DIJON = (5.0415, 47.3220)


def local_minutes(epoch_ms: float) -> float:
    moment = datetime.fromtimestamp(float(epoch_ms) / 1000.0, PARIS)
    return moment.hour * 60 + moment.minute + moment.second / 60


@pytest.mark.parametrize(
    ("day", "sunrise", "sunset"),
    [
        (date(2025, 6, 21), "05:44", "21:39"),
        (date(2025, 12, 21), "08:23", "16:53"),
        (date(2026, 3, 20), "06:42", "18:53"),
    ],
)
def test_dijon_sunrise_and_sunset_match_the_almanac(day: date, sunrise: str, sunset: str) -> None:
    rise, set_ = sunrise_sunset(day, *DIJON)
    for computed, published in ((rise, sunrise), (set_, sunset)):
        hours, minutes = map(int, published.split(":"))
        assert abs(local_minutes(computed) - (hours * 60 + minutes)) < 4


def test_civil_twilight_extends_the_day_by_about_half_an_hour_in_dijon() -> None:
    rise, set_ = sunrise_sunset(date(2025, 12, 21), *DIJON)
    dawn, dusk = sunrise_sunset(date(2025, 12, 21), *DIJON, civil=True)
    assert 30 <= (float(dusk) - float(set_)) / 60_000 <= 42
    assert 30 <= (float(rise) - float(dawn)) / 60_000 <= 42


def test_sun_sits_at_the_requested_elevation_at_the_computed_instants() -> None:
    rise, set_ = sun_times(date(2025, 9, 1), *DIJON, elevation_deg=-2.0)
    elevation = sun_elevation(np.array([rise, set_]).astype(np.int64), *DIJON)
    assert np.allclose(elevation, -2.0, atol=0.05)
    _, sunset = sun_times(date(2025, 9, 1), *DIJON)
    assert sun_elevation(int(sunset), *DIJON) == pytest.approx(SUNRISE_ELEVATION_DEG, abs=0.05)


def test_noon_sun_at_the_equinox_stands_at_ninety_degrees_minus_latitude() -> None:
    noon = int(datetime(2026, 3, 20, 11, 50, tzinfo=ZoneInfo("UTC")).timestamp() * 1000)
    assert float(sun_elevation(noon, *DIJON)) == pytest.approx(90.0 - DIJON[1], abs=1.0)


def test_positions_are_vectorized_and_the_sun_sets_first_in_the_east() -> None:
    lon = np.array([4.94, 5.04, 5.18])
    lat = np.array([47.30, 47.32, 47.31])
    _, sets = sunrise_sunset(date(2026, 1, 15), lon, lat)
    assert sets.shape == (3,)
    assert sets[0] > sets[1] > sets[2]
    assert sun_elevation(1768478400000, lon, lat).shape == (3,)


def test_no_sunrise_in_the_polar_night() -> None:
    rise, set_ = sunrise_sunset(date(2025, 12, 21), 15.0, 80.0)
    assert np.isnan(rise) and np.isnan(set_)
