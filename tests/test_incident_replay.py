"""An incident exported from a history recorded by the real engine, opened by REPLAY on another machine
(a fresh folder), shows the same alarm list, map and values at the same instants as its source."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from feeds.inventory import Inventory
from hypervisor.feed.address import ReplayAddress
from hypervisor.historian.schema import connect
from hypervisor.incident.chain import Signer, ensure_tables, seal_history
from hypervisor.incident.export import ExportSources, export_incident
from hypervisor.incident.keys import create_key
from hypervisor.incident.scope import ExportScope
from hypervisor.incident.verify import verify_file
from tests.engine_harness import small_inventory
from tests.replay_harness import ALARM_ID, RecordedFault, record_fault
from tests.test_replay import open_replay, picture, show

FILES = ExportSources(Path("assets/dijon/basemap.geojson"), (Path("assets/rules/default.toml"),),
                      Path("assets/dijon/basemap.geojson"))


@pytest.fixture(scope="module")
def inventory() -> Inventory:
    return small_inventory()


@pytest.fixture(scope="module")
def recorded(inventory: Inventory, tmp_path_factory: pytest.TempPathFactory) -> tuple[RecordedFault, Path]:
    """The fault recorded by the engine, chained and signed, and its export moved to a fresh folder."""
    folder = tmp_path_factory.mktemp("recorded")
    fault = record_fault(inventory, folder)
    db = connect(fault.path)
    try:
        ensure_tables(db)
        seal_history(db, Signer(create_key(folder / "deployment.pem")))
    finally:
        db.close()
    made = folder / "incident.sqlite"
    export_incident(fault.path, made, ExportScope(fault.before_ms - 60_000, fault.end_ms + 1), inventory, FILES)
    moved = tmp_path_factory.mktemp("elsewhere") / "incident.sqlite"
    shutil.copy(made, moved)
    return fault, moved


def test_replay_of_the_export_shows_what_the_source_showed(qtbot, inventory, recorded, tmp_path) -> None:  # type: ignore[no-untyped-def]
    fault, export = recorded
    source_window, source = open_replay(qtbot, inventory, ReplayAddress(fault.path), tmp_path / "a")
    copy_window, copy = open_replay(qtbot, inventory, ReplayAddress(export), tmp_path / "b")
    try:
        qtbot.waitUntil(lambda: source_window.last_snapshot is not None and copy_window.last_snapshot is not None,
                        timeout=10_000)
        seen = []
        for at in (fault.before_ms, fault.raised_ms, fault.acked_ms, fault.commented_ms, fault.cleared_ms,
                   fault.end_ms):
            show(qtbot, source_window, source, at)
            show(qtbot, copy_window, copy, at)
            assert picture(copy_window, inventory) == picture(source_window, inventory), at
            row = copy_window.alarms.model.get(ALARM_ID)
            seen.append(None if row is None else (row.state, row.acked_by, row.last_comment))
    finally:
        for window, feed in ((source_window, source), (copy_window, copy)):
            window.close()
            feed.stop()
    assert seen[0] is None
    assert seen[2][:2] == ("acked", "alice") and seen[3][2] == "crew sent to the valve"


def test_the_recorded_export_verifies(recorded) -> None:  # type: ignore[no-untyped-def]
    verdict = verify_file(recorded[1])
    assert verdict.exit_code == 0, verdict.summary()
    assert verdict.links >= 4, "alarm events and both operators' actions are chained"


def test_replay_exports_and_reports_its_period(qtbot, inventory, recorded, tmp_path) -> None:  # type: ignore[no-untyped-def]
    fault, _ = recorded
    window, source = open_replay(qtbot, inventory, ReplayAddress(fault.path), tmp_path)
    try:
        qtbot.waitUntil(lambda: window.last_snapshot is not None, timeout=10_000)
        actions = window.replay.incident
        menu = [a.text() for a in window.menuBar().actions()]
        assert "&Incident" in menu
        target = tmp_path / "from-replay.sqlite"
        with qtbot.waitSignal(actions.exported, timeout=60_000):
            actions.export_to(target)
        actions.wait()
        assert verify_file(target).exit_code == 0
        assert "from-replay.sqlite" in window.statusBar().currentMessage()
        actions.report_to(tmp_path / "report.pdf")
        assert (tmp_path / "report.pdf").read_bytes().startswith(b"%PDF")
        assert "report.pdf" in window.statusBar().currentMessage()
    finally:
        window.close()
        source.stop()


def test_a_director_narrows_the_period_before_exporting(qtbot, inventory, recorded, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from sqlite_utils import Database

    from hypervisor.console.export_period import ExportPeriodDialog
    from hypervisor.incident.export import read_meta

    fault, _ = recorded
    window, source = open_replay(qtbot, inventory, ReplayAddress(fault.path), tmp_path)
    try:
        qtbot.waitUntil(lambda: window.last_snapshot is not None, timeout=10_000)
        dialog = ExportPeriodDialog(source.start_ms, source.end_ms, window)
        qtbot.addWidget(dialog)
        seconds = [ms // 1000 for ms in dialog.period()]
        assert seconds == [source.start_ms // 1000, source.end_ms // 1000], "the replayed period by default"
        dialog.to_edit.setDateTime(dialog.to_edit.dateTime().addYears(1))
        assert dialog.period()[1] // 1000 == source.end_ms // 1000, "never past the replayed period"
        dialog.from_edit.setDateTime(dialog.from_edit.dateTime().addSecs(1))
        dialog.to_edit.setDateTime(dialog.from_edit.dateTime().addSecs(-60))
        start, end = dialog.period()
        assert end == start, "never before its start"
        target = tmp_path / "narrowed.sqlite"
        with qtbot.waitSignal(window.replay.incident.exported, timeout=60_000):
            window.replay.incident.export_to(target, (fault.raised_ms, fault.cleared_ms))
        window.replay.incident.wait()
        with Database(target) as db:
            meta = read_meta(db)
        assert (meta["from_ms"], meta["to_ms"]) == (fault.raised_ms, fault.cleared_ms + 1)
        assert verify_file(target).exit_code == 0
    finally:
        window.close()
        source.stop()
