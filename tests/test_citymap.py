"""City map widget: clustering, alarm colours, domain toggles, clicks, keyboard, blinking."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np
import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QColor, QImage
from pytestqt.qtbot import QtBot

from widgets.citymap import (
    CityMapWidget,
    MapDomain,
    Priority,
    Viewport,
    basemap_layers_from_geojson,
    priority_colour,
)

LON0, LAT0 = 5.04, 47.32


def _basemap() -> dict:
    ring = [[4.95, 47.26], [5.13, 47.26], [5.13, 47.38], [4.95, 47.38], [4.95, 47.26]]
    return {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "properties": {"layer": "commune", "name": "Dijon"},
             "geometry": {"type": "Polygon", "coordinates": [ring]}},
            {"type": "Feature", "properties": {"layer": "road", "name": "Rocade"},
             "geometry": {"type": "LineString", "coordinates": [[4.96, 47.30], [5.12, 47.34]]}},
            {"type": "Feature", "properties": {"layer": "lake", "name": "Lac Kir"},
             "geometry": {"type": "MultiPolygon", "coordinates": [[[[4.99, 47.32], [5.0, 47.32], [5.0, 47.33],
                                                                    [4.99, 47.32]]]]}},
        ],
    }


@pytest.fixture
def city_map(qtbot: QtBot) -> CityMapWidget:
    widget = CityMapWidget()
    qtbot.addWidget(widget)
    widget.resize(800, 600)
    widget.set_basemap(basemap_layers_from_geojson(_basemap()))
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def _spread(widget: CityMapWidget, n: int, seed: int = 3) -> None:
    rng = np.random.default_rng(seed)
    lon = LON0 + rng.uniform(-0.12, 0.12, n)
    lat = LAT0 + rng.uniform(-0.06, 0.06, n)
    widget.set_assets(lon, lat, rng.integers(0, 4, n).astype(np.uint8), [f"L-{i}" for i in range(n)])


def _three_assets(widget: CityMapWidget) -> None:
    """Three lighting/heating assets well apart, along an east-west line."""
    lon = np.array([LON0 - 0.04, LON0, LON0 + 0.04])
    widget.set_assets(lon, np.full(3, LAT0), np.array([0, 0, 1], np.uint8), ["L-A", "L-B", "H-C"])


def _frame(widget: CityMapWidget) -> QImage:
    image = QImage(widget.width(), widget.height(), QImage.Format.Format_ARGB32_Premultiplied)
    widget.render_frame(image)
    return image


def _pixel(image: QImage, at: QPointF) -> QColor:
    return image.pixelColor(round(at.x()), round(at.y()))


def _is_grey(colour: QColor) -> bool:
    rgb = (colour.red(), colour.green(), colour.blue())
    return max(rgb) - min(rgb) < 30 and max(rgb) > 90


def test_city_zoom_clusters_and_zooming_in_shows_single_assets(city_map: CityMapWidget) -> None:
    _spread(city_map, 20_000)
    assert city_map.visible_clusters() > 10
    assert city_map.visible_single_assets() < 2_000

    city_map.focus_asset(0)

    assert city_map.visible_clusters() == 0
    assert 0 < city_map.visible_single_assets() < 20_000


def test_alarmed_asset_takes_its_priority_colour_and_normal_stays_grey(city_map: CityMapWidget) -> None:
    _three_assets(city_map)
    city_map.set_states(np.array([Priority.CRITICAL, 0, 0], np.uint8), np.zeros(3, bool))

    image = _frame(city_map)

    alarm = _pixel(image, city_map.asset_screen_position(0))
    assert alarm.name() == priority_colour(Priority.CRITICAL).name()
    assert _is_grey(_pixel(image, city_map.asset_screen_position(1)))


def _count_colour(image: QImage, colour: QColor) -> int:
    pixels = np.frombuffer(image.constBits(), np.uint32)
    return int(np.count_nonzero(pixels == (0xFF000000 | colour.rgb())))


def test_cluster_takes_the_colour_of_its_worst_alarm(city_map: CityMapWidget) -> None:
    _spread(city_map, 20_000)
    priority = np.zeros(20_000, np.uint8)
    red = priority_colour(Priority.CRITICAL)
    assert _count_colour(_frame(city_map), red) == 0

    priority[[10, 11]] = [Priority.LOW, Priority.CRITICAL]
    city_map.set_states(priority, np.zeros(20_000, bool))

    assert city_map.visible_clusters() > 10
    assert _count_colour(_frame(city_map), red) > 100


def test_each_priority_has_a_distinct_colour() -> None:
    names = {priority_colour(p).name() for p in (Priority.LOW, Priority.MEDIUM, Priority.HIGH, Priority.CRITICAL)}
    assert len(names) == 4


def test_stale_asset_is_drawn_hollow(city_map: CityMapWidget) -> None:
    _three_assets(city_map)
    city_map.set_states(np.zeros(3, np.uint8), np.zeros(3, bool), np.array([False, False, True]))

    image = _frame(city_map)

    centre = city_map.asset_screen_position(2)
    assert _pixel(image, centre).name() != _pixel(image, city_map.asset_screen_position(1)).name()
    assert not _is_grey(_pixel(image, centre))


def test_hiding_a_domain_hides_its_assets(city_map: CityMapWidget) -> None:
    _three_assets(city_map)
    assert city_map.visible_single_assets() == 3

    city_map.set_domain_visible(MapDomain.HEATING, False)

    assert city_map.visible_single_assets() == 2
    image = _frame(city_map)
    assert not _is_grey(_pixel(image, city_map.asset_screen_position(2)))
    assert _is_grey(_pixel(image, city_map.asset_screen_position(0)))


def test_clicking_near_an_asset_activates_it(qtbot: QtBot, city_map: CityMapWidget) -> None:
    _three_assets(city_map)
    target = city_map.asset_screen_position(2).toPoint() + QPoint(3, -2)

    with qtbot.waitSignal(city_map.assetActivated) as blocker:
        qtbot.mouseClick(city_map, Qt.MouseButton.LeftButton, pos=target)

    assert blocker.args == [2]
    assert city_map.selected_asset() == 2


def test_hovering_an_asset_reports_it(qtbot: QtBot, city_map: CityMapWidget) -> None:
    _three_assets(city_map)
    city_map.set_tooltip_provider(lambda index: f"asset {index}")
    target = city_map.asset_screen_position(0).toPoint() + QPoint(1, 1)

    with qtbot.waitSignal(city_map.hoveredAsset) as blocker:
        qtbot.mouseMove(city_map, target)

    assert blocker.args == [0]


def test_clicking_empty_map_activates_nothing(qtbot: QtBot, city_map: CityMapWidget) -> None:
    _three_assets(city_map)
    away = city_map.asset_screen_position(1).toPoint() + QPoint(0, 80)

    with qtbot.assertNotEmitted(city_map.assetActivated):
        qtbot.mouseClick(city_map, Qt.MouseButton.LeftButton, pos=away)


def test_enter_activates_the_selected_asset(qtbot: QtBot, city_map: CityMapWidget) -> None:
    _three_assets(city_map)
    city_map.focus_asset(1)

    with qtbot.waitSignal(city_map.assetActivated) as blocker:
        qtbot.keyClick(city_map, Qt.Key.Key_Return)

    assert blocker.args == [1]


def test_keyboard_pans_zooms_and_home_fits_the_city(qtbot: QtBot, city_map: CityMapWidget) -> None:
    _spread(city_map, 500)
    fitted = city_map.view()

    qtbot.keyClick(city_map, Qt.Key.Key_Right)
    assert city_map.view().centre_x > fitted.centre_x
    qtbot.keyClick(city_map, Qt.Key.Key_Plus)
    assert city_map.view().scale > fitted.scale
    qtbot.keyClick(city_map, Qt.Key.Key_Minus)
    qtbot.keyClick(city_map, Qt.Key.Key_Minus)
    assert city_map.view().scale < fitted.scale

    qtbot.keyClick(city_map, Qt.Key.Key_Home)
    assert city_map.view() == fitted


def test_dragging_pans_without_activating(qtbot: QtBot, city_map: CityMapWidget) -> None:
    _three_assets(city_map)
    start = city_map.asset_screen_position(1).toPoint()
    before = city_map.view()

    with qtbot.assertNotEmitted(city_map.assetActivated):
        qtbot.mousePress(city_map, Qt.MouseButton.LeftButton, pos=start)
        qtbot.mouseMove(city_map, start + QPoint(60, 30))
        qtbot.mouseRelease(city_map, Qt.MouseButton.LeftButton, pos=start + QPoint(60, 30))

    assert city_map.view().centre_x < before.centre_x
    assert city_map.view().centre_y > before.centre_y


def test_wheel_zoom_keeps_the_point_under_the_cursor() -> None:
    view = Viewport(centre_x=100.0, centre_y=-50.0, scale=0.2, width=800, height=600)
    before = view.to_world(600.0, 150.0)

    after = view.zoomed(1.25, 600.0, 150.0).to_world(600.0, 150.0)

    assert after == pytest.approx(before)


def test_blink_timer_runs_only_while_alarms_are_unacknowledged(qtbot: QtBot, city_map: CityMapWidget) -> None:
    _three_assets(city_map)
    priority = np.array([Priority.HIGH, 0, 0], np.uint8)
    city_map.set_states(priority, np.zeros(3, bool))
    assert not city_map.is_blinking()

    city_map.set_states(priority, np.array([True, False, False]))
    assert city_map.is_blinking()
    position = city_map.asset_screen_position(0)
    first = _pixel(_frame(city_map), position).name()
    qtbot.waitUntil(lambda: _pixel(_frame(city_map), position).name() != first, timeout=3000)

    city_map.set_states(priority, np.zeros(3, bool))
    assert not city_map.is_blinking()


def test_geojson_layers_keep_roles_names_and_parts() -> None:
    layers = basemap_layers_from_geojson(_basemap())

    assert [(layer.role, layer.name, layer.geometry_type) for layer in layers] == [
        ("commune", "Dijon", "polygon"), ("road", "Rocade", "line"), ("lake", "Lac Kir", "polygon"),
    ]
    assert layers[0].parts[0].shape == (5, 2)


def test_states_of_the_wrong_length_are_refused(city_map: CityMapWidget) -> None:
    _three_assets(city_map)
    with pytest.raises(ValueError, match="length 3"):
        city_map.set_states(np.zeros(2, np.uint8), np.zeros(2, bool))


def test_cluster_badges_never_overlap() -> None:
    from widgets.citymap.clusters import grid_clusters
    from widgets.citymap.layout import CLUSTER_CELL_PX, badge_radii

    rng = np.random.default_rng(3)
    # Two crowds pressed against the same cell border, as a dense district astride the grid.
    sx = np.concatenate([rng.uniform(50, 56, 3000), rng.uniform(56, 62, 3000)]).astype(np.float32)
    sy = rng.uniform(0, 300, 6000).astype(np.float32)
    clusters = grid_clusters(sx, sy, anchor_x=0.0, anchor_y=0.0, cell_px=CLUSTER_CELL_PX,
                             priority=np.zeros(6000, np.uint8), unacked=np.zeros(6000, bool), radius=badge_radii)
    r = badge_radii(clusters.count)
    for i in range(len(clusters)):
        gap = np.hypot(clusters.x - clusters.x[i], clusters.y - clusters.y[i]) - r - r[i]
        gap[i] = np.inf
        assert gap.min() >= -0.5, "two badges overlap"


def test_cluster_badges_write_thousands_with_the_interface_languages_decimal_mark(qapp) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QLocale

    from widgets.citymap.sprites import count_label

    before = QLocale()
    try:
        QLocale.setDefault(QLocale("fr"))
        assert [count_label(n) for n in (987, 2345, 34_000)] == ["987", "2,3k", "34k"]
        QLocale.setDefault(QLocale("en"))
        assert count_label(2345) == "2.3k"
    finally:
        QLocale.setDefault(before)
