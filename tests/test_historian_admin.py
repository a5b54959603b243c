"""``hypervisor historian``: info, compact, backup, check and import, as an administrator runs them."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from feeds.model import Measurement
from hypervisor.cli import main
from hypervisor.historian.reader import HistorianReader
from hypervisor.historian.writer import Historian

T0 = 1_735_689_600_000
HOUR = 3_600_000


@pytest.fixture
def history(tmp_path: Path) -> Path:
    path = tmp_path / "history.db"
    historian = Historian(path, history=None)
    historian.start()
    historian.add_measurements([Measurement(f"P-{a}", "water", T0 + n * 60_000, {"pressure_bar": 3.0 + n / 10})
                                for n in range(5 * 60) for a in range(4)])
    historian.close()
    return path


def admin(path: Path, *args: str) -> int:
    return main(["historian", "--historian", str(path), *args])


def test_compact_then_info_tells_size_span_and_compression(history: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert admin(history, "compact") == 0
    assert "4 hours compacted (960 readings" in capsys.readouterr().out
    assert admin(history, "info") == 0
    out = capsys.readouterr().out
    assert "readings: 1200 (240 raw, 960 compacted)" in out
    assert "time span: 2025-01-01T00:00:00+00:00 to 2025-01-01T04:59:00+00:00" in out
    assert "compression ratio:" in out and "telemetry_blocks" in out


def test_backup_of_a_file_in_use_holds_everything_committed(history: Path, tmp_path: Path) -> None:
    writer = Historian(history, history=None)
    writer.start()
    try:
        writer.add_measurements([Measurement("P-9", "water", T0 + 6 * HOUR, {"pressure_bar": 1.5})])
        writer.flush()
        assert admin(history, "backup", str(tmp_path / "copy.db")) == 0
    finally:
        writer.close()
    reader = HistorianReader(tmp_path / "copy.db")
    try:
        assert reader.telemetry("P-9", 0) == [(T0 + 6 * HOUR, {"pressure_bar": 1.5})]
        assert len(reader.telemetry("P-0", 0)) == 300
    finally:
        reader.close()
    assert admin(history, "backup", str(tmp_path / "copy.db")) == 2, "an existing file is never overwritten"


def test_check_passes_a_sound_file_and_names_a_damaged_block(history: Path, capsys: pytest.CaptureFixture[str]) -> None:
    admin(history, "compact")
    assert admin(history, "check") == 0
    assert "check passed" in capsys.readouterr().out
    with sqlite3.connect(history) as db:
        db.execute("UPDATE telemetry_blocks SET data = x'00112233' WHERE asset_id = 'P-2'")
    assert admin(history, "check") == 1
    assert "problem: block P-2 day 20089: damaged telemetry block" in capsys.readouterr().out


def test_import_csv_then_read_back_with_types(tmp_path: Path) -> None:
    csv = tmp_path / "old.csv"
    csv.write_text("asset_id,time,flow_m3h,running\n"
                   "W-F-1,2024-03-01T10:00:00Z,12.5,true\n"
                   "W-F-1,2024-03-01T10:15:00+01:00,,false\n"
                   "W-F-2,2024-03-01T10:00:00Z,7,\n")
    path = tmp_path / "history.db"
    assert admin(path, "import", str(csv)) == 0
    reader = HistorianReader(path)
    try:
        ten = 1_709_287_200_000
        assert reader.telemetry("W-F-1", 0) == [(ten - 45 * 60_000, {"running": False}),
                                                (ten, {"flow_m3h": 12.5, "running": True})]
        assert reader.telemetry("W-F-2", 0) == [(ten, {"flow_m3h": 7.0})]
    finally:
        reader.close()


def test_import_refuses_a_file_without_a_time_column(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    csv = tmp_path / "old.csv"
    csv.write_text("asset_id,flow\nW-F-1,3\n")
    assert admin(tmp_path / "history.db", "import", str(csv)) == 2
    assert "no time column; name one of ts_ms, time, timestamp" in capsys.readouterr().err


def test_the_command_line_runs_as_a_program(history: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    done = subprocess.run([sys.executable, "-m", "hypervisor", "historian", "--historian", str(history), "info"],
                          capture_output=True, text=True, env=env, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert "readings: 1200" in done.stdout
