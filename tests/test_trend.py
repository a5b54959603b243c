"""Trend: history and live samples end up in one time-ordered curve, whatever order they arrive in."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QPointF

from widgets.trend import NEWEST_MARGIN, SeriesBuffer, TrendWidget

T0 = 1_790_000_000_000


@pytest.fixture
def trend(qtbot) -> TrendWidget:
    widget = TrendWidget("Reservoir R-3 level", "%", capacity=5)
    widget.add_series("level")
    qtbot.addWidget(widget)
    return widget


def test_ring_buffer_keeps_the_newest_points_in_order_when_it_wraps(trend: TrendWidget) -> None:
    for i in range(8):
        trend.append("level", T0 + i * 1000, float(i))
    ts, values = trend.series_data("level")
    assert ts.tolist() == [T0 + i * 1000 for i in range(3, 8)]
    assert values.tolist() == [3.0, 4.0, 5.0, 6.0, 7.0]


def test_extend_then_append_keeps_time_order(trend: TrendWidget) -> None:
    trend.extend("level", [T0, T0 + 1000, T0 + 2000], [1.0, 2.0, 3.0])
    trend.append("level", T0 + 3000, 4.0)
    trend.extend("level", [T0 + 4000, T0 + 5000], [5.0, 6.0])
    ts, values = trend.series_data("level")
    assert np.all(np.diff(ts) > 0)
    assert values.tolist() == [2.0, 3.0, 4.0, 5.0, 6.0]


def test_late_backfill_is_merged_before_live_points(trend: TrendWidget) -> None:
    trend.append("level", T0 + 10_000, 10.0)
    trend.append("level", T0 + 11_000, 11.0)
    trend.extend("level", [T0 + 7000, T0 + 8000, T0 + 9000], [7.0, 8.0, 9.0])
    ts, values = trend.series_data("level")
    assert np.all(np.diff(ts) > 0)
    assert values.tolist() == [7.0, 8.0, 9.0, 10.0, 11.0]


def test_backfill_larger_than_capacity_keeps_the_newest() -> None:
    buffer = SeriesBuffer(4)
    buffer.append(T0, 0.0)
    buffer.extend(np.arange(1, 11) * 1000 + T0, np.arange(1, 11, dtype=float))
    assert buffer.data()[1].tolist() == [7.0, 8.0, 9.0, 10.0]


def test_refresh_draws_the_buffer_and_follows_the_window(trend: TrendWidget) -> None:
    trend.show()
    trend.set_window(3600)
    trend.extend("level", [T0, T0 + 60_000], [40.0, 42.0])
    curve = trend.plot.getPlotItem().listDataItems()[0]
    assert curve.getData()[0] is None or len(curve.getData()[0]) == 0

    trend.refresh()

    xs, ys = curve.getData()
    assert ys.tolist() == [40.0, 42.0]
    assert xs[-1] == pytest.approx((T0 + 60_000) / 1000)
    left, right = trend.plot.getPlotItem().getViewBox().viewRange()[0]
    assert right == pytest.approx((T0 + 60_000) / 1000 + 3600 * NEWEST_MARGIN), "a little room after the newest"
    assert right - left == pytest.approx(3600 * (1 + NEWEST_MARGIN))


def test_a_hidden_trend_draws_what_it_missed_once_shown(trend: TrendWidget, qtbot) -> None:
    trend.extend("level", [T0, T0 + 60_000], [40.0, 42.0])
    trend.refresh()
    curve = trend.plot.getPlotItem().listDataItems()[0]
    assert curve.getData()[0] is None or len(curve.getData()[0]) == 0

    trend.show()
    qtbot.waitUntil(lambda: curve.getData()[1] is not None and curve.getData()[1].tolist() == [40.0, 42.0])
    assert trend.plot.getPlotItem().getViewBox().viewRange()[0][1] == pytest.approx((T0 + 60_000) / 1000)


def test_limits_are_dashed_lines_that_can_be_hidden(trend: TrendWidget) -> None:
    trend.set_limits(20.0, 95.0)
    lines = [item for item in trend.plot.getPlotItem().items if item.__class__.__name__ == "InfiniteLine"]
    assert sorted(line.value() for line in lines if line.isVisible()) == [20.0, 95.0]
    trend.set_limits(None, 95.0)
    assert [line.value() for line in lines if line.isVisible()] == [95.0]
    assert trend.limits() == (None, 95.0)


def test_unknown_series_and_duplicate_names_are_refused(trend: TrendWidget) -> None:
    with pytest.raises(KeyError):
        trend.append("flow", T0, 1.0)
    with pytest.raises(ValueError, match="already exists"):
        trend.add_series("level")


def test_clear_and_series_visibility(qtbot: object) -> None:
    from widgets.trend import TrendWidget

    trend = TrendWidget("Pressure", "bar")
    qtbot.addWidget(trend)
    trend.add_series("pressure_bar")
    trend.add_series("flow_m3h")
    trend.set_series_visible("flow_m3h", False)
    assert trend.is_series_visible("pressure_bar") and not trend.is_series_visible("flow_m3h")
    trend.clear()
    assert trend.series_names() == []
    trend.add_series("pressure_bar")
    assert trend.series_names() == ["pressure_bar"]


def test_a_steady_value_is_not_magnified_into_a_swing(qtbot: object) -> None:
    import numpy as np

    from widgets.trend import TrendWidget

    trend = TrendWidget("Lighting power", "kW")
    qtbot.addWidget(trend)
    trend.show()
    trend.add_series("power")
    ts = 1_795_000_000_000 + np.arange(60) * 60_000
    trend.extend("power", ts, 1339.0 + np.sin(np.arange(60)) * 0.1)
    trend.refresh()
    low, high = trend.plot.getPlotItem().viewRange()[1]
    assert high - low >= 133, "a 0.2 kW ripple on 1339 kW must look flat"
    trend.extend("power", ts + 3_600_000, np.linspace(200, 1400, 60))
    trend.refresh()
    low, high = trend.plot.getPlotItem().viewRange()[1]
    assert low < 250 and high > 1350, "a real change uses the whole height"


def test_an_empty_trend_says_no_data_instead_of_meaningless_axes(qtbot) -> None:  # type: ignore[no-untyped-def]
    trend = TrendWidget("Pressure", "bar")
    qtbot.addWidget(trend)
    trend.show()
    trend.add_series("p")
    assert trend.is_waiting() and not trend.plot.getPlotItem().getAxis("left").isVisible()
    trend.append("p", 1_760_000_000_000, 4.2)
    trend.refresh()
    assert not trend.is_waiting() and trend.plot.getPlotItem().getAxis("left").isVisible()
    trend.clear()
    assert trend.is_waiting()


def test_time_axis_reads_the_city_zone_whatever_the_machine_zone(qtbot) -> None:  # type: ignore[no-untyped-def]
    trend = TrendWidget("Pressure", "bar")
    qtbot.addWidget(trend)
    trend.show()
    trend.add_series("p")
    trend.append("p", 1_764_300_000_000, 4.2)  # November: Paris is UTC+1
    trend.refresh()
    assert trend.plot.getPlotItem().getAxis("bottom").utcOffset == -3600
    trend.append("p", 1_782_000_000_000, 4.2)  # June: UTC+2
    trend.refresh()
    assert trend.plot.getPlotItem().getAxis("bottom").utcOffset == -7200


def test_a_quantity_at_zero_reads_from_zero_in_its_own_unit(qtbot) -> None:  # type: ignore[no-untyped-def]
    trend = TrendWidget("Lighting power", "kW")
    qtbot.addWidget(trend)
    trend.show()
    trend.add_series("p")
    trend.extend("p", [T0, T0 + 60_000], [0.0, 0.0])  # daytime: every street light off
    trend.refresh()
    low, high = trend.plot.getPlotItem().viewRange()[1]
    assert low >= -0.05 and high >= 1.0, "no negative power on the scale"
    assert trend.plot.getPlotItem().getAxis("left").labelString().count("x0.001") == 0


def test_points_fed_at_every_frame_are_drawn_at_most_twice_a_second_and_the_last_always(
        trend: TrendWidget, qtbot) -> None:
    trend.show()
    trend.set_window(3600)
    curve = trend.plot.getPlotItem().listDataItems()[0]
    trend.extend("level", [T0, T0 + 60_000], [40.0, 41.0])
    trend.refresh()
    assert curve.getData()[1].tolist() == [40.0, 41.0]
    trend.append("level", T0 + 120_000, 42.0)
    trend.refresh_soon()
    trend.append("level", T0 + 180_000, 43.0)
    trend.refresh_soon()
    assert curve.getData()[1].tolist() == [40.0, 41.0], "not redrawn within half a second"
    qtbot.waitUntil(lambda: curve.getData()[1].tolist() == [40.0, 41.0, 42.0, 43.0], timeout=2000)


def test_forgetting_points_keeps_the_series_and_says_no_data_yet(trend: TrendWidget) -> None:
    trend.show()
    trend.extend("level", [T0, T0 + 60_000], [40.0, 42.0])
    trend.refresh()
    items = trend.plot.getPlotItem().listDataItems()
    trend.forget_points()
    assert trend.plot.getPlotItem().listDataItems() == items
    assert len(trend.series_data("level")[0]) == 0
    assert trend.is_waiting()


def test_a_new_trend_fed_at_its_frame_rate_draws_its_first_points(trend: TrendWidget, qtbot) -> None:
    trend.show()
    trend.append("level", T0, 40.0)
    trend.refresh_soon()
    curve = trend.plot.getPlotItem().listDataItems()[0]
    qtbot.waitUntil(lambda: curve.getData()[1] is not None and curve.getData()[1].tolist() == [40.0], timeout=2000)


def test_a_six_hour_trend_at_a_dock_s_width_labels_its_hours(qtbot) -> None:  # type: ignore[no-untyped-def]
    trend = TrendWidget("Lighting power", "kW")
    qtbot.addWidget(trend)
    trend.resize(400, 500)
    trend.show()
    trend.set_window(6 * 3600)
    trend.add_series("p")
    trend.extend("p", [T0, T0 + 1_800_000], [1340.0, 1341.0])  # half an hour of data in a 6-hour window
    trend.refresh()
    trend.plot.grab()  # the axis measures its labels when drawn
    axis = trend.plot.getPlotItem().getAxis("bottom")
    low, high = trend.plot.getPlotItem().viewRange()[0]
    assert high - low == pytest.approx(6 * 3600, rel=0.1)
    labelled = [value for _spacing, values in axis.tickValues(low, high, axis.width()) for value in values
                if low <= value <= high]
    assert len(labelled) >= 3, f"a 6-hour window on {axis.width():.0f} px shows {len(labelled)} labels"


def _pixels_near(trend: TrendWidget, colour: object, ms: int, value: float) -> int:
    """Pixels of the series' colour within 6 px of where a reading is drawn."""
    item = trend.plot.getPlotItem()
    at = trend.plot.mapFromScene(item.vb.mapViewToScene(QPointF(ms / 1000.0, value)))
    image = trend.plot.grab().toImage()
    target = colour.rgb()
    return sum(image.pixel(x, y) == target for x in range(at.x() - 6, at.x() + 7) for y in range(at.y() - 6, at.y() + 7)
               if image.valid(x, y))


def test_a_trend_s_first_reading_shows_as_a_dot_before_there_is_a_line(trend: TrendWidget, qtbot) -> None:
    trend.resize(400, 300)
    trend.show()
    qtbot.waitExposed(trend)
    trend.append("level", T0, 40.0)
    trend.refresh()
    curve = trend.plot.getPlotItem().listDataItems()[0]
    colour = curve.opts["pen"].color()
    assert _pixels_near(trend, colour, T0, 40.0) > 5, "one reading is visible"
    trend.append("level", T0 + 60_000, 41.0)
    trend.refresh()
    assert curve.opts["symbol"] is None, "from two readings on, a line without dots"
    assert _pixels_near(trend, colour, T0 + 30_000, 40.5) > 0
