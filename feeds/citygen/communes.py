"""The 23 communes of Dijon Métropole and the quartiers of Dijon: names, centres, populations.

Centres and populations are rounded public figures; they place and size the simulated city, nothing more.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

ORIGIN_LON = 5.0415
ORIGIN_LAT = 47.3220
"""Place Darcy area, the origin of the local kilometre grid."""

_KM_PER_DEG_LAT = 110.57
_KM_PER_DEG_LON = 111.32 * float(np.cos(np.radians(ORIGIN_LAT)))


@dataclass(frozen=True, slots=True)
class District:
    """A supervision district: a quartier of Dijon or one of the 22 other communes."""

    name: str
    commune: str
    lon: float
    lat: float
    population: int
    reach_km: float
    """How far the built-up area extends from the centre; caps the district's cell on the map."""

    @property
    def dense(self) -> bool:
        """Dense urban fabric (Dijon and the larger suburbs): more lights, containers, faster filling."""
        return self.commune == "Dijon" or self.population >= 9000


DIJON_QUARTIERS: tuple[District, ...] = (
    District("Centre-ville", "Dijon", 5.0415, 47.3220, 22000, 1.3),
    District("Montchapet", "Dijon", 5.0220, 47.3335, 20000, 1.5),
    District("Toison d'Or", "Dijon", 5.0520, 47.3520, 14000, 1.8),
    District("Grésilles", "Dijon", 5.0640, 47.3360, 14000, 1.5),
    District("Maladière", "Dijon", 5.0620, 47.3235, 20000, 1.4),
    District("Université", "Dijon", 5.0730, 47.3105, 18000, 1.6),
    District("Chevreul-Parc", "Dijon", 5.0470, 47.3065, 22000, 1.5),
    District("Bourroches-Port du Canal", "Dijon", 5.0250, 47.3085, 14000, 1.5),
    District("Fontaine d'Ouche", "Dijon", 5.0040, 47.3190, 15000, 1.6),
)

OUTER_COMMUNES: tuple[District, ...] = (
    District("Ahuy", "Ahuy", 5.0228, 47.3708, 1200, 1.3),
    District("Bressey-sur-Tille", "Bressey-sur-Tille", 5.1847, 47.3100, 1000, 1.6),
    District("Bretenière", "Bretenière", 5.1111, 47.2389, 900, 1.6),
    District("Chenôve", "Chenôve", 5.0086, 47.2925, 14000, 1.7),
    District("Chevigny-Saint-Sauveur", "Chevigny-Saint-Sauveur", 5.1350, 47.3011, 11000, 1.9),
    District("Corcelles-les-Monts", "Corcelles-les-Monts", 4.9383, 47.2989, 650, 1.7),
    District("Daix", "Daix", 4.9997, 47.3522, 1500, 1.2),
    District("Fénay", "Fénay", 5.0619, 47.2347, 1500, 1.7),
    District("Flavignerot", "Flavignerot", 4.9594, 47.2900, 200, 1.4),
    District("Fontaine-lès-Dijon", "Fontaine-lès-Dijon", 5.0200, 47.3430, 9000, 1.1),
    District("Hauteville-lès-Dijon", "Hauteville-lès-Dijon", 4.9939, 47.3653, 1200, 1.3),
    District("Longvic", "Longvic", 5.0650, 47.2867, 9000, 1.8),
    District("Magny-sur-Tille", "Magny-sur-Tille", 5.1744, 47.2822, 900, 1.6),
    District("Marsannay-la-Côte", "Marsannay-la-Côte", 4.9889, 47.2711, 5300, 1.7),
    District("Neuilly-Crimolois", "Neuilly-Crimolois", 5.1170, 47.2790, 2900, 1.6),
    District("Ouges", "Ouges", 5.0733, 47.2617, 1500, 1.4),
    District("Perrigny-lès-Dijon", "Perrigny-lès-Dijon", 5.0058, 47.2664, 1700, 1.3),
    District("Plombières-lès-Dijon", "Plombières-lès-Dijon", 4.9633, 47.3372, 2800, 1.8),
    District("Quetigny", "Quetigny", 5.1069, 47.3144, 9600, 1.5),
    District("Saint-Apollinaire", "Saint-Apollinaire", 5.0856, 47.3333, 7500, 1.6),
    District("Sennecey-lès-Dijon", "Sennecey-lès-Dijon", 5.1042, 47.2892, 2200, 1.2),
    District("Talant", "Talant", 5.0086, 47.3361, 11000, 1.2),
)

DISTRICTS: tuple[District, ...] = DIJON_QUARTIERS + OUTER_COMMUNES
COMMUNES: tuple[str, ...] = ("Dijon", *(d.commune for d in OUTER_COMMUNES))


def to_km(lon: np.ndarray | float, lat: np.ndarray | float) -> tuple[np.ndarray, np.ndarray]:
    """Project lon/lat to kilometres east/north of the origin (equirectangular is exact enough at 20 km)."""
    x = (np.asarray(lon, dtype=np.float64) - ORIGIN_LON) * _KM_PER_DEG_LON
    y = (np.asarray(lat, dtype=np.float64) - ORIGIN_LAT) * _KM_PER_DEG_LAT
    return x, y


def to_lonlat(x: np.ndarray | float, y: np.ndarray | float) -> tuple[np.ndarray, np.ndarray]:
    """Inverse of :func:`to_km`."""
    lon = np.asarray(x, dtype=np.float64) / _KM_PER_DEG_LON + ORIGIN_LON
    lat = np.asarray(y, dtype=np.float64) / _KM_PER_DEG_LAT + ORIGIN_LAT
    return lon, lat


def point_to_lonlat(x: float, y: float) -> tuple[float, float]:
    """:func:`to_lonlat` for one point, in plain floats (the same arithmetic, without array overhead)."""
    return x / _KM_PER_DEG_LON + ORIGIN_LON, y / _KM_PER_DEG_LAT + ORIGIN_LAT
