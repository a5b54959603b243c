"""Gauge: the operator can tell a stale value, an alarm and where the limits are at a glance."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtGui import QColor, QImage

from widgets import theme
from widgets.gauge import GaugeWidget

STALE_SINCE_MS = 1_790_000_000_000


def _pixels_near(image: QImage, colour: str, tolerance: int = 12) -> int:
    """How many pixels of the rendered gauge have (nearly) this colour."""
    target = QColor(colour)
    found = 0
    for y in range(image.height()):
        for x in range(image.width()):
            pixel = image.pixelColor(x, y)
            if (abs(pixel.red() - target.red()) <= tolerance
                    and abs(pixel.green() - target.green()) <= tolerance
                    and abs(pixel.blue() - target.blue()) <= tolerance):
                found += 1
    return found


@pytest.fixture
def gauge(qtbot) -> GaugeWidget:
    widget = GaugeWidget("Pressure W-P-012", "bar", 0.0, 10.0)
    widget.resize(220, 200)
    qtbot.addWidget(widget)
    return widget


def _render(widget: GaugeWidget) -> QImage:
    return widget.grab().toImage()


def test_stale_gauge_says_since_when_and_greys_the_value(gauge: GaugeWidget) -> None:
    gauge.set_value(4.2, STALE_SINCE_MS)
    fresh = _render(gauge)
    gauge.set_stale(STALE_SINCE_MS)
    stale = _render(gauge)

    since = datetime.fromtimestamp(STALE_SINCE_MS / 1000, ZoneInfo("Europe/Paris")).strftime("%H:%M")
    assert gauge.is_stale()
    assert gauge.status_text() == f"no data since {since}"
    assert _pixels_near(fresh, theme.TEXT) > 20
    assert _pixels_near(stale, theme.TEXT) == 0
    assert _pixels_near(stale, theme.TEXT_STALE) > _pixels_near(fresh, theme.TEXT_STALE)


def test_fresh_data_clears_the_stale_text(gauge: GaugeWidget) -> None:
    gauge.set_stale(STALE_SINCE_MS)
    gauge.set_stale(None)
    assert not gauge.is_stale()
    assert gauge.status_text() == ""


def test_limits_are_drawn_as_coloured_ticks(gauge: GaugeWidget) -> None:
    gauge.set_value(5.0, None)
    without = _render(gauge)
    gauge.set_limits(lo=2.0, hi=8.0, hihi=9.0)
    with_limits = _render(gauge)

    assert gauge.limits() == {"lo": 2.0, "hi": 8.0, "hihi": 9.0}
    assert _pixels_near(without, theme.LIMIT_COLOURS["hihi"]) == 0
    assert _pixels_near(with_limits, theme.LIMIT_COLOURS["hihi"]) > 5
    assert _pixels_near(with_limits, theme.LIMIT_COLOURS["hi"]) > 10


def test_alarm_colours_the_value_and_is_named(gauge: GaugeWidget) -> None:
    gauge.set_value(9.5, None)
    gauge.set_alarm("critical")
    assert gauge.status_text() == "Critical alarm"
    assert _pixels_near(_render(gauge), theme.PRIORITY_COLOURS["critical"]) > 20


def test_value_is_shown_with_locale_decimals_and_a_dash_when_missing(gauge: GaugeWidget) -> None:
    assert gauge.value() is None
    assert gauge.value_text() == "—"
    gauge.set_value(3.14159, None)
    assert gauge.value() == pytest.approx(3.14159)
    assert gauge.value_text().replace(",", ".") == "3.1"


def test_empty_range_is_refused(qtbot) -> None:
    with pytest.raises(ValueError, match="empty"):
        GaugeWidget("x", "bar", 5.0, 5.0)


def test_a_long_title_shrinks_instead_of_being_cut(qtbot) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtGui import QFontMetrics

    gauge = GaugeWidget("Puissance d'éclairage", "kW", 0, 2000)
    qtbot.addWidget(gauge)
    gauge.resize(150, 200)
    assert QFontMetrics(gauge.title_font()).horizontalAdvance("Puissance d'éclairage") <= gauge.width()
