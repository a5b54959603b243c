"""KPI tiles and the mode band: what the room reads from across the floor."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QColor

from widgets import theme
from widgets.kpi import KpiTile
from widgets.mode_band import ModeBand


@pytest.fixture
def tile(qtbot) -> KpiTile:
    widget = KpiTile("Luminaires dark", "%", decimals=1)
    widget.resize(240, 140)
    qtbot.addWidget(widget)
    return widget


def _border_colour(tile: KpiTile) -> QColor:
    image = tile.grab().toImage()
    return image.pixelColor(1, image.height() // 2)


def test_kpi_shows_value_unit_and_trend(tile: KpiTile) -> None:
    assert tile.value_text() == "—"
    tile.set_value(3.25)
    assert tile.value_text().replace(",", ".") in {"3.2", "3.3"}
    assert tile.unit_label.text() == "%"
    tile.set_trend(0.5, "1 h")
    assert tile.sub_text().startswith("▲ +0")
    assert tile.sub_text().endswith("since 1 h")
    tile.set_trend(-2.0)
    assert tile.sub_text().startswith("▼ -2")
    tile.set_subtext("3 cabinets affected")
    assert tile.sub_text() == "3 cabinets affected"


def test_kpi_state_colours_the_border(tile: KpiTile) -> None:
    normal = _border_colour(tile)
    tile.set_state("alarm")
    assert tile.state() == "alarm"
    assert _border_colour(tile) == QColor(theme.STATE_COLOURS["alarm"])
    tile.set_state("warning")
    assert _border_colour(tile) == QColor(theme.STATE_COLOURS["warning"])
    assert normal != _border_colour(tile)
    with pytest.raises(ValueError, match="unknown KPI state"):
        tile.set_state("panic")


@pytest.mark.parametrize(("mode", "title"), [("live", "LIVE"), ("replay", "REPLAY"), ("training", "TRAINING")])
def test_mode_band_shows_the_mode_in_its_colour(qtbot, mode: str, title: str) -> None:
    band = ModeBand(mode)
    band.resize(600, band.sizeHint().height())
    qtbot.addWidget(band)
    band.set_detail("14:02:11 · session T-7")
    assert band.title() == title
    assert band.detail() == "14:02:11 · session T-7"
    image = band.grab().toImage()
    assert image.pixelColor(300, 1) == QColor(theme.MODE_COLOURS[mode][0])


def test_mode_band_colours_differ_and_unknown_modes_are_refused(qtbot) -> None:
    band = ModeBand()
    qtbot.addWidget(band)
    colours = set()
    for mode in ("live", "replay", "training"):
        band.set_mode(mode)
        colours.add(band.background().name())
    assert len(colours) == 3
    with pytest.raises(ValueError, match="unknown mode"):
        band.set_mode("sandbox")
    assert band.mode() == "training"
