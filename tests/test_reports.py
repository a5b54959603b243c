"""The incident and alarm performance reports: pages, tables and CSV files as a director reads them."""

from __future__ import annotations

import csv
import re
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path
from typing import Any

import pytest

from hypervisor.historian.writer import Historian
from tests.incident_history import build
from tests.test_alarm_figures import crafted

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs pdftotext (poppler-utils)")


def hypervisor(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "hypervisor", *args], capture_output=True, text=True, timeout=300,
                          check=False)


def pages(pdf: Path) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    # NFKC undoes the typographic ligatures (fl, fi) the PDF's font uses.
    return [re.sub(r"\s+", " ", unicodedata.normalize("NFKC", page)) for page in text.split("\f") if page.strip()]


@pytest.fixture(scope="module")
def incident(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    folder = tmp_path_factory.mktemp("report")
    history = build(folder / "history.db", folder / "deployment.pem")
    done = hypervisor("incident", "export", str(history["path"]), "--from", "2025-01-01T00:05:00Z", "--to",
                      "2025-01-01T00:30:00Z", "-o", str(folder / "incident.db"), "--inventory",
                      str(history["inventory"]), "--deployment", "dijon-ocd")
    assert done.returncode == 0, done.stderr
    return {"file": folder / "incident.db", "folder": folder}


def test_the_incident_report_has_its_pages_and_tables(incident: dict[str, Any]) -> None:
    pdf = incident["folder"] / "report.pdf"
    done = hypervisor("report", "incident", str(incident["file"]), "-o", str(pdf), "--csv",
                      str(incident["folder"] / "csv"))
    assert done.returncode == 0, done.stderr
    text = pages(pdf)
    assert len(text) == 6
    assert text[0].startswith("Incident report")
    assert "Period 2025-01-01 01:05:00 – 2025-01-01 01:30:00" in text[0] and "dijon-ocd" in text[0]
    assert "Alarms standing at the peak, 2025-01-01 01:11:01: 2" in text[0]
    assert "intact: 9 records chained and signed" in text[0]
    assert "Alarm load (EEMUA 191)" in text[1] and "Alarms raised 2" in text[1] and "No flood" in text[1]
    assert "pressure_lo:W-1 High 2025-01-01 01:10:01 ana 2 min 59 s 15 min 00 s" in text[2]
    assert "2025-01-01 01:17:00 bob comment pressure_lo:W-3 valve closed" in text[3]
    assert "W-1: Pressure, 1 alarms" in text[4] or "Trends of the key assets" in text[4]
    assert text[5].startswith("Verification intact") and "does not prove" in text[5]
    with (incident["folder"] / "csv" / "alarms.csv").open() as fh:
        alarms = list(csv.DictReader(fh))
    assert [(a["alarm_id"], a["acked_by"], a["tta_s"], a["ttr_s"]) for a in alarms] == [
        ("pressure_lo:W-1", "ana", "179.0", "900.0"), ("pressure_lo:W-3", "bob", "299.0", "840.0")]
    with (incident["folder"] / "csv" / "timeline.csv").open() as fh:
        assert len(list(csv.DictReader(fh))) == 9


def test_the_incident_report_in_french(incident: dict[str, Any]) -> None:
    pdf = incident["folder"] / "rapport.pdf"
    done = hypervisor("report", "incident", str(incident["file"]), "-o", str(pdf), "--lang", "fr")
    assert done.returncode == 0, done.stderr
    text = pages(pdf)
    assert len(text) == 6
    assert text[0].startswith("Rapport d'incident") and "Période" in text[0]
    assert "intègre" in text[0]
    assert "Charge d'alarmes (EEMUA 191)" in text[1]
    assert "Délai d'acquittement" in text[2] and "Haute" in text[2]
    assert "Chronologie des alarmes et des actions" in text[3]
    assert "Vérification" in text[5]


def test_a_tampered_file_is_reported_as_such(incident: dict[str, Any], tmp_path: Path) -> None:
    import sqlite3

    copy = tmp_path / "tampered.db"
    shutil.copy(incident["file"], copy)
    with sqlite3.connect(copy) as db:
        db.execute("UPDATE actions SET comment = 'nothing' WHERE id = 1")
    done = hypervisor("report", "incident", str(copy), "-o", str(tmp_path / "r.pdf"))
    assert done.returncode == 0, done.stderr
    assert "TAMPERED: operator action #1 at 2025-01-01T00:13:00.000Z (ana ack pressure_lo:W-1) was altered" \
        in pages(tmp_path / "r.pdf")[0]


def test_the_alarm_performance_report(tmp_path: Path) -> None:
    path = tmp_path / "history.db"
    historian = Historian(path, history=None)
    historian.start()
    historian.add_alarm_events(crafted())
    historian.close()
    pdf = tmp_path / "alarms.pdf"
    done = hypervisor("report", "alarms", str(path), "--from", "2025-01-01T00:00:00Z", "--to",
                      "2025-01-01T02:00:00Z", "-o", str(pdf), "--csv", str(tmp_path / "csv"))
    assert done.returncode == 0, done.stderr
    text = " ".join(pages(pdf))
    assert "Average alarms per hour per position 13.5 6 (above)" in text
    assert "10-minute periods in flood (more than 10 alarms) 16.7%" in text
    assert "Peak alarms in 10 minutes 12 (2025-01-01 01:30:00)" in text
    assert "chat:A-1 Low 3 11.1%" in text
    assert "Stale alarms (standing over 24 h) 1" in text
    assert "Medium 12 60 s 60 s 0" in text
    with (tmp_path / "csv" / "bad_actors.csv").open() as fh:
        assert next(csv.DictReader(fh))["alarm_id"] == "chat:A-1"
    french = hypervisor("report", "alarms", str(path), "--from", "2025-01-01T00:00:00Z", "--to",
                        "2025-01-01T02:00:00Z", "-o", str(tmp_path / "alarmes.pdf"), "--lang", "fr")
    assert french.returncode == 0, french.stderr
    assert "Performance du système d'alarmes" in " ".join(pages(tmp_path / "alarmes.pdf"))


def test_bad_report_requests_say_what_to_do(tmp_path: Path) -> None:
    done = hypervisor("report", "incident", str(tmp_path / "missing.db"), "-o", str(tmp_path / "r.pdf"))
    assert done.returncode == 2 and "no incident file at" in done.stderr
