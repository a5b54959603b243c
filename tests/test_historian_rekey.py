"""Rewriting keyframes at another spacing changes no state at any instant, even when interrupted."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from hypervisor.cli import main
from hypervisor.historian import rekey as rekey_module
from hypervisor.historian.keyframes import AssetKeys, Keyframe
from hypervisor.historian.rekey import needs_rekey, rekey
from hypervisor.historian.schema import connect
from hypervisor.historian.timeline import Timeline, frame_at
from tests.test_timeline import MINUTE, SETTINGS, brute_force, history, instants

__all__ = ["history"]  # the module-scoped fixture, shared with tests/test_timeline.py


def with_alarm_lists_everywhere(path: Path) -> None:
    """Make the file look as version 4 wrote it: the alarm list in every keyframe."""
    db = connect(path)
    keys = AssetKeys(db, persist=False)
    rows = db.execute("SELECT ts_ms, data FROM keyframes WHERE full = 0 ORDER BY ts_ms").fetchall()
    for ts, blob in rows:
        keyframe = Keyframe.decode(ts, blob)
        keyframe.alarms = frame_at(db, keys, ts)[1]
        db.execute("UPDATE keyframes SET data = ? WHERE ts_ms = ?", [keyframe.encode(), ts])
    db.conn.commit()
    db.close()


def states(path: Path) -> list[tuple[Any, ...]]:
    out = []
    with Timeline(path) as timeline:
        for at in instants():
            state = timeline.state_at(at)
            out.append((at, {a.asset_id: (a.values, a.online, a.last_reading_ms) for a in state.assets()},
                        [r.to_json() for r in state.alarms], set(state.floods)))
    return out


def layout(path: Path) -> list[tuple[int, bool, bool]]:
    db = connect(path)
    rows = [(ts, bool(full), Keyframe.decode(ts, blob).has_alarms)
            for ts, full, blob in db.execute("SELECT ts_ms, full, data FROM keyframes ORDER BY ts_ms")]
    db.close()
    return rows


@pytest.fixture
def old_file(history: dict[str, Any], tmp_path: Path) -> Path:
    path = tmp_path / "old.db"
    shutil.copy(history["path"], path)
    with_alarm_lists_everywhere(path)
    return path


def test_a_version_4_file_is_rewritten_with_alarm_lists_in_full_keyframes_only(
        history: dict[str, Any], old_file: Path) -> None:
    before = states(old_file)
    db = connect(old_file)
    assert needs_rekey(db, SETTINGS.full_keyframe_every)
    result = rekey(db, 2)
    assert not needs_rekey(db, 2)
    db.close()
    rows = layout(old_file)
    assert result.made_full > 0 and result.made_partial > 0
    assert all(full == has_alarms for _, full, has_alarms in rows)
    assert all(full == (i == 0 or ts // MINUTE % 2 == 0) for i, (ts, full, _) in enumerate(rows))
    assert states(old_file) == before
    for at, _, alarms, _ in before[::7]:
        _, _, expected_alarms, _ = brute_force(history, at)
        assert {a["alarm_id"]: a["state"] for a in alarms} == expected_alarms


def test_an_interrupted_rekey_leaves_a_readable_file_and_running_it_again_finishes(
        old_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = states(old_file)
    monkeypatch.setattr(rekey_module, "REKEY_BATCH", 4)

    def stop_after_first_batch(done: int, total: int) -> None:
        raise KeyboardInterrupt

    db = connect(old_file)
    with pytest.raises(KeyboardInterrupt):
        rekey(db, 4, stop_after_first_batch)
    db.close()
    mixed = layout(old_file)
    assert any(not full and has_alarms for _, full, has_alarms in mixed), "the later keyframes are not rewritten yet"
    assert states(old_file) == before
    assert main(["historian", "--historian", str(old_file), "rekey", "--full-every", "4"]) == 0
    assert all(full == has_alarms for _, full, has_alarms in layout(old_file))
    assert states(old_file) == before


def test_rekey_says_when_there_is_nothing_to_do(history: dict[str, Any], tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "new.db"
    shutil.copy(history["path"], path)
    every = str(SETTINGS.full_keyframe_every)
    assert main(["historian", "--historian", str(path), "rekey", "--full-every", every]) == 0
    assert "already" in capsys.readouterr().out
    assert main(["historian", "--historian", str(path), "rekey", "--full-every", "0"]) == 2
