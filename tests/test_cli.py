"""The command line as deployments use it: engine and simulator as separate processes on a broker."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from feeds.inventory import Inventory
from feeds.mosquitto import Mosquitto
from hypervisor import paths


def district_inventory(path: Path, district: str = "Talant") -> Path:
    """A slice of the Dijon inventory: one district, every asset whose parent is in it too."""
    doc = json.loads(paths.DIJON_INVENTORY.read_text())
    kept = [f for f in doc["features"] if f["properties"]["district"] == district]
    ids = {f["properties"]["id"] for f in kept}
    kept = [f for f in kept if f["properties"].get("parent") in (None, *ids)]
    path.write_text(json.dumps({"type": "FeatureCollection", "features": kept}))
    return path


def hypervisor(*args: str, **kwargs: object) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "hypervisor", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, **kwargs)


def _rows(db: Path, table: str) -> int:
    try:
        with sqlite3.connect(db) as conn:
            return int(conn.execute(f"select count(*) from {table}").fetchone()[0])
    except sqlite3.OperationalError:
        return 0


def _scalar(db: Path, sql: str) -> int:
    try:
        with sqlite3.connect(db) as conn:
            return int(conn.execute(sql).fetchone()[0] or 0)
    except sqlite3.OperationalError:
        return 0


def _stop(*processes: subprocess.Popen[str]) -> list[str]:
    for process in processes:
        process.send_signal(signal.SIGTERM)
    return [p.communicate(timeout=30)[0] for p in processes]


@pytest.mark.broker
def test_engine_and_simulator_at_60x_as_the_readme_writes_them(mosquitto: Mosquitto, tmp_path: Path) -> None:
    """No clock option: the engine follows the simulator's clock by itself, so readings an hour ahead of the
    wall clock are stored, not refused, and the simulator's default faults raise alarms."""
    inventory = district_inventory(tmp_path / "talant.geojson")
    db = tmp_path / "historian.sqlite"
    engine = hypervisor("engine", "--broker", mosquitto.url, "--inventory", str(inventory), "--historian", str(db))
    simulator = hypervisor("simulate", "--broker", mosquitto.url, "--inventory", str(inventory), "--speed", "60")
    ahead_ms = 10 * 60_000
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            assert engine.poll() is None and simulator.poll() is None
            wall_ms = time.time_ns() // 1_000_000
            stored_ahead = _scalar(db, f"select count(*) from telemetry where ts_ms > {wall_ms + ahead_ms}")
            if stored_ahead >= 100 and _rows(db, "alarm_events") >= 1:
                break
            time.sleep(0.2)
        refused_future = _scalar(db, "select sum(count) from quarantine where reason = 'future_timestamp'")
        stored_ahead = _scalar(db, f"select count(*) from telemetry where ts_ms > {wall_ms + ahead_ms}")
        alarm_events = _rows(db, "alarm_events")
    finally:
        outputs = _stop(simulator, engine)
    assert stored_ahead >= 100, outputs[1][-3000:]
    assert refused_future == 0, outputs[1][-3000:]
    assert alarm_events >= 1, outputs[1][-3000:]
    assert engine.returncode == 0, outputs[1]
    assert "faults per simulated hour" in outputs[0]
    with sqlite3.connect(db) as conn:
        sessions = conn.execute("select kind, ended_ms from sessions").fetchall()
    assert sessions and sessions[0][0] == "engine" and sessions[0][1] is not None


def _retained_clock(mosquitto: Mosquitto) -> bytes | None:
    """The retained simulator clock on the broker, if any (a retained message arrives at once on subscribe)."""
    out = subprocess.run(["mosquitto_sub", "-h", "127.0.0.1", "-p", str(mosquitto.port), "-t", "hv/v1/sim/clock",
                          "-C", "1", "-W", "2", "--retained-only"], check=False, capture_output=True,
                         timeout=30)
    return out.stdout.strip() or None


@pytest.mark.broker
def test_a_killed_simulator_leaves_no_clock_for_the_engine_to_follow(mosquitto: Mosquitto, tmp_path: Path) -> None:
    """Its last will clears the retained clock: an engine started later runs on the wall clock, and says
    what to do about the readings a simulator ahead of it still sends."""
    inventory = district_inventory(tmp_path / "talant.geojson")
    simulator = hypervisor("simulate", "--broker", mosquitto.url, "--inventory", str(inventory), "--speed", "60")
    deadline = time.monotonic() + 60
    while _retained_clock(mosquitto) is None:
        assert simulator.poll() is None and time.monotonic() < deadline
    simulator.kill()
    simulator.communicate(timeout=30)
    deadline = time.monotonic() + 10
    while _retained_clock(mosquitto) is not None:
        assert time.monotonic() < deadline, "the killed simulator's clock stayed retained"
    db = tmp_path / "historian.sqlite"
    engine = hypervisor("engine", "--broker", mosquitto.url, "--inventory", str(inventory), "--historian", str(db),
                        "--wall-clock")
    simulator = hypervisor("simulate", "--broker", mosquitto.url, "--inventory", str(inventory), "--speed", "60")
    try:
        deadline = time.monotonic() + 90
        while _scalar(db, "select sum(count) from quarantine where reason = 'future_timestamp'") == 0:
            assert engine.poll() is None and time.monotonic() < deadline
            time.sleep(0.2)
    finally:
        outputs = _stop(simulator, engine)
    assert "restart it without --wall-clock" in outputs[1], outputs[1][-3000:]


def test_bad_arguments_get_a_clear_message(tmp_path: Path) -> None:
    env = {**os.environ, "HV_MQTT_PASSWORD": ""}
    cases = [
        (["engine", "--broker", "mqtt://u:secret@host", "--historian", str(tmp_path / "h.sqlite")], "password"),
        (["engine", "--broker", "http://host", "--historian", str(tmp_path / "h.sqlite")], "mqtt://"),
        (["simulate", "--broker", "mqtt://127.0.0.1:1", "--inventory", str(tmp_path / "missing.geojson")],
         "cannot load the inventory"),
        (["engine", "--broker", "mqtt://127.0.0.1:1", "--historian", str(tmp_path / "h.sqlite"),
          "--quarantine-keys", "0"], "quarantine budget needs max_keys >= 1"),
        (["replay", str(tmp_path / "h.sqlite"), "--timezone", "Europe/Dijon"], "unknown time zone 'Europe/Dijon'"),
    ]
    for args, words in cases:
        process = hypervisor(*args, env=env)
        output = process.communicate(timeout=60)[0]
        assert process.returncode == 2, output
        assert words in output


def test_the_city_zone_is_the_one_every_time_is_shown_and_read_in(qapp) -> None:  # type: ignore[no-untyped-def]
    from feeds.clock import CITY_ZONE
    from hypervisor.cli import _set_city_zone
    from hypervisor.console.state import CityState
    from hypervisor.feed.address import parse_instant
    from widgets.clock import display_zone, wall_time
    from widgets.timeline import instant_text

    winter_noon_utc = 1_767_268_800_000  # 2026-01-01 12:00 UTC
    try:
        assert _set_city_zone("America/Montreal")
        assert wall_time(winter_noon_utc, "%H:%M") == "07:00"
        assert instant_text(winter_noon_utc).endswith("07:00:00 EST")
        assert CityState(Inventory([]))._night_flow.zone == display_zone()
        assert parse_instant("2026-01-01T07:00", "America/Montreal") == winter_noon_utc
    finally:
        _set_city_zone(CITY_ZONE)
    assert wall_time(winter_noon_utc, "%H:%M") == "13:00"
