"""The Dijon map as an operator sees it: the whole city at start, names clear of the badges, streets
and their names close in, and the asset panel saying where an asset stands."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np
import pytest
from PySide6.QtGui import QColor, QImage
from pytestqt.qtbot import QtBot

from feeds.inventory import Inventory
from feeds.model import Domain
from widgets.citymap import CityMapWidget
from widgets.citymap import theme as map_theme
from widgets.citymap.frame import marker_boxes


@pytest.fixture
def dijon_map(qtbot: QtBot, dijon: Inventory) -> CityMapWidget:
    from hypervisor.app import load_basemap

    widget = CityMapWidget()
    qtbot.addWidget(widget)
    widget.resize(1600, 800)
    widget.set_basemap(load_basemap())
    domains = [d.value for d in Domain]
    widget.set_assets(dijon.lon, dijon.lat, np.array([domains.index(a.domain) for a in dijon.assets], np.uint8),
                      [a.id for a in dijon.assets])
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def _frame(widget: CityMapWidget) -> QImage:
    image = QImage(widget.width(), widget.height(), QImage.Format.Format_ARGB32_Premultiplied)
    widget.render_frame(image)
    return image


def _count_colour(image: QImage, colour: str) -> int:
    pixels = np.frombuffer(image.constBits(), np.uint32, image.width() * image.height())
    return int((pixels == np.uint32(QColor(colour).rgba())).sum())


def _zoom_on(widget: CityMapWidget, asset: int, scale: float) -> None:
    widget.focus_asset(asset)
    view = widget.view()
    widget._set_view(view.centred_on(view.centre_x, view.centre_y, scale))


def test_the_whole_city_fills_the_view_at_start(dijon_map: CityMapWidget) -> None:
    view = dijon_map.view()
    bounds = dijon_map._city_bounds()
    assert bounds is not None
    left, top = view.to_world(0, 0)
    right, bottom = view.to_world(view.width, view.height)
    assert left <= bounds.xmin and right >= bounds.xmax and bottom <= bounds.ymin and top >= bounds.ymax
    filled = max((bounds.xmax - bounds.xmin) / (right - left), (bounds.ymax - bounds.ymin) / (top - bottom))
    assert filled > 0.9, "the city is fitted to the view, not left small in its middle"


def test_place_names_stay_clear_of_cluster_badges_at_city_zoom(dijon_map: CityMapWidget) -> None:
    layout = dijon_map._current_layout()
    assert dijon_map.visible_clusters() > 20
    badges = marker_boxes(layout)
    placed = dijon_map._renderer.basemap.placed_labels(dijon_map._device_view(), badges)
    assert len(placed) >= 12, "most communes are still named"
    for n, (text, rect, _) in enumerate(placed):
        assert not any(rect.intersects(badge) for badge in badges), f"{text} lies under a badge"
        assert not any(rect.intersects(other) for _, other, _ in placed[n + 1 :])


def test_streets_appear_at_street_zoom_only(dijon_map: CityMapWidget, dijon: Inventory) -> None:
    assert _count_colour(_frame(dijon_map), map_theme.STREET) < 100, "no streets at city zoom"
    _zoom_on(dijon_map, dijon.index["L-L-05000"], 1.5)
    assert _count_colour(_frame(dijon_map), map_theme.STREET) > 20_000, "a street grid at street zoom"


def test_street_names_are_written_close_in_and_never_overlap(dijon_map: CityMapWidget, dijon: Inventory) -> None:
    streets = dijon_map._renderer.basemap.streets
    assert streets.placed(dijon_map._device_view()) == [], "no street names at city zoom"
    lamp = dijon.index["L-L-05000"]
    _zoom_on(dijon_map, lamp, 1.5)
    placed = streets.placed(dijon_map._device_view())
    assert len(placed) >= 6
    assert dijon.assets[lamp].attrs["street"] in {text for text, *_ in placed}
    for n, (text, outline, _, angle) in enumerate(placed):
        assert -90.0 < angle <= 90.0, f"{text} is written upside down"
        assert not any(outline.intersects(other) for _, other, _, _ in placed[n + 1 :]), text


def test_asset_panel_says_where_the_asset_stands(qtbot: QtBot, qapp, dijon: Inventory) -> None:  # type: ignore[no-untyped-def]
    from hypervisor.app import install_translation
    from hypervisor.console.panels.asset_panel import AssetPanel

    panel = AssetPanel()
    qtbot.addWidget(panel)
    lamp = next(a for a in dijon.of_kind("luminaire") if a.commune == "Chenôve")
    panel.show_asset(lamp, None, 0)
    assert f"{lamp.attrs['street']}, Chenôve" in panel.title.text()
    assert lamp.attrs["street"].split()[0] in {"Rue", "Avenue", "Boulevard", "Allée", "Impasse"}
    container = next(a for a in dijon.of_kind("container") if a.district == "Grésilles")
    assert install_translation(qapp, "fr") == "fr"
    try:
        panel.show_asset(container, None, 0)
        assert f"{container.attrs['street']}, Dijon (quartier Grésilles)" in panel.title.text()
    finally:
        install_translation(qapp, "en")



def test_asset_panel_names_alarms_by_their_rules_description_in_the_interface_language(  # type: ignore[no-untyped-def]
        qtbot: QtBot, qapp, dijon: Inventory) -> None:
    from alerts.records import AlarmEvent, AlarmRecord, AlarmState, Priority
    from hypervisor.app import install_translation
    from hypervisor.console.history import AssetHistory
    from hypervisor.console.panels.asset_panel import AssetPanel

    panel = AssetPanel()
    qtbot.addWidget(panel)
    container = next(iter(dijon.of_kind("container")))
    record = AlarmRecord(f"container_fire:{container.id}", "container_fire", container.id, "waste", container.district,
                         "container", Priority.CRITICAL, description="Probable container fire",
                         descriptions={"fr": "Incendie probable du conteneur"}, state=AlarmState.UNACK)
    event = AlarmEvent(1_790_000_000_000, record.alarm_id, record.rule_id, container.id, Priority.CRITICAL,
                       AlarmState.NORMAL, AlarmState.UNACK, record=record.to_json()).to_json()
    panel.show_asset(container, None, 0)
    panel.set_history(AssetHistory(container.id, {}, [event], []))
    assert panel.history.topLevelItem(0).text(1).startswith("Probable container fire : ")
    assert install_translation(qapp, "fr") == "fr"
    try:
        panel.set_history(AssetHistory(container.id, {}, [event], []))
        assert panel.history.topLevelItem(0).text(1).startswith("Incendie probable du conteneur : ")
    finally:
        install_translation(qapp, "en")


def test_polylines_break_where_the_geometry_does_and_keep_every_point() -> None:
    from widgets.citymap.polylines import polylines_path

    # A street of two segments, a gap, then a second street of one segment (3-4-5 triangles: lengths 10 and 5).
    xy = np.array([[0, 0], [3, 4], [6, 8], [np.nan, np.nan], [10, 10], [13, 14]], dtype=float)
    path = polylines_path(xy)
    kinds = [path.elementAt(i).type.value for i in range(path.elementCount())]
    assert kinds == [0, 1, 1, 0, 1], "a move where each street starts, lines along it"
    assert path.length() == pytest.approx(15.0), "no line drawn across the gap"
    assert (path.elementAt(4).x, path.elementAt(4).y) == (13.0, 14.0)
    assert polylines_path(np.full((3, 2), np.nan)).isEmpty()
