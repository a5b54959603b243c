"""Grid clustering in screen space with numpy: one pass of bincount over cell indices."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True, slots=True)
class Clusters:
    """Occupied grid cells: where to draw each badge, how many assets it holds, its worst alarm."""

    x: np.ndarray
    y: np.ndarray
    count: np.ndarray
    worst: np.ndarray
    blinking: np.ndarray
    lone: np.ndarray
    """Positions (into the clustered index array) of assets alone in their cell, drawn as singles."""

    @classmethod
    def empty(cls) -> Clusters:
        """No clusters at all (the view is zoomed in, or nothing is on screen)."""
        f = np.empty(0, np.float32)
        i = np.empty(0, np.int64)
        return cls(f, f, i, np.empty(0, np.uint8), np.empty(0, bool), i)

    def __len__(self) -> int:
        return int(self.count.size)


def grid_clusters(
    sx: np.ndarray,
    sy: np.ndarray,
    *,
    anchor_x: float,
    anchor_y: float,
    cell_px: float,
    priority: np.ndarray,
    unacked: np.ndarray,
    radius: Callable[[np.ndarray], np.ndarray] | None = None,
) -> Clusters:
    """Cluster screen points into square cells of `cell_px` pixels.

    The grid is anchored to the world (`anchor_*` is the screen position of the world origin), so
    panning moves clusters with the map instead of regrouping them. A cell blinks when it holds an
    unacknowledged alarm of its worst priority. Given ``radius`` (badge radius by count), each badge is
    kept inside its own cell, so two badges never overlap (a radius is at most half a cell).
    """
    if sx.size == 0:
        return Clusters.empty()
    gx = np.floor((sx - np.float32(anchor_x)) / np.float32(cell_px)).astype(np.int64)
    gy = np.floor((sy - np.float32(anchor_y)) / np.float32(cell_px)).astype(np.int64)
    gx0, gy0 = int(gx.min()), int(gy.min())
    gx -= gx0
    gy -= gy0
    columns = int(gx.max()) + 1
    cell = gy * columns + gx
    ncell = int(cell.max()) + 1
    count = np.bincount(cell, minlength=ncell)
    occupied = np.flatnonzero(count >= 2)
    lone = np.flatnonzero(count[cell] == 1)

    worst = np.zeros(ncell, np.uint8)
    alarmed = np.flatnonzero(priority > 0)
    np.maximum.at(worst, cell[alarmed], priority[alarmed])
    blinking = np.zeros(ncell, bool)
    alarmed_cells = cell[alarmed]
    at_worst = unacked[alarmed] & (priority[alarmed] == worst[alarmed_cells])
    blinking[alarmed_cells[at_worst]] = True

    n = count[occupied].astype(np.float32)
    mean_x = np.bincount(cell, weights=sx, minlength=ncell)[occupied] / n
    mean_y = np.bincount(cell, weights=sy, minlength=ncell)[occupied] / n
    if radius is not None:
        r = np.minimum(radius(count[occupied]), cell_px / 2).astype(np.float32)
        left = np.float32(anchor_x) + ((occupied % columns) + gx0) * np.float32(cell_px)
        top = np.float32(anchor_y) + ((occupied // columns) + gy0) * np.float32(cell_px)
        mean_x = np.clip(mean_x, left + r, left + cell_px - r)
        mean_y = np.clip(mean_y, top + r, top + cell_px - r)
    return Clusters(
        mean_x.astype(np.float32), mean_y.astype(np.float32), count[occupied],
        worst[occupied], blinking[occupied], lone,
    )
