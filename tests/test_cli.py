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


@pytest.mark.broker
def test_engine_and_simulator_processes_fill_the_historian(mosquitto: Mosquitto, tmp_path: Path) -> None:
    inventory = district_inventory(tmp_path / "talant.geojson")
    db = tmp_path / "historian.sqlite"
    engine = hypervisor("engine", "--broker", mosquitto.url, "--inventory", str(inventory), "--historian", str(db),
                        "--sim-clock")
    simulator = hypervisor("simulate", "--broker", mosquitto.url, "--inventory", str(inventory), "--speed", "30")
    try:
        deadline = time.monotonic() + 60
        while _rows(db, "telemetry") < 500 and time.monotonic() < deadline:
            assert engine.poll() is None and simulator.poll() is None
            time.sleep(0.2)
        assert _rows(db, "telemetry") >= 500
    finally:
        for process in (simulator, engine):
            process.send_signal(signal.SIGTERM)
        outputs = [p.communicate(timeout=30)[0] for p in (simulator, engine)]
    assert engine.returncode == 0, outputs[1]
    with sqlite3.connect(db) as conn:
        sessions = conn.execute("select kind, ended_ms from sessions").fetchall()
    assert sessions and sessions[0][0] == "engine" and sessions[0][1] is not None


def test_bad_arguments_get_a_clear_message(tmp_path: Path) -> None:
    env = {**os.environ, "HV_MQTT_PASSWORD": ""}
    cases = [
        (["engine", "--broker", "mqtt://u:secret@host", "--historian", str(tmp_path / "h.sqlite")], "password"),
        (["engine", "--broker", "http://host", "--historian", str(tmp_path / "h.sqlite")], "mqtt://"),
        (["simulate", "--broker", "mqtt://127.0.0.1:1", "--inventory", str(tmp_path / "missing.geojson")],
         "cannot load the inventory"),
        (["engine", "--broker", "mqtt://127.0.0.1:1", "--historian", str(tmp_path / "h.sqlite"),
          "--quarantine-keys", "0"], "quarantine budget needs max_keys >= 1"),
    ]
    for args, words in cases:
        process = hypervisor(*args, env=env)
        output = process.communicate(timeout=60)[0]
        assert process.returncode == 2, output
        assert words in output
