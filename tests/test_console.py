"""The operator console on the embedded default (simulated Dijon, engine and console in one process)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt

from feeds.inventory import Inventory
from hypervisor import paths
from hypervisor.app import build_console
from hypervisor.deployment import EmbeddedCity
from tests.console_harness import open_console, row_of, select_alarm

REPORTED = ("lighting_lit_pct", "lighting_power_kw", "water_min_pressure_bar", "waste_over_80")


WINTER_NIGHT_MS = 1_768_514_400_000
"""2026-01-15 23:00 in Dijon: the street lights are on whatever the hour the tests run at."""


@pytest.fixture
def demo(qtbot, dijon: Inventory, tmp_path: Path):  # type: ignore[no-untyped-def]
    deployment = EmbeddedCity(dijon, [paths.DEFAULT_RULES], tmp_path / "historian.sqlite", speed=60.0,
                              faults_per_hour=0, start_ms=WINTER_NIGHT_MS)
    window, source = open_console(qtbot, deployment, dijon, "alice", tmp_path)
    try:  # a city too slow to report must not leave its simulator running into the next tests
        qtbot.waitUntil(lambda: window.last_snapshot is not None
                        and None not in [window.last_snapshot.kpis.get(k) for k in REPORTED], timeout=60_000)
        yield window, source
    finally:
        window.close()
        source.stop()


def test_demo_shows_the_whole_city(demo, dijon: Inventory) -> None:  # type: ignore[no-untyped-def]
    window, _ = demo
    assert window.map.asset_count() == len(dijon) > 38_000
    assert window.map.visible_clusters() > 0, "at city zoom the markers are clustered"
    kpis = window.last_snapshot.kpis
    assert kpis["lighting_power_kw"] > 0 and kpis["water_min_pressure_bar"] > 2
    assert window.band.title() and window.status.link.text().endswith("connected")


def test_trends_say_no_data_yet_until_the_first_values_then_draw(qtbot, dijon: Inventory,  # type: ignore[no-untyped-def]
                                                                  tmp_path: Path) -> None:
    deployment = EmbeddedCity(dijon, [paths.DEFAULT_RULES], tmp_path / "historian.sqlite", speed=60.0,
                              faults_per_hour=0, start_ms=WINTER_NIGHT_MS)
    window, source = open_console(qtbot, deployment, dijon, "alice", tmp_path)
    try:
        trend = window.domain_panels["lighting"].trend
        assert trend.is_waiting(), "before any value the trend says so"
        qtbot.waitUntil(lambda: window.startup.values_shown, timeout=60_000)
        qtbot.waitUntil(lambda: not trend.is_waiting(), timeout=20_000)
        assert len(trend.series_data("lighting_power_kw")[0]) > 0
        assert trend.plot.getPlotItem().listDataItems()[0].getData()[1].size > 0, "the line is drawn"
    finally:
        window.close()
        source.stop()


def test_injected_fault_is_listed_drawn_and_acknowledged(demo, qtbot, dijon: Inventory) -> None:  # type: ignore[no-untyped-def]
    window, source = demo
    index = dijon.index["W-P-012"]
    source.inject_fault("pressure_drop", "W-P-012")
    qtbot.waitUntil(lambda: row_of(window, "W-P-012") is not None, timeout=20_000)
    row = row_of(window, "W-P-012")
    assert row.state == "unack" and row.priority in ("high", "critical")
    qtbot.waitUntil(lambda: window.map.asset_state(index)[:2] == (3 if row.priority == "high" else 4, True))
    assert window.map.is_blinking()
    select_alarm(window, row.alarm_id)
    qtbot.keyClick(window.alarms.table, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.alarms.model.get(row.alarm_id).state == "acked", timeout=5_000)
    assert window.alarms.model.get(row.alarm_id).acked_by == "alice"
    qtbot.waitUntil(lambda: window.map.asset_state(index)[1] is False, timeout=5_000)
    assert window.map.asset_state(index)[0] > 0, "an acknowledged alarm keeps its colour until it clears"


def test_a_silent_sensor_turns_stale(demo, qtbot, dijon: Inventory) -> None:  # type: ignore[no-untyped-def]
    window, source = demo
    index = dijon.index["W-P-012"]
    qtbot.waitUntil(lambda: "W-P-012" in window._latest, timeout=20_000)
    window.open_asset("W-P-012")
    # Right after start, at 60x, the city's reports may run behind its clock for a few seconds, and the
    # panel rightly says so; the sensor is fresh once its reports keep up.
    qtbot.waitUntil(lambda: not window.asset_panel.is_stale(), timeout=30_000)
    source.inject_fault("sensor_silence", "W-P-012")
    qtbot.waitUntil(lambda: window.map.asset_state(index)[2], timeout=30_000)
    qtbot.waitUntil(window.asset_panel.is_stale, timeout=5_000)
    text = window.asset_panel.metrics.item(0, 2).text()
    assert text.startswith("no data since ")


def test_operator_layout_is_kept_per_user(qtbot, dijon: Inventory, tmp_path: Path) -> None:
    deployment = EmbeddedCity(dijon, [paths.DEFAULT_RULES], tmp_path / "h.sqlite", faults_per_hour=0)
    settings = QSettings(str(tmp_path / "layout.ini"), QSettings.Format.IniFormat)
    first, _ = build_console(deployment, dijon, "alice", settings=settings)
    qtbot.addWidget(first)
    first.show()
    first._docks["asset"].hide()
    first.close()
    again, _ = build_console(deployment, dijon, "alice", settings=settings)
    other, _ = build_console(deployment, dijon, "bob", settings=settings)
    for window in (again, other):
        qtbot.addWidget(window)
        window.show()
    assert again._docks["asset"].isHidden()
    assert not other._docks["asset"].isHidden()


def test_console_speaks_french(qtbot, qapp, dijon: Inventory, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from hypervisor.app import install_translation

    assert install_translation(qapp, "fr") == "fr"
    try:
        deployment = EmbeddedCity(dijon, [paths.DEFAULT_RULES], tmp_path / "h.sqlite", faults_per_hour=0)
        settings = QSettings(str(tmp_path / "layout.ini"), QSettings.Format.IniFormat)
        window, _ = build_console(deployment, dijon, "alice", settings=settings)
        qtbot.addWidget(window)
        assert window.band.title() == "TEMPS RÉEL"
        assert window._docks["alarms"].windowTitle() == "Alarmes"
        assert window.alarms.ack_action.text() == "Acquitter"
        assert window.kpis.tiles["water_min_night_flow_m3h"].title_label.text() == "Débit minimum de nuit"
        assert window.kpis.tiles["water_min_night_flow_m3h"].sub_text() == "de 2 h à 5 h"
        legend = window.domain_panels["lighting"].trend.plot.getPlotItem().legend
        assert [label.text for _, label in legend.items] == ["Puissance d'éclairage"]
    finally:
        install_translation(qapp, "en")
