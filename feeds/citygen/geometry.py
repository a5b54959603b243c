"""District cells: a power diagram of the district centres, each cell capped by the district's reach.

A power diagram (Voronoi weighted by size) keeps big quartiers from being squeezed by small neighbouring
villages; the cap leaves fields between villages, as on a real map. Cells are convex, so membership is a
set of half-plane tests and outlines are rays cast from the centre.
"""

from __future__ import annotations

import numpy as np

from feeds.citygen.communes import District, to_km


class DistrictCells:
    """Convex cells in kilometre coordinates, one per district, in the order of ``districts``."""

    def __init__(self, districts: tuple[District, ...]) -> None:
        self.districts = districts
        x, y = to_km(np.array([d.lon for d in districts]), np.array([d.lat for d in districts]))
        self.centres = np.column_stack([x, y])
        self.reach = np.array([d.reach_km for d in districts])
        weights = (0.8 * self.reach) ** 2
        norms = (self.centres**2).sum(axis=1)
        n = len(districts)
        self._normals: list[np.ndarray] = []
        self._offsets: list[np.ndarray] = []
        for i in range(n):
            others = np.array([j for j in range(n) if j != i], dtype=np.intp)
            self._normals.append(2.0 * (self.centres[others] - self.centres[i]))
            self._offsets.append(norms[others] - norms[i] + weights[i] - weights[others])

    def contains(self, i: int, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        """Which of the points (km) lie in cell ``i``."""
        points = np.column_stack([np.ravel(x), np.ravel(y)])
        inside = (points @ self._normals[i].T <= self._offsets[i]).all(axis=1)
        near = ((points - self.centres[i]) ** 2).sum(axis=1) <= self.reach[i] ** 2
        return inside & near

    def radius(self, i: int, angles: np.ndarray) -> np.ndarray:
        """Distance from the centre of cell ``i`` to its edge along each direction (radians from east)."""
        directions = np.column_stack([np.cos(angles), np.sin(angles)])
        facing = directions @ self._normals[i].T
        room = self._offsets[i] - self._normals[i] @ self.centres[i]
        with np.errstate(divide="ignore", invalid="ignore"):
            limits = np.where(facing > 1e-12, room / facing, np.inf)
        return np.minimum(limits.min(axis=1), self.reach[i])

    def outline(self, i: int, points: int = 96) -> tuple[np.ndarray, np.ndarray]:
        """Closed outline of cell ``i`` in km (first point repeated last)."""
        angles = np.linspace(0.0, 2.0 * np.pi, points, endpoint=False)
        r = self.radius(i, angles)
        x = self.centres[i, 0] + r * np.cos(angles)
        y = self.centres[i, 1] + r * np.sin(angles)
        return np.append(x, x[0]), np.append(y, y[0])

    def sample(self, i: int, count: int, rng: np.random.Generator, spread: float = 0.55) -> np.ndarray:
        """``count`` points (km) in cell ``i``, denser near the centre as built-up areas are."""
        angles = rng.uniform(0.0, 2.0 * np.pi, count)
        fraction = np.clip(np.abs(rng.normal(0.0, spread, count)), 0.0, 0.97)
        r = fraction * self.radius(i, angles)
        return self.centres[i] + np.column_stack([r * np.cos(angles), r * np.sin(angles)])
