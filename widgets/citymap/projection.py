"""Longitude/latitude to local metres around the city centre.

An equirectangular projection scaled by cos(latitude) at the centre: across a city (~20 km) its
distortion stays far below a marker's size, and it is a single multiply-add per coordinate.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

EARTH_RADIUS_M = 6_371_008.8
_M_PER_DEG = EARTH_RADIUS_M * math.pi / 180.0


@dataclass(frozen=True, slots=True)
class CityProjection:
    """Maps lon/lat (degrees) to x east / y north (metres) from (`lon0`, `lat0`)."""

    lon0: float
    lat0: float

    @classmethod
    def around(cls, lon: np.ndarray, lat: np.ndarray) -> CityProjection:
        """A projection centred on the middle of the bounding box of these points."""
        lon = np.asarray(lon, dtype=np.float64)
        lat = np.asarray(lat, dtype=np.float64)
        if lon.size == 0:
            return cls(0.0, 0.0)
        return cls(
            float((np.nanmin(lon) + np.nanmax(lon)) / 2.0),
            float((np.nanmin(lat) + np.nanmax(lat)) / 2.0),
        )

    @property
    def _kx(self) -> float:
        return _M_PER_DEG * math.cos(math.radians(self.lat0))

    def forward(self, lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Projected (x, y) in metres as float64 arrays."""
        x = (np.asarray(lon, dtype=np.float64) - self.lon0) * self._kx
        y = (np.asarray(lat, dtype=np.float64) - self.lat0) * _M_PER_DEG
        return x, y

    def inverse(self, x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Longitude and latitude (degrees) of projected points."""
        lon = np.asarray(x, dtype=np.float64) / self._kx + self.lon0
        lat = np.asarray(y, dtype=np.float64) / _M_PER_DEG + self.lat0
        return lon, lat
