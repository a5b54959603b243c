"""A trainee joins a headless session over a real mosquitto, as ``hypervisor console --training NAME`` does,
acknowledges the drill's alarm, and is scored met: in the session's output, its debrief and the console."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from pytestqt.qtbot import QtBot

from feeds.inventory import Inventory
from feeds.links import Links
from feeds.mosquitto import Mosquitto
from hypervisor import paths
from hypervisor.app import build_console, feed_registry
from hypervisor.feed.address import TrainAddress
from hypervisor.feed.contract import Capability
from tests.training_harness import USERS, broker_conf

SESSION = "brk"
ALARM = "pressure_drop:W-P-133"


def test_a_trainee_on_a_broker_acknowledges_in_time_and_is_scored_met(qapp: object, qtbot: QtBot, tmp_path: Path,
                                                                      dijon: Inventory) -> None:
    password_file = tmp_path / "trainer.pw"
    password_file.write_text(USERS["trainer"])
    debrief = tmp_path / "debrief.pdf"
    with Mosquitto(extra_conf=broker_conf(tmp_path, SESSION), allow_anonymous=False) as broker:
        trainer = subprocess.Popen(
            [sys.executable, "-m", "hypervisor", "train", "run", "quetigny-quiet-night", "--broker",
             f"mqtt://trainer@127.0.0.1:{broker.port}", "--session", SESSION, "--headless", "--speed", "60",
             "--password-file", str(password_file), "--historian", str(tmp_path / "brk.sqlite"),
             "--debrief", str(debrief), "--log-level", "ERROR"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        address = TrainAddress(f"mqtt://alice@127.0.0.1:{broker.port}", SESSION)
        deployment = feed_registry(Links(password=USERS["alice"]), [paths.DEFAULT_RULES]).open(str(address))
        window, source = build_console(deployment, dijon, "alice", mode="training")
        qtbot.addWidget(window)
        records: dict[str, object] = {}
        source.snapshotReady.connect(lambda snap: records.update(snap.alarms))
        source.start()
        try:
            assert Capability.SCORE in source.capabilities and Capability.INJECT not in source.capabilities
            assert window.score is not None
            qtbot.waitUntil(lambda: ALARM in records or trainer.poll() is not None, timeout=120_000)
            assert trainer.poll() is None, trainer.communicate()
            window.alarms.ackRequested.emit([ALARM])  # what the Acknowledge button sends
            qtbot.waitUntil(lambda: getattr(records[ALARM], "acked_by", None) == "alice", timeout=30_000)
            qtbot.waitUntil(lambda: trainer.poll() is not None, timeout=120_000)
            out, err = trainer.communicate()
            assert trainer.returncode == 0, err
            qtbot.waitUntil(lambda: window.score.outcomes.topLevelItemCount() == 2, timeout=30_000)
            shown = {window.score.outcomes.topLevelItem(i).text(1) for i in range(2)}
        finally:
            source.stop()
            if trainer.poll() is None:
                trainer.kill()
                trainer.communicate()
    alice = next(line for line in out.splitlines() if line.startswith("alice:"))
    assert "ack-transient=met" in alice and "100 %" in alice, out
    assert shown == {"met"}
    assert "Score: 100 %" in window.score.heading.text()
    text = subprocess.run(["pdftotext", "-layout", str(debrief), "-"], check=True, capture_output=True,
                          text=True, timeout=60).stdout
    assert "Trainee alice: score 100 %" in text
    assert any("acknowledge pressure_drop:W-P-133" in line and " met " in f"{line} " for line in text.splitlines())
