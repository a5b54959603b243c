"""Map frame benchmark: one full city-map frame into a 1920x1080 image, and the naive scatter for comparison.

Synthetic but city-shaped data around Dijon: denser centre, 23-ish communes, a road web, the Ouche,
lac Kir and two tram lines; about 1 % of assets in alarm, half of them unacknowledged.

    python -m benchmarks.map_frame
"""

from __future__ import annotations

import math
import os
import statistics
import time
from typing import Any

import numpy as np

CENTRE_LON, CENTRE_LAT = 5.04, 47.32
WIDTH_KM, HEIGHT_KM = 20.0, 15.0
FRAME_W, FRAME_H = 1920, 1080
ALARM_SHARE = 0.01
_KM_PER_DEG_LAT = 111.195
_KM_PER_DEG_LON = _KM_PER_DEG_LAT * math.cos(math.radians(CENTRE_LAT))


def _lonlat(x_km: np.ndarray, y_km: np.ndarray) -> np.ndarray:
    return np.column_stack([CENTRE_LON + x_km / _KM_PER_DEG_LON, CENTRE_LAT + y_km / _KM_PER_DEG_LAT])


def _wiggle(rng: np.random.Generator, a: np.ndarray, b: np.ndarray, points: int, amp: float) -> np.ndarray:
    """A noisy polyline from a to b (km), ends fixed so neighbouring polygons share it."""
    t = np.linspace(0.0, 1.0, points)[:, None]
    line = a + (b - a) * t
    normal = np.array([-(b - a)[1], (b - a)[0]]) / max(float(np.hypot(*(b - a))), 1e-9)
    noise = np.cumsum(rng.normal(0.0, amp, points))
    noise -= np.linspace(noise[0], noise[-1], points)
    return line + noise[:, None] * normal


def synthetic_basemap(seed: int = 7) -> dict[str, Any]:
    """A GeoJSON FeatureCollection shaped like a metropolitan basemap."""
    rng = np.random.default_rng(seed)
    nx, ny = 6, 4
    xs = np.linspace(-WIDTH_KM / 2, WIDTH_KM / 2, nx + 1)
    ys = np.linspace(-HEIGHT_KM / 2, HEIGHT_KM / 2, ny + 1)
    corners = np.stack(np.meshgrid(xs, ys, indexing="ij"), axis=-1)
    corners[1:-1, 1:-1] += rng.normal(0.0, 0.5, corners[1:-1, 1:-1].shape)
    edges: dict[tuple[tuple[int, int], tuple[int, int]], np.ndarray] = {}

    def edge(p: tuple[int, int], q: tuple[int, int]) -> np.ndarray:
        if (q, p) in edges:
            return edges[(q, p)][::-1]
        edges[(p, q)] = _wiggle(rng, corners[p], corners[q], 40, 0.03)
        return edges[(p, q)]

    features: list[dict[str, Any]] = []
    for i in range(nx):
        for j in range(ny):
            loop = [(i, j), (i + 1, j), (i + 1, j + 1), (i, j + 1), (i, j)]
            ring = np.vstack([edge(loop[k], loop[k + 1])[:-1] for k in range(4)])
            features.append(_feature("commune", f"Commune {i * ny + j + 1}", "Polygon", [_lonlat(*ring.T)]))
    half = np.array([WIDTH_KM / 2, HEIGHT_KM / 2])
    for k in range(320):
        start = np.clip(rng.normal(0.0, 4.0, 2), -half, half)
        heading = rng.uniform(0, 2 * math.pi)
        steps = np.cumsum(rng.normal(0.0, 0.25, 60)) + heading
        path = start + np.cumsum(np.column_stack([np.cos(steps), np.sin(steps)]) * 0.08, axis=0)
        path = np.clip(path, -half, half)
        features.append(_feature("road", f"Road {k}", "LineString", _lonlat(*path.T)))
    river = _wiggle(rng, np.array([-10.0, -3.0]), np.array([10.0, 2.5]), 400, 0.05)
    features.append(_feature("river", "Ouche", "LineString", _lonlat(*river.T)))
    angle = np.linspace(0, 2 * math.pi, 120)
    lake = np.column_stack([-5.5 + 0.9 * np.cos(angle), 0.6 + 0.35 * np.sin(angle)])
    features.append(_feature("lake", "Lac Kir", "Polygon", [_lonlat(*lake.T)]))
    for name, a, b in (("T1", (-4.0, -1.0), (6.0, 1.5)), ("T2", (-1.0, 6.0), (1.5, -6.0))):
        tram = _wiggle(rng, np.array(a), np.array(b), 100, 0.02)
        features.append(_feature("tram", name, "LineString", _lonlat(*tram.T)))
    return {"type": "FeatureCollection", "features": features}


def _feature(layer: str, name: str, kind: str, coords: Any) -> dict[str, Any]:
    as_list = [c.tolist() for c in coords] if isinstance(coords, list) else coords.tolist()
    return {
        "type": "Feature",
        "properties": {"layer": layer, "name": name},
        "geometry": {"type": kind, "coordinates": as_list},
    }


