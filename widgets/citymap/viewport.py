"""The view transform: which part of the city is on screen, and at what scale."""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
from PySide6.QtGui import QTransform

MIN_SCALE = 1e-4
MAX_SCALE = 40.0  # px per metre: a luminaire 25 m from its neighbour is 1000 px away


@dataclass(frozen=True, slots=True)
class Bounds:
    """A rectangle in projected metres."""

    xmin: float
    ymin: float
    xmax: float
    ymax: float

    def union(self, other: Bounds | None) -> Bounds:
        """The smallest bounds holding both."""
        if other is None:
            return self
        return Bounds(
            min(self.xmin, other.xmin), min(self.ymin, other.ymin),
            max(self.xmax, other.xmax), max(self.ymax, other.ymax),
        )

    @classmethod
    def of(cls, x: np.ndarray, y: np.ndarray) -> Bounds | None:
        """Bounds of finite points, or None when there are none."""
        finite = np.isfinite(x) & np.isfinite(y)
        if not finite.any():
            return None
        x, y = x[finite], y[finite]
        return cls(float(x.min()), float(y.min()), float(x.max()), float(y.max()))


@dataclass(frozen=True, slots=True)
class Viewport:
    """Centre (metres), scale (pixels per metre) and size (pixels); north is up.

    Frozen and hashable so that caches (basemap image, marker layout) key on it directly.
    """

    centre_x: float = 0.0
    centre_y: float = 0.0
    scale: float = 0.05
    width: int = 640
    height: int = 480

    @property
    def origin_x(self) -> float:
        """Screen x of the world origin."""
        return self.width / 2.0 - self.centre_x * self.scale

    @property
    def origin_y(self) -> float:
        """Screen y of the world origin."""
        return self.height / 2.0 + self.centre_y * self.scale

    def to_screen(self, x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Screen coordinates of projected points, in one vectorized affine step."""
        s = np.float32(self.scale)
        return x * s + np.float32(self.origin_x), np.float32(self.origin_y) - y * s

    def to_world(self, sx: float, sy: float) -> tuple[float, float]:
        """Projected coordinates of a screen point."""
        return (sx - self.origin_x) / self.scale, (self.origin_y - sy) / self.scale

    def transform(self) -> QTransform:
        """The same mapping as a QTransform, for painting world-space paths."""
        return QTransform(self.scale, 0.0, 0.0, -self.scale, self.origin_x, self.origin_y)

    def panned(self, dx: float, dy: float) -> Viewport:
        """The view after dragging the map by (dx, dy) pixels."""
        return replace(
            self, centre_x=self.centre_x - dx / self.scale, centre_y=self.centre_y + dy / self.scale
        )

    def zoomed(self, factor: float, anchor_x: float, anchor_y: float) -> Viewport:
        """The view scaled by `factor`, keeping the world point under the anchor pixel in place."""
        scale = min(max(self.scale * factor, MIN_SCALE), MAX_SCALE)
        wx, wy = self.to_world(anchor_x, anchor_y)
        return replace(
            self,
            scale=scale,
            centre_x=wx - (anchor_x - self.width / 2.0) / scale,
            centre_y=wy + (anchor_y - self.height / 2.0) / scale,
        )

    def centred_on(self, x: float, y: float, scale: float | None = None) -> Viewport:
        """The view centred on a world point, optionally at a new scale."""
        new_scale = self.scale if scale is None else min(max(scale, MIN_SCALE), MAX_SCALE)
        return replace(self, centre_x=x, centre_y=y, scale=new_scale)

    def resized(self, width: int, height: int) -> Viewport:
        """The same centre and scale on a surface of another size."""
        return replace(self, width=max(int(width), 1), height=max(int(height), 1))

    def fitted(self, bounds: Bounds, margin: float = 0.04) -> Viewport:
        """The view showing all of `bounds` with a margin (fraction of the size)."""
        span_x = max(bounds.xmax - bounds.xmin, 1.0)
        span_y = max(bounds.ymax - bounds.ymin, 1.0)
        usable = 1.0 - 2.0 * margin
        scale = min(self.width * usable / span_x, self.height * usable / span_y)
        return self.centred_on((bounds.xmin + bounds.xmax) / 2.0, (bounds.ymin + bounds.ymax) / 2.0, scale)

    def with_pixel_ratio(self, width: int, height: int, ratio: float) -> Viewport:
        """The view drawn on a surface of `width` x `height` device pixels at `ratio` pixels per unit."""
        return replace(self, width=max(int(width), 1), height=max(int(height), 1), scale=self.scale * ratio)
