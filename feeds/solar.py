"""Sun position and sunrise/sunset after the NOAA solar calculator, vectorized over positions and times.

Accurate to about a minute for sunrise/sunset at mid latitudes, which is what lighting schedules need.
Times are epoch milliseconds (UTC); angles are degrees.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import numpy as np

SUNRISE_ELEVATION_DEG = -0.833
"""Upper limb on the horizon, with atmospheric refraction: the published sunrise and sunset."""
CIVIL_TWILIGHT_ELEVATION_DEG = -6.0
"""End of civil twilight: outdoor work needs artificial light below this elevation."""
LIGHTING_ELEVATION_DEG = -2.0
"""Where photocells and astronomical clocks switch street lights: about 10 minutes into civil twilight."""

_MS_PER_DAY = 86_400_000
_UNIX_EPOCH_JD = 2440587.5


def _sun_terms(ts_ms: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Declination (radians) and equation of time (minutes) at the given instants."""
    jc = (np.asarray(ts_ms, dtype=np.float64) / _MS_PER_DAY + _UNIX_EPOCH_JD - 2451545.0) / 36525.0
    mean_long = np.radians((280.46646 + jc * (36000.76983 + jc * 0.0003032)) % 360.0)
    mean_anom = np.radians(357.52911 + jc * (35999.05029 - 0.0001537 * jc))
    ecc = 0.016708634 - jc * (0.000042037 + 0.0000001267 * jc)
    centre = (
        np.sin(mean_anom) * (1.914602 - jc * (0.004817 + 0.000014 * jc))
        + np.sin(2 * mean_anom) * (0.019993 - 0.000101 * jc)
        + np.sin(3 * mean_anom) * 0.000289
    )
    omega = np.radians(125.04 - 1934.136 * jc)
    apparent_long = np.radians(np.degrees(mean_long) + centre - 0.00569 - 0.00478 * np.sin(omega))
    seconds = 21.448 - jc * (46.815 + jc * (0.00059 - jc * 0.001813))
    obliquity = np.radians(23.0 + (26.0 + seconds / 60.0) / 60.0 + 0.00256 * np.cos(omega))
    declination = np.arcsin(np.sin(obliquity) * np.sin(apparent_long))
    y = np.tan(obliquity / 2.0) ** 2
    eq_time = 4.0 * np.degrees(
        y * np.sin(2 * mean_long)
        - 2 * ecc * np.sin(mean_anom)
        + 4 * ecc * y * np.sin(mean_anom) * np.cos(2 * mean_long)
        - 0.5 * y * y * np.sin(4 * mean_long)
        - 1.25 * ecc * ecc * np.sin(2 * mean_anom)
    )
    return declination, eq_time


def sun_elevation(ts_ms: np.ndarray | int, lon: np.ndarray | float, lat: np.ndarray | float) -> np.ndarray:
    """Geometric elevation of the sun's centre above the horizon; arguments broadcast together."""
    ts = np.asarray(ts_ms, dtype=np.float64)
    declination, eq_time = _sun_terms(ts)
    minutes = (ts % _MS_PER_DAY) / 60_000.0
    solar_minutes = minutes + eq_time + 4.0 * np.asarray(lon, dtype=np.float64)
    hour_angle = np.radians(solar_minutes / 4.0 - 180.0)
    phi = np.radians(np.asarray(lat, dtype=np.float64))
    cos_zenith = np.sin(phi) * np.sin(declination) + np.cos(phi) * np.cos(declination) * np.cos(hour_angle)
    return 90.0 - np.degrees(np.arccos(np.clip(cos_zenith, -1.0, 1.0)))


def sun_times(
    day: date, lon: np.ndarray | float, lat: np.ndarray | float, elevation_deg: float = SUNRISE_ELEVATION_DEG
) -> tuple[np.ndarray, np.ndarray]:
    """When the sun rises through and sets through ``elevation_deg`` on a UTC ``day`` (epoch ms).

    NaN where it never crosses that elevation that day (polar day or night).
    """
    lon_a = np.asarray(lon, dtype=np.float64)
    phi = np.radians(np.asarray(lat, dtype=np.float64))
    midnight = datetime(day.year, day.month, day.day, tzinfo=UTC).timestamp() * 1000.0
    events = []
    for sign in (-1.0, 1.0):
        event = midnight + (720.0 - 4.0 * lon_a) * 60_000.0
        for _ in range(3):
            declination, eq_time = _sun_terms(event)
            cos_ha = (np.sin(np.radians(elevation_deg)) - np.sin(phi) * np.sin(declination)) / (
                np.cos(phi) * np.cos(declination)
            )
            with np.errstate(invalid="ignore"):
                hour_angle = np.degrees(np.arccos(np.where(np.abs(cos_ha) <= 1.0, cos_ha, np.nan)))
            noon_minutes = 720.0 - 4.0 * lon_a - eq_time
            event = midnight + (noon_minutes + sign * 4.0 * hour_angle) * 60_000.0
        events.append(event)
    return events[0], events[1]


def sunrise_sunset(
    day: date, lon: np.ndarray | float, lat: np.ndarray | float, civil: bool = False
) -> tuple[np.ndarray, np.ndarray]:
    """Published sunrise and sunset (epoch ms), or dawn and dusk of civil twilight with ``civil=True``."""
    return sun_times(day, lon, lat, CIVIL_TWILIGHT_ELEVATION_DEG if civil else SUNRISE_ELEVATION_DEG)
