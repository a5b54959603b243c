"""Numbers are never cut, and a gauge, its key-figure tile and the alarm agree with the rule in force."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QTabBar

from feeds.links import Links
from feeds.mosquitto import Mosquitto
from hypervisor.app import build_console
from hypervisor.deployment import BrokerDeployment
from tests.console_harness import EngineBeside, open_console, pressure, publish, row_of
from tests.engine_harness import small_inventory
from widgets.alarms.model import Column

pytestmark = pytest.mark.broker

PRESSURE_RULE = """
[[rule]]
id = "pressure_drop"
description = "Network pressure low (lo) or very low (lolo)"
priority = "medium"
kind = "threshold"
target = { domain = "water", kind = "pressure_sensor" }
metric = "pressure_bar"
lo = 2.0
lolo = 1.5
deadband = 0.2
priorities = { lolo = "high" }
"""

BIG_FIGURES = {"lighting_power_kw": 1339.0, "lighting_lit_pct": 100.0, "heating_out_of_comfort": 128.0,
               "waste_over_80": 12345.0, "water_min_pressure_bar": 1.22, "water_min_night_flow_m3h": 5432.0}


def test_gauge_tile_and_alarm_take_the_rules_limits(qtbot, mosquitto: Mosquitto, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    rules = tmp_path / "in-force.toml"
    rules.write_text(PRESSURE_RULE)
    inventory = small_inventory()
    with EngineBeside(mosquitto.url, inventory, tmp_path, PRESSURE_RULE):
        deployment = BrokerDeployment(Links(), mosquitto.url, rule_paths=[rules])
        window, source = open_console(qtbot, deployment, inventory, "alice", tmp_path)
        try:
            gauge = window.domain_panels["water"].gauges["water_min_pressure_bar"]
            tile = window.kpis.tiles["water_min_pressure_bar"]
            assert gauge.limits() == {"lo": 2.0, "lolo": 1.5}
            assert gauge.normal_band() == (2.0, 8.0)
            assert gauge.scale_values()[0] == 0 and gauge.scale_values()[-1] == 8
            qtbot.waitUntil(lambda: window.last_snapshot is not None and window.last_snapshot.link.engine_online,
                            timeout=15_000)
            publish(mosquitto.url, [pressure("W-P-007", 1.22)])
            qtbot.waitUntil(lambda: row_of(window, "W-P-007") is not None, timeout=10_000)
            qtbot.waitUntil(lambda: tile.value_text() == "1.22", timeout=5_000)
            assert row_of(window, "W-P-007").priority == "high"
            assert tile.state() == "high"
            assert gauge.status_text() == "High alarm"
            publish(mosquitto.url, [pressure("W-P-007", 1.8)])
            qtbot.waitUntil(lambda: tile.value_text() == "1.80", timeout=5_000)
            assert tile.state() == "medium" and gauge.status_text() == "Medium alarm"
        finally:
            window.close()
            source.stop()


@pytest.mark.parametrize("size", [(1280, 720), (1920, 1080)])
def test_no_number_is_cut(qtbot, tmp_path: Path, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    settings = QSettings(str(tmp_path / "layout.ini"), QSettings.Format.IniFormat)
    window, source = build_console(BrokerDeployment(Links(), "mqtt://127.0.0.1:1"), small_inventory(), "alice",
                                   settings=settings)
    qtbot.addWidget(window)
    window.show()
    try:
        window.alarms.set_flood(True, 23, 1_760_000_000_000)  # the longest banner the list shows
        window.resize(*size)
        window.kpis.update_kpis(BIG_FIGURES, night=True)
        qtbot.waitUntil(lambda: window.width() == size[0])
        qtbot.wait(50)  # layouts settle on the next event-loop turn
        for key, tile in window.kpis.tiles.items():
            assert tile.value_text() in ("1,339", "100", "128", "12,345", "1.22", "5,432"), key
            assert tile.value_label.fits(), f"{key} reads {tile.value_text()} but is cut at {window.width()} px"
            unit = tile.unit_label
            assert unit.width() >= unit.fontMetrics().horizontalAdvance(unit.text()), f"{key} unit cut"
            title = tile.title_label
            assert title.height() >= title.heightForWidth(title.width()), f"{key} title cut"
        em = window.alarms.table.fontMetrics().horizontalAdvance("M")
        assert window.alarms.table.columnWidth(Column.MESSAGE) >= 18 * em, "the message column keeps room to read"
        for tabs in window.findChildren(QTabBar):
            assert tabs.elideMode() == Qt.TextElideMode.ElideNone
    finally:
        window.close()
        source.stop()
