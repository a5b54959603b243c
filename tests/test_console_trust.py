"""A console without current data must look abnormal: the band and the map say so, in both languages."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from feeds.links import Links
from feeds.mosquitto import Mosquitto
from hypervisor.deployment import BrokerDeployment
from tests.console_harness import Publication, open_console, pressure, publish
from tests.engine_harness import small_inventory

pytestmark = pytest.mark.broker

HEALTH = "hv/v1/engine/health"


def _health(**fields: object) -> Publication:
    body: dict[str, object] = {"ts": time.time_ns() // 1_000_000, "online": True, "lag_ms": 0,
                               "accepted": 0, "rejected": 0}
    body.update(fields)
    return HEALTH, body, True


def _reading(asset_id: str, ts_ms: int) -> Publication:
    return pressure(asset_id, 4.2, ts_ms)


@pytest.fixture
def console(qtbot, mosquitto: Mosquitto, tmp_path: Path):  # type: ignore[no-untyped-def]
    window, source = open_console(qtbot, BrokerDeployment(Links(), mosquitto.url), small_inventory(), "alice",
                                  tmp_path)
    qtbot.waitUntil(lambda: window.last_snapshot is not None and window.last_snapshot.link.state == "connected",
                    timeout=15_000)
    yield window
    window.close()
    source.stop()


def _now_ms() -> int:
    return time.time_ns() // 1_000_000


def test_a_console_the_broker_refuses_says_it_is_not_signed_in(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    with Mosquitto(allow_anonymous=False) as broker:
        window, source = open_console(qtbot, BrokerDeployment(Links(), broker.url), small_inventory(), "alice",
                                      tmp_path)
        try:
            qtbot.waitUntil(lambda: "NOT SIGNED IN" in window.band.alert_text(), timeout=15_000)
            assert window.band.alert_level() == "blocking"
            assert "alice" in window.band.alert_text()
            assert window.map.no_data_text() == "NO DATA yet"
        finally:
            window.close()
            source.stop()


def test_current_data_from_a_healthy_engine_raises_no_alert(console, qtbot, mosquitto: Mosquitto) -> None:  # type: ignore[no-untyped-def]
    publish(mosquitto.url, [_health(), _reading("W-P-001", _now_ms())])
    qtbot.waitUntil(lambda: console.band.alert_level() == "ok", timeout=10_000)
    assert console.map.no_data_text() is None and console.band.alert_text() == ""


def test_an_engine_far_behind_or_offline_is_impossible_to_miss(console, qtbot, mosquitto: Mosquitto) -> None:  # type: ignore[no-untyped-def]
    publish(mosquitto.url, [_health(lag_ms=51_000), _reading("W-P-001", _now_ms())])
    qtbot.waitUntil(lambda: "ENGINE 51 s BEHIND" in console.band.alert_text(), timeout=10_000)
    assert console.band.alert_level() == "degraded"
    assert console.map.no_data_text() is None, "values are current; only alarms are late"
    publish(mosquitto.url, [(HEALTH, {"online": False}, True)])
    qtbot.waitUntil(lambda: console.band.alert_level() == "blocking", timeout=10_000)
    assert "ENGINE OFFLINE" in console.band.alert_text()
    assert console.map.no_data_text() == "ENGINE OFFLINE: no new alarms"
    assert console.status.engine.text() == "Engine: offline"


def test_every_message_rejected_veils_the_map_with_since_when(console, qtbot, mosquitto: Mosquitto) -> None:  # type: ignore[no-untyped-def]
    future = _now_ms() + 3_600_000
    publish(mosquitto.url, [_health(accepted=10, rejected=0)])
    publish(mosquitto.url, [_reading(f"W-P-{i:03d}", future) for i in range(10)]
             + [_health(accepted=10, rejected=500, rejected_by_reason={"future_timestamp": 490, "bad_json": 10})])
    qtbot.waitUntil(lambda: "EVERY MESSAGE REJECTED" in console.band.alert_text(), timeout=10_000)
    assert "ahead of the engine's clock" in console.band.alert_text()
    assert console.band.alert_level() == "blocking"
    assert console.map.no_data_text() == "NO DATA yet"


def test_stale_data_says_since_when_in_the_city_time(console, qtbot, mosquitto: Mosquitto) -> None:  # type: ignore[no-untyped-def]
    from widgets.clock import wall_time

    old = _now_ms() - 20 * 60_000
    publish(mosquitto.url, [_health(), _reading("W-P-001", old)])
    since = f"NO DATA since {wall_time(old, '%H:%M')}"
    qtbot.waitUntil(lambda: console.map.no_data_text() == since, timeout=10_000)
    assert since in console.band.alert_text()


def test_a_broken_rule_file_shows_in_the_band_and_the_status_bar(console, qtbot, mosquitto: Mosquitto) -> None:  # type: ignore[no-untyped-def]
    error = {"file": "water.toml", "line": 12, "message": "unknown kind 'treshold'"}
    rules = {"ok": False, "files": 2, "errors": [error]}
    publish(mosquitto.url, [_health(rules=rules), _reading("W-P-001", _now_ms())])
    qtbot.waitUntil(lambda: "RULE FILE ERROR" in console.band.alert_text(), timeout=10_000)
    assert "water.toml:12" in console.band.alert_text()
    assert console.status.rules.isVisible() and "water.toml:12" in console.status.rules.text()


def test_the_alert_speaks_french(console, qtbot, qapp, mosquitto: Mosquitto) -> None:  # type: ignore[no-untyped-def]
    from hypervisor.app import install_translation

    assert install_translation(qapp, "fr") == "fr"
    try:
        publish(mosquitto.url, [(HEALTH, {"online": False}, True)])
        qtbot.waitUntil(lambda: "MOTEUR HORS LIGNE" in console.band.alert_text(), timeout=10_000)
        assert console.map.no_data_text() == "AUCUNE DONNÉE pour l'instant"
    finally:
        install_translation(qapp, "en")