def synthetic_assets(n: int, seed: int = 11) -> dict[str, np.ndarray]:
    """Asset positions (denser downtown), domains, and states with ~1 % of assets in alarm."""
    rng = np.random.default_rng(seed)
    dense = rng.random(n) < 0.6
    x = np.where(dense, rng.normal(0.0, 3.0, n), rng.uniform(-WIDTH_KM / 2, WIDTH_KM / 2, n))
    y = np.where(dense, rng.normal(0.0, 2.2, n), rng.uniform(-HEIGHT_KM / 2, HEIGHT_KM / 2, n))
    x = np.clip(x, -WIDTH_KM / 2, WIDTH_KM / 2)
    y = np.clip(y, -HEIGHT_KM / 2, HEIGHT_KM / 2)
    lonlat = _lonlat(x, y)
    domain = rng.choice(4, n, p=[0.90, 0.02, 0.06, 0.02]).astype(np.uint8)
    alarmed = rng.random(n) < ALARM_SHARE
    priority = np.where(alarmed, rng.choice([1, 2, 3, 4], n, p=[0.4, 0.3, 0.2, 0.1]), 0).astype(np.uint8)
    return {
        "lon": lonlat[:, 0], "lat": lonlat[:, 1], "domain": domain, "priority": priority,
        "unacked": alarmed & (rng.random(n) < 0.5), "stale": rng.random(n) < 0.02,
    }


def _application() -> Any:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    return QApplication.instance() or QApplication([])


def _city_map(n_assets: int) -> tuple[Any, dict[str, np.ndarray]]:
    _application()
    from widgets.citymap import CityMapWidget, basemap_layers_from_geojson

    data = synthetic_assets(n_assets)
    widget = CityMapWidget()
    widget.resize(FRAME_W, FRAME_H)
    widget.set_basemap(basemap_layers_from_geojson(synthetic_basemap()))
    widget.set_assets(data["lon"], data["lat"], data["domain"], [f"A-{i}" for i in range(n_assets)])
    widget.fit_city()
    return widget, data


def _frame_times(widget: Any, data: dict[str, np.ndarray], repeats: int) -> list[float]:
    """Each frame gets fresh state arrays (as a live update would) so no layout is reused."""
    from PySide6.QtGui import QImage

    image = QImage(FRAME_W, FRAME_H, QImage.Format.Format_ARGB32_Premultiplied)
    times = []
    for _ in range(repeats + 1):
        start = time.perf_counter()
        widget.set_states(data["priority"].copy(), data["unacked"], data["stale"])
        widget.render_frame(image)
        times.append((time.perf_counter() - start) * 1e3)
    return times[1:]


def time_map_frame(n_assets: int, repeats: int = 15, clustering: bool = True) -> float:
    """Median ms of one full frame at city zoom (basemap image reused, markers, clusters, alarms)."""
    widget, data = _city_map(n_assets)
    widget.set_clustering(clustering)
    return statistics.median(_frame_times(widget, data, repeats))


def time_pan_frame(n_assets: int, repeats: int = 9) -> float:
    """Median ms of a frame right after an arrow-key pan: the basemap image is re-rendered too."""
    widget, data = _city_map(n_assets)
    widget.set_states(data["priority"], data["unacked"], data["stale"])
    from PySide6.QtGui import QImage

    image = QImage(FRAME_W, FRAME_H, QImage.Format.Format_ARGB32_Premultiplied)
    widget.render_frame(image)
    times = []
    for k in range(repeats):
        start = time.perf_counter()
        widget.keyPressEvent(_key_event("Right" if k % 2 else "Left"))
        widget.render_frame(image)
        times.append((time.perf_counter() - start) * 1e3)
    return statistics.median(times)


def _key_event(name: str) -> Any:
    from PySide6.QtCore import QEvent, Qt
    from PySide6.QtGui import QKeyEvent

    return QKeyEvent(QEvent.Type.KeyPress, getattr(Qt.Key, f"Key_{name}"), Qt.KeyboardModifier.NoModifier)


def time_naive_frame(n_assets: int) -> float:
    """Ms of the first render of a pyqtgraph ScatterPlotItem with one brush per point, same image size.

    Markers only (no basemap); `setData` is done before the clock starts.
    """
    _application()
    import pyqtgraph as pg
    from PySide6.QtCore import QRectF
    from PySide6.QtGui import QImage, QPainter

    from widgets.citymap import priority_colour

    data = synthetic_assets(n_assets)
    colours = [priority_colour(p) for p in range(5)]
    brushes = [pg.mkBrush(colours[p]) for p in data["priority"].tolist()]
    frame = QRectF(0, 0, FRAME_W, FRAME_H)
    # pyqtgraph's own scene: its render() lets the ViewBox update its transform first.
    scene = pg.GraphicsScene()
    scene.setSceneRect(frame)
    box = pg.ViewBox(enableMenu=False)
    scene.addItem(box)
    box.setGeometry(frame)
    scatter = pg.ScatterPlotItem()
    box.addItem(scatter)
    scatter.setData(x=data["lon"], y=data["lat"], brush=brushes, size=5, pen=None)
    box.setRange(xRange=(data["lon"].min(), data["lon"].max()), yRange=(data["lat"].min(), data["lat"].max()))
    image = QImage(FRAME_W, FRAME_H, QImage.Format.Format_ARGB32_Premultiplied)
    start = time.perf_counter()
    painter = QPainter(image)
    scene.render(painter, frame, frame)
    painter.end()
    return (time.perf_counter() - start) * 1e3


def main() -> None:
    """Print the figures, one `name=value` per line."""
    print(f"map_frame_ms_35k={time_map_frame(35_000):.2f}")
    print(f"map_frame_ms_100k={time_map_frame(100_000):.2f}")
    print(f"map_frame_ms_250k={time_map_frame(250_000):.2f}")
    print(f"naive_frame_ms_100k={time_naive_frame(100_000):.2f}")
    print(f"map_frame_unclustered_ms_100k={time_map_frame(100_000, clustering=False):.2f}")
    print(f"map_pan_frame_ms_100k={time_pan_frame(100_000):.2f}")


if __name__ == "__main__":
    main()
