"""What one frame shows: culled, clustered or single markers in screen coordinates."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from widgets.citymap.clusters import Clusters, grid_clusters
from widgets.citymap.viewport import Viewport

SINGLES_LIMIT = 3000
"""Below this many assets on screen, every asset is drawn on its own."""
DETAIL_SCALE = 0.25
"""Pixels per metre from which assets are always single (about 8 km across a full-HD screen)."""
LARGE_MARKER_SCALE = 1.0
"""Pixels per metre from which normal markers use their larger 5 x 5 shapes."""
CLUSTER_CELL_PX = 56.0
CULL_MARGIN_PX = 24.0


def badge_radius(count: int) -> int:
    """Radius in pixels of a cluster badge: grows with the log of its count so big ones stay readable."""
    return round(9 + 3 * math.log10(max(count, 1)))


def badge_radii(counts: np.ndarray) -> np.ndarray:
    """``badge_radius`` for many counts at once."""
    return np.round(9 + 3 * np.log10(np.maximum(counts, 1)))


@dataclass(frozen=True, slots=True)
class MapLayout:
    """Markers of one frame; indices refer to the widget's asset arrays."""

    clustered: bool
    detailed: bool
    singles: np.ndarray
    single_x: np.ndarray
    single_y: np.ndarray
    alarms: np.ndarray
    alarm_x: np.ndarray
    alarm_y: np.ndarray
    clusters: Clusters

    @classmethod
    def empty(cls) -> MapLayout:
        """A frame with no markers."""
        i = np.empty(0, np.int64)
        f = np.empty(0, np.float32)
        return cls(False, False, i, f, f, i, f, f, Clusters.empty())

    def drawn_singles(self) -> tuple[tuple[np.ndarray, np.ndarray, np.ndarray], ...]:
        """(indices, x, y) of the alarmed, then the normal, assets drawn on their own."""
        return (self.alarms, self.alarm_x, self.alarm_y), (self.singles, self.single_x, self.single_y)

    def nearest_asset(self, px: float, py: float, radius: float) -> int:
        """Index of the single asset drawn closest to (px, py) within `radius` pixels, else -1."""
        best, best_d2 = -1, radius * radius
        for index, xs, ys in self.drawn_singles():
            if index.size == 0:
                continue
            d2 = (xs - np.float32(px)) ** 2 + (ys - np.float32(py)) ** 2
            k = int(np.argmin(d2))
            if d2[k] <= best_d2:
                best, best_d2 = int(index[k]), float(d2[k])
        return best

    def nearest_cluster(self, px: float, py: float) -> int:
        """Position of the cluster badge under (px, py), else -1."""
        c = self.clusters
        if len(c) == 0:
            return -1
        d2 = (c.x - np.float32(px)) ** 2 + (c.y - np.float32(py)) ** 2
        k = int(np.argmin(d2))
        return k if d2[k] <= badge_radius(int(c.count[k])) ** 2 else -1


def compute_layout(
    view: Viewport,
    x: np.ndarray,
    y: np.ndarray,
    *,
    shown: np.ndarray,
    priority: np.ndarray,
    unacked: np.ndarray,
    clustering: bool = True,
) -> MapLayout:
    """Project, cull and (at city zoom) cluster the assets for one frame."""
    if x.size == 0:
        return MapLayout.empty()
    sx, sy = view.to_screen(x, y)
    m = np.float32(CULL_MARGIN_PX)
    inside = (sx >= -m) & (sx < view.width + m) & (sy >= -m) & (sy < view.height + m) & shown
    index = np.flatnonzero(inside)
    sx, sy = sx[index], sy[index]
    prio = priority[index]
    detailed = view.scale >= LARGE_MARKER_SCALE
    clustered = clustering and view.scale < DETAIL_SCALE and index.size > SINGLES_LIMIT
    clusters = Clusters.empty()
    if clustered:
        clusters = grid_clusters(
            sx, sy, anchor_x=view.origin_x, anchor_y=view.origin_y, cell_px=CLUSTER_CELL_PX,
            priority=prio, unacked=unacked[index], radius=badge_radii,
        )
        index, sx, sy, prio = index[clusters.lone], sx[clusters.lone], sy[clusters.lone], prio[clusters.lone]
    alarm_pos = np.flatnonzero(prio > 0)
    alarm_pos = alarm_pos[np.argsort(prio[alarm_pos], kind="stable")]
    normal_pos = np.flatnonzero(prio == 0)
    return MapLayout(
        clustered, detailed,
        index[normal_pos], sx[normal_pos], sy[normal_pos],
        index[alarm_pos], sx[alarm_pos], sy[alarm_pos],
        clusters,
    )
