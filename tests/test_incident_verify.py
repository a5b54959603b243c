"""verify passes on an untouched history and its export, and names the record a sqlite3 edit changed."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest

from alerts.records import AlarmState
from hypervisor.historian.writer import Historian
from hypervisor.incident.chain import Signer
from hypervisor.incident.export import ExportSources, export_incident
from hypervisor.incident.keeper import ChainKeeper
from hypervisor.incident.keys import create_key, fingerprint, load_public_key, public_path
from hypervisor.incident.scope import ExportScope
from hypervisor.incident.verify import INTACT, TAMPERED, UNPROVEN, verify_file
from tests.incident_history import INVENTORY, MINUTE, T0, build, event

FILES = ExportSources(Path("assets/dijon/basemap.geojson"), (Path("assets/rules/default.toml"),),
                      Path("assets/dijon/basemap.geojson"))


@pytest.fixture
def history(tmp_path: Path) -> dict[str, Any]:
    return build(tmp_path / "history.db", tmp_path / "keys" / "deployment.pem")


@pytest.fixture
def export(history: dict[str, Any], tmp_path: Path) -> Path:
    target = tmp_path / "incident.db"
    export_incident(history["path"], target, ExportScope(T0 + 5 * MINUTE, T0 + 30 * MINUTE), INVENTORY, FILES)
    return target


def verify_cli(path: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "hypervisor", "incident", "verify", str(path), *extra],
                          capture_output=True, text=True, timeout=60, check=False)


def edit(path: Path, sql: str) -> None:
    with sqlite3.connect(path) as db:
        db.executescript(sql)


def test_an_untouched_history_and_its_export_are_intact(history: dict[str, Any], export: Path, tmp_path: Path) -> None:
    for path in (history["path"], export):
        done = verify_cli(path, "--key", str(public_path(tmp_path / "keys" / "deployment.pem")))
        assert done.returncode == INTACT, done.stdout + done.stderr
        assert done.stdout.startswith("intact")
        assert "9 records chained" in done.stdout


def test_a_changed_value_names_the_alarm_event(export: Path) -> None:
    rowid = sqlite3.connect(export).execute("SELECT rowid FROM alarm_events WHERE to_state = 'acked'"
                                            " ORDER BY rowid LIMIT 1").fetchone()[0]
    edit(export, f"UPDATE alarm_events SET user = 'carol' WHERE rowid = {rowid}")
    done = verify_cli(export)
    assert done.returncode == TAMPERED
    assert f"alarm event #{rowid} at 2025-01-01T00:13:00.000Z (pressure_lo:W-1: unack -> acked) was altered" \
        in done.stdout


def test_a_deleted_action_is_named(export: Path) -> None:
    edit(export, "DELETE FROM actions WHERE verb = 'comment'")
    done = verify_cli(export)
    assert done.returncode == TAMPERED
    assert "operator action #3 at 2025-01-01T00:17:00.000Z was deleted" in done.stdout


def test_an_inserted_row_is_named(export: Path) -> None:
    edit(export, "INSERT INTO actions (ts_ms, user, console, verb, alarm_id, comment, request_id, ok)"
                 f" VALUES ({T0 + 14 * MINUTE}, 'ana', 'desk-1', 'comment', 'pressure_lo:W-1', 'all fine', 'r9', 1)")
    done = verify_cli(export)
    assert done.returncode == TAMPERED
    assert "operator action #4 at 2025-01-01T00:14:00.000Z (ana comment pressure_lo:W-1) was inserted" in done.stdout


def test_a_reordered_pair_is_named(export: Path) -> None:
    columns = "ts_ms, alarm_id, rule_id, asset_id, priority, from_state, to_state, value, user, console, comment," \
              " request_id, body"
    sets = ", ".join(f"{c.strip()} = (SELECT {c.strip()} FROM saved WHERE rowid = 3 - t.rowid)"
                     for c in columns.split(","))
    edit(export, f"CREATE TEMP TABLE saved AS SELECT rowid, * FROM alarm_events WHERE rowid IN (1, 2);"
                 f" UPDATE alarm_events AS t SET {sets} WHERE rowid IN (1, 2);")
    done = verify_cli(export)
    assert done.returncode == TAMPERED
    assert ("alarm event #1 at 2025-01-01T00:10:01.000Z and alarm event #2 at 2025-01-01T00:11:01.000Z were"
            " re-ordered") in done.stdout


def test_a_rebuilt_chain_without_the_key_fails_at_the_signature(export: Path) -> None:
    """Changing a row and recomputing every link after it still disagrees with the signed head."""
    from hypervisor.incident.chain import ROW_SQL, digest_of, next_head

    with sqlite3.connect(export) as db:
        db.execute("UPDATE actions SET comment = 'nothing to report' WHERE id = 1")
        head = bytes(32)
        links = db.execute("SELECT seq, kind, row_id FROM chain_links ORDER BY seq").fetchall()
        for seq, kind, row_id in links:
            key = "rowid" if kind == "event" else "id"
            row = db.execute(f"{ROW_SQL[kind]} WHERE {key} = ?", [row_id]).fetchone()
            digest = digest_of(kind, row)
            head = next_head(head, digest)
            db.execute("UPDATE chain_links SET digest = ?, head = ? WHERE seq = ?", [digest, head, seq])
    done = verify_cli(export)
    assert done.returncode == TAMPERED
    assert "differs from the head signed" in done.stdout


def test_another_key_is_refused(export: Path, tmp_path: Path) -> None:
    other = create_key(tmp_path / "other.pem")
    done = verify_cli(export, "--key", str(public_path(tmp_path / "other.pem")))
    assert done.returncode == TAMPERED
    assert f"not by the key given ({fingerprint(other.public_key())})" in done.stdout


def test_the_engine_chains_and_signs_as_it_stores(tmp_path: Path) -> None:
    """The keeper links rows once the writer commits them, signs every engine minute, and at close."""
    path = tmp_path / "live.db"
    now = [T0]
    historian = Historian(path, history=None)
    historian.start()
    keeper = ChainKeeper(path, Signer(create_key(tmp_path / "k.pem")), lambda: now[0], period_s=0.02)
    keeper.start()
    linked = threading.Event()
    try:
        for minute in range(3):
            now[0] = T0 + minute * MINUTE
            historian.add_alarm_events([event("pressure_lo:W-1", AlarmState.NORMAL, AlarmState.UNACK, now[0], now[0])])
            historian.add_action(now[0], "ana", "desk-1", "ack", "pressure_lo:W-1", None, f"r{minute}", True, None)
            historian.flush()
            linked.clear()
            for _ in range(500):
                if keeper.linked == 2 * (minute + 1) and keeper.signatures == minute + 1:
                    linked.set()
                    break
                linked.wait(0.01)
            assert linked.is_set(), (keeper.linked, keeper.signatures)
        historian.add_action(now[0] + 1, "ana", "desk-1", "comment", "pressure_lo:W-1", "late", "r9", True, None)
    finally:
        historian.close()
        keeper.close()
    verdict = verify_file(path, load_public_key(public_path(tmp_path / "k.pem")))
    assert verdict.exit_code == INTACT, verdict.summary()
    assert (verdict.links, verdict.signatures) == (7, 4)


def test_records_after_the_last_signature_are_not_proven(history: dict[str, Any]) -> None:
    edit(history["path"], "DELETE FROM chain_signatures WHERE seq = (SELECT max(seq) FROM chain_signatures)")
    verdict = verify_file(history["path"])
    assert verdict.exit_code == UNPROVEN
    assert verdict.summary().startswith("NOT PROVEN")
