"""Normal markers written straight into the pixels of a QImage with numpy.

Tens of thousands of grey markers per frame cost a few fancy-indexed writes per stamp pixel,
instead of one QPainter call per marker.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtGui import QImage

from widgets.citymap import theme

# One small shape per domain (lighting, heating, waste, water): recognisable up close, quiet at a glance.
_SMALL_SHAPES: tuple[tuple[str, ...], ...] = (
    (".#.", "###", ".#."),
    ("###", "###", "###"),
    (".#.", "###", "###"),
    ("#.#", ".#.", "#.#"),
)
_LARGE_SHAPES: tuple[tuple[str, ...], ...] = (
    (".###.", "#####", "#####", "#####", ".###."),
    ("#####", "#####", "#####", "#####", "#####"),
    ("..#..", ".###.", ".###.", "#####", "#####"),
    ("..#..", ".###.", "#####", ".###.", "..#.."),
)


def _mask(rows: tuple[str, ...]) -> np.ndarray:
    return np.array([[c == "#" for c in row] for row in rows], dtype=bool)


def _outline(mask: np.ndarray) -> np.ndarray:
    """The pixels of a shape that touch its outside: the hollow version drawn for stale assets."""
    padded = np.pad(mask, 1)
    interior = padded[:-2, 1:-1] & padded[2:, 1:-1] & padded[1:-1, :-2] & padded[1:-1, 2:]
    return mask & ~interior


def _offsets(mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    dy, dx = np.nonzero(mask)
    half = mask.shape[0] // 2
    return dy - half, dx - half


class MarkerStamps:
    """Per-domain stamp offsets, filled and hollow, at two sizes."""

    def __init__(self) -> None:
        self._shapes: dict[tuple[bool, bool], list[tuple[np.ndarray, np.ndarray]]] = {}
        for detailed, shapes in ((False, _SMALL_SHAPES), (True, _LARGE_SHAPES)):
            masks = [_mask(rows) for rows in shapes]
            self._shapes[(detailed, False)] = [_offsets(m) for m in masks]
            self._shapes[(detailed, True)] = [_offsets(_outline(m)) for m in masks]
        self._fresh = np.array([theme.argb(c) for c in theme.NORMAL_MARKERS], dtype=np.uint32)
        self._stale = np.uint32(theme.argb(theme.STALE_MARKER))

    def draw(
        self,
        pixels: np.ndarray,
        sx: np.ndarray,
        sy: np.ndarray,
        *,
        domain: np.ndarray,
        stale: np.ndarray,
        detailed: bool,
    ) -> None:
        """Stamp markers centred on (sx, sy) into `pixels` (H x W uint32, premultiplied ARGB)."""
        if not pixels.flags.c_contiguous:
            raise ValueError("marker stamps need a contiguous pixel array")
        height, width = pixels.shape
        half = 2 if detailed else 1
        xi = (sx + np.float32(0.5)).astype(np.int64)
        yi = (sy + np.float32(0.5)).astype(np.int64)
        keep = (xi >= half) & (xi < width - half) & (yi >= half) & (yi < height - half)
        flat = pixels.reshape(-1)
        base = yi[keep] * width + xi[keep]
        domain = domain[keep]
        stale = stale[keep]
        for is_stale in (False, True):
            for code, (dy, dx) in enumerate(self._shapes[(detailed, is_stale)]):
                at = base[(domain == code) & (stale == is_stale)]
                if at.size == 0:
                    continue
                colour = self._stale if is_stale else self._fresh[code]
                for offset in (dy * width + dx).tolist():
                    flat[at + offset] = colour


def image_pixels(image: QImage) -> np.ndarray:
    """A writable H x W uint32 view of a 32-bit image's pixels (no copy)."""
    width, height = image.width(), image.height()
    rows = np.frombuffer(image.bits(), dtype=np.uint32).reshape(height, image.bytesPerLine() // 4)
    return rows[:, :width]
