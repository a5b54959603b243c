"""An incident file opens as a historian elsewhere and shows what the source showed at every instant."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import orjson
import pytest

from hypervisor.historian.reader import HistorianReader
from hypervisor.historian.timeline import AlarmTransition, Timeline
from tests.incident_history import MINUTE, T0, build

FROM, TO = "2025-01-01T00:05:00Z", "2025-01-01T00:30:00Z"


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    folder = tmp_path_factory.mktemp("export")
    return build(folder / "history.db", folder / "deployment.pem")


def export(history: dict[str, Any], target: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    basemap = "assets/dijon/basemap.geojson"
    return subprocess.run([sys.executable, "-m", "hypervisor", "incident", "export", str(history["path"]),
                           "--from", FROM, "--to", TO, "-o", str(target), "--inventory", str(history["inventory"]),
                           "--basemap", basemap, *extra],
                          capture_output=True, text=True, timeout=120, check=False)


@pytest.fixture(scope="module")
def moved(history: dict[str, Any], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The export, alone in a fresh folder, as a director receives it."""
    made = tmp_path_factory.mktemp("made") / "incident.db"
    done = export(history, made, "--deployment", "dijon-ocd")
    assert done.returncode == 0, done.stderr
    assert "100%" in done.stderr, "a progress bar is shown"
    fresh = tmp_path_factory.mktemp("elsewhere") / "incident.db"
    shutil.copy(made, fresh)
    assert sorted(p.name for p in fresh.parent.iterdir()) == ["incident.db"], "one self-contained file"
    return fresh


def instants() -> list[int]:
    return [T0 + 5 * MINUTE + k * 30_000 for k in range(50)]


def test_the_export_shows_the_same_alarm_list_at_the_same_instants(history: dict[str, Any], moved: Path) -> None:
    with Timeline(history["path"]) as source, Timeline(moved) as copy:
        for at in instants():
            expected, got = source.state_at(at), copy.state_at(at)
            assert [r.to_json() for r in got.alarms] == [r.to_json() for r in expected.alarms], at
            assert {a.asset_id: a.values for a in got.assets()} == {a.asset_id: a.values for a in expected.assets()}
        events = [e for e in copy.events_between(T0, T0 + 60 * MINUTE) if isinstance(e, AlarmTransition)]
    assert [e.event.to_state for e in events] == ["unack", "unack", "acked", "acked", "normal", "normal"]


def test_the_export_holds_its_window_of_telemetry_and_context(history: dict[str, Any], moved: Path) -> None:
    reader = HistorianReader(moved)
    try:
        rows = reader.telemetry("W-1", T0, T0 + 60 * MINUTE)
        actions = reader.actions()
    finally:
        reader.close()
    assert [ts for ts, _ in rows] == [T0 + m * MINUTE + 1000 for m in range(5, 30)]
    assert [(a["user"], a["verb"]) for a in reversed(actions)] == [("ana", "ack"), ("bob", "ack"), ("bob", "comment")]
    with sqlite3.connect(moved) as db:
        meta = {k: orjson.loads(v) for k, v in db.execute("SELECT key, value FROM incident_meta")}
        kinds = {k for (k,) in db.execute("SELECT kind FROM documents_in_force")}
        full = db.execute("SELECT min(ts_ms), full FROM keyframes").fetchone()
        journal = db.execute("PRAGMA journal_mode").fetchone()[0]
    assert meta["deployment"] == "dijon-ocd" and meta["exported_by"] and meta["software_version"]
    assert meta["from_ms"] == T0 + 5 * MINUTE and meta["key_fingerprints"][0].startswith("SHA256:")
    assert kinds == {"inventory", "rules", "basemap"}
    assert full == (T0 + 5 * MINUTE, 1), "a full keyframe at its start"
    assert journal == "delete"


def test_a_district_export_leaves_the_other_districts_out(history: dict[str, Any], tmp_path: Path) -> None:
    target = tmp_path / "port.db"
    done = export(history, target, "--district", "port")
    assert done.returncode == 0, done.stderr
    with Timeline(target) as copy:
        state = copy.state_at(T0 + 12 * MINUTE)
    assert [r.alarm_id for r in state.alarms] == ["pressure_lo:W-3"]
    assert {a.asset_id for a in state.assets()} == {"W-3", "W-4"}
    verify = subprocess.run([sys.executable, "-m", "hypervisor", "incident", "verify", str(target)],
                            capture_output=True, text=True, timeout=60, check=False)
    assert verify.returncode == 0, verify.stdout
    assert "records outside the export's scope are present as digests only" in verify.stdout


def test_bad_requests_say_what_to_do(history: dict[str, Any], tmp_path: Path) -> None:
    done = export(history, tmp_path / "x.db", "--district", "atlantis")
    assert done.returncode == 2 and "unknown district atlantis; the inventory has" in done.stderr
    (tmp_path / "taken.db").write_bytes(b"")
    done = export(history, tmp_path / "taken.db")
    assert done.returncode == 2 and "already exists" in done.stderr
    assert (tmp_path / "taken.db").read_bytes() == b"", "an existing file is never overwritten"
