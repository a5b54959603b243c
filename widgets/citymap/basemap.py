"""The vector basemap: communes, roads, river, lakes, tram lines, drawn locally from GeoJSON geometry.

Each role is merged into one QPainterPath in projected metres, built once; a frame only sets the
view transform and strokes a handful of paths.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetricsF, QImage, QPainter, QPainterPath, QPen, QPolygonF

from widgets.citymap import theme
from widgets.citymap.polylines import polylines_path
from widgets.citymap.projection import CityProjection
from widgets.citymap.street_labels import PlacedName, StreetLabels, draw_street_names
from widgets.citymap.viewport import Bounds, Viewport

GeometryType = Literal["polygon", "line", "point"]


@dataclass(frozen=True, slots=True)
class BasemapLayer:
    """One basemap feature: its name, geometry kind, parts (N x 2 lon/lat arrays) and role.

    Roles drawn with their own style: commune, street, lake, river, road, tram, district_label.
    """

    name: str
    geometry_type: GeometryType
    parts: list[np.ndarray]
    role: str


@dataclass(frozen=True, slots=True)
class _Style:
    fill: str | None
    line: str
    width: float
    detail_width: float


_STYLES: dict[str, _Style] = {
    "commune": _Style(theme.COMMUNE_FILL, theme.COMMUNE_BORDER, 1.0, 1.2),
    "lake": _Style(theme.LAKE_FILL, theme.RIVER, 1.0, 1.0),
    "river": _Style(None, theme.RIVER, 1.8, 3.0),
    "street": _Style(None, theme.STREET, 1.0, 1.0),
    "road": _Style(None, theme.ROAD, 1.0, 1.8),
    "tram": _Style(None, theme.TRAM, 1.3, 2.2),
}
_OTHER = _Style(None, theme.OTHER_LINE, 1.0, 1.0)
_ROLE_ORDER = ("commune", "street", "lake", "river", "road", "tram")
_DETAIL_SCALE = 0.4
_LABEL_SHIFTS = (0.0, 1.1, -1.1, 2.0, -2.0, 3.0, -3.0)
"""Where a place name may sit, in line heights below its anchor, when something covers the anchor."""
STREET_SCALE = 0.2
"""Pixels per metre from which streets are drawn (about 10 km across a full-HD map: street zoom)."""
STREET_WIDTH_M = 9.0
"""Close in, a street is drawn as wide as its carriageway, so the lamps at its kerbs line its edges."""


def _parts_of(geometry: dict[str, Any]) -> tuple[GeometryType, list[np.ndarray]] | None:
    kind = geometry.get("type")
    coords = geometry.get("coordinates")
    if coords is None:
        return None
    if kind == "Polygon":
        return "polygon", [np.asarray(ring, dtype=np.float64)[:, :2] for ring in coords]
    if kind == "MultiPolygon":
        return "polygon", [np.asarray(ring, dtype=np.float64)[:, :2] for poly in coords for ring in poly]
    if kind == "LineString":
        return "line", [np.asarray(coords, dtype=np.float64)[:, :2]]
    if kind == "MultiLineString":
        return "line", [np.asarray(line, dtype=np.float64)[:, :2] for line in coords]
    if kind == "Point":
        return "point", [np.asarray([coords], dtype=np.float64)[:, :2]]
    return None


def basemap_layers_from_geojson(doc: dict[str, Any]) -> list[BasemapLayer]:
    """Layers from a FeatureCollection whose features carry `properties.layer` and `properties.name`.

    Features without geometry or with an unsupported geometry type are skipped.
    """
    layers: list[BasemapLayer] = []
    for feature in doc.get("features", []):
        props = feature.get("properties") or {}
        found = _parts_of(feature.get("geometry") or {})
        if found is None:
            continue
        geometry_type, parts = found
        role = str(props.get("layer", "other"))
        if geometry_type == "point":
            role = "district_label"
        layers.append(BasemapLayer(str(props.get("name", "")), geometry_type, parts, role))
    return layers


def _ring_area_centroid(ring: np.ndarray) -> tuple[float, float, float]:
    x, y = ring[:, 0], ring[:, 1]
    cross = x * np.roll(y, -1) - np.roll(x, -1) * y
    area = cross.sum() / 2.0
    if abs(area) < 1e-9:
        return 0.0, float(x.mean()), float(y.mean())
    cx = ((x + np.roll(x, -1)) * cross).sum() / (6.0 * area)
    cy = ((y + np.roll(y, -1)) * cross).sum() / (6.0 * area)
    return abs(float(area)), float(cx), float(cy)


@dataclass(frozen=True, slots=True)
class _Label:
    text: str
    x: float
    y: float
    width_m: float
    major: bool


def _label_font(major: bool) -> QFont:
    font = QFont()
    font.setPixelSize(12 if major else 10)
    font.setItalic(not major)
    return font


class Basemap:
    """Projected, merged paths per role plus label anchors, ready to draw at any view."""

    def __init__(self, layers: Sequence[BasemapLayer], projection: CityProjection) -> None:
        pieces: dict[str, list[np.ndarray]] = {}
        closed: dict[str, bool] = {}
        labels: list[_Label] = []
        street_names: list[str] = []
        street_segments: list[np.ndarray] = []
        bounds: Bounds | None = None
        # One projection for every vertex: a basemap has thousands of small parts (streets).
        owners = [(n, p) for n, layer in enumerate(layers) for p in layer.parts if len(p)]
        by_layer: dict[int, list[np.ndarray]] = {}
        if owners:
            lonlat = np.vstack([p for _, p in owners])
            xy = np.column_stack(projection.forward(lonlat[:, 0], lonlat[:, 1]))
            bounds = Bounds(*xy.min(axis=0), *xy.max(axis=0))
            cuts = np.cumsum([len(p) for _, p in owners])[:-1]
            for (n, _), part in zip(owners, np.split(xy, cuts), strict=True):
                by_layer.setdefault(n, []).append(part)
        for n, layer in enumerate(layers):
            projected = by_layer.get(n)
            if not projected:
                continue
            if layer.geometry_type == "point":
                labels.append(_Label(layer.name, *map(float, projected[0][0]), 0.0, False))
                continue
            if layer.role == "street":  # drawn as lines culled to the view: thousands of them, thick close in
                for part in projected:
                    street_segments += [part[k : k + 2] for k in range(len(part) - 1)]
                    street_names += [layer.name] * (len(part) - 1)
                pieces.setdefault(layer.role, [])
                closed[layer.role] = False
                continue
            polygon = layer.geometry_type == "polygon"
            closed[layer.role] = polygon
            for part in projected:
                ring = np.vstack([part, part[:1]]) if polygon else part
                pieces.setdefault(layer.role, []).extend([ring, np.full((1, 2), np.nan)])
            if layer.role == "commune" and layer.name:
                _, cx, cy = max(_ring_area_centroid(p) for p in projected)
                width = float(np.ptp(np.vstack(projected)[:, 0]))
                labels.append(_Label(layer.name, cx, cy, width, True))
        self.bounds = bounds
        self.labels = labels
        self.streets = StreetLabels(street_names, np.array(street_segments).reshape(-1, 2, 2))
        self._paths: list[tuple[str, QPainterPath, bool]] = []
        self._labels_key: tuple[object, ...] | None = None
        self._labels: tuple[list[tuple[str, QRectF, bool]], list[PlacedName]] = ([], [])
        def order(role: str) -> int:
            return _ROLE_ORDER.index(role) if role in _ROLE_ORDER else len(_ROLE_ORDER)

        for role in sorted(pieces, key=order):
            if not pieces[role]:
                self._paths.append((role, QPainterPath(), False))
                continue
            xy = np.vstack(pieces[role])
            path = polylines_path(xy)  # odd-even fill, as the holes of an area need
            self._paths.append((role, path, closed[role]))

    def render(self, image: QImage, view: Viewport) -> None:
        """Fill `image` with the background and the basemap seen through `view`; names are drawn apart
        (`draw_labels`), over the markers, so that they can make way for them."""
        image.fill(QColor(theme.BACKGROUND))
        painter = QPainter(image)
        try:
            painter.setTransform(view.transform())
            detailed = view.scale >= _DETAIL_SCALE
            for role, path, filled in self._paths:
                style = _STYLES.get(role, _OTHER)
                width = style.detail_width if detailed else style.width
                if role == "street":
                    if view.scale >= STREET_SCALE:
                        self._draw_streets(painter, view, max(width, STREET_WIDTH_M * view.scale))
                    continue
                if filled and style.fill:
                    # Fills differ little from the background: aliased edges are invisible under the
                    # antialiased outline, and filling without antialiasing is several times faster.
                    painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
                    painter.setPen(Qt.PenStyle.NoPen)
                    painter.setBrush(QBrush(QColor(style.fill)))
                    painter.drawPath(path)
                pen = QPen(QColor(style.line), width)
                pen.setCosmetic(True)
                painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
                painter.setPen(pen)
                painter.setBrush(Qt.BrushStyle.NoBrush)
                painter.drawPath(path)
        finally:
            painter.end()

    def _draw_streets(self, painter: QPainter, view: Viewport, width: float) -> None:
        """The streets that cross the view, as lines of ``width`` pixels (the painter maps metres)."""
        segments = self.streets.segments
        left, top = view.to_world(0.0, 0.0)
        right, bottom = view.to_world(float(view.width), float(view.height))
        low, high = self.streets.low, self.streets.high
        margin = STREET_WIDTH_M
        shown = ((high[:, 0] >= left - margin) & (low[:, 0] <= right + margin)
                 & (high[:, 1] >= bottom - margin) & (low[:, 1] <= top + margin))
        pen = QPen(QColor(theme.STREET), width)
        pen.setCosmetic(True)
        pen.setCapStyle(Qt.PenCapStyle.FlatCap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setPen(pen)
        painter.drawLines([QLineF(ax, ay, bx, by) for (ax, ay), (bx, by) in segments[shown].tolist()])

    def placed_labels(self, view: Viewport, obstacles: Sequence[QRectF] = ()) -> list[tuple[str, QRectF, bool]]:
        """Labels that fit this view: (text, screen box, major). Communes first, the widest first; a label
        that would overlap one already placed or an obstacle (a cluster badge) moves a little above or
        below its anchor, or is left out, so names never pile up or hide under a badge."""
        area = QRectF(0, 0, view.width, view.height)
        taken = list(obstacles)
        placed: list[tuple[str, QRectF, bool]] = []
        for major in (True, False):
            metrics = QFontMetricsF(_label_font(major))
            for label in sorted((lb for lb in self.labels if lb.major == major), key=lambda lb: -lb.width_m):
                box = metrics.boundingRect(label.text)
                if major and label.width_m * view.scale < box.width() * 1.4:
                    continue
                sx, sy = view.to_screen(np.float32(label.x), np.float32(label.y))
                for shift in _LABEL_SHIFTS:
                    centre = QPointF(float(sx), float(sy) + shift * metrics.height())
                    rect = QRectF(centre.x() - box.width() / 2.0, centre.y() - metrics.ascent() / 2.0,
                                  box.width(), metrics.height())
                    if area.contains(centre) and not any(rect.intersects(other) for other in taken):
                        placed.append((label.text, rect, major))
                        taken.append(rect)
                        break
        return placed

    def draw_labels(self, painter: QPainter, view: Viewport, obstacles: Sequence[QRectF] = ()) -> None:
        """Write place names, then street names along their streets, around the obstacles given."""
        key = (view, tuple(r.getRect() for r in obstacles))
        if key != self._labels_key:
            communes = self.placed_labels(view, obstacles)
            around = [QPolygonF(rect) for rect in (*obstacles, *(rect for _, rect, _ in communes))]
            self._labels = (communes, self.streets.placed(view, around))
            self._labels_key = key
        communes, streets = self._labels
        painter.setPen(QColor(theme.COMMUNE_LABEL))
        for text, rect, major in communes:
            font = _label_font(major)
            painter.setFont(font)
            painter.drawText(QPointF(rect.left(), rect.top() + QFontMetricsF(font).ascent()), text)
        draw_street_names(painter, streets)
