"""REPLAY's director's panel shows the alarm performance figures of the replayed period, counted by hand."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QLocale, QSettings

from feeds.model import Measurement
from hypervisor.app import build_replay, install_translation
from hypervisor.console.alarm_performance import AlarmPerformanceDialog
from hypervisor.feed.address import ReplayAddress
from hypervisor.historian.writer import Historian
from tests.engine_harness import small_inventory
from tests.test_alarm_figures import T0, H, crafted


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The crafted two hours of ``test_alarm_figures``, and a reading later on so the file goes past them."""
    path = tmp_path_factory.mktemp("panel") / "history.db"
    inventory = small_inventory()
    asset = inventory.assets[0]
    historian = Historian(path, history=None)
    historian.start()
    historian.add_alarm_events(crafted())
    historian.add_measurements([Measurement(asset.id, asset.domain, T0 + 3 * H, {"online": True})])
    historian.close()
    return path


def open_panel(qtbot, history: Path, tmp_path: Path) -> tuple[AlarmPerformanceDialog, object]:  # type: ignore[no-untyped-def]
    settings = QSettings(str(tmp_path / "director.ini"), QSettings.Format.IniFormat)
    window, source = build_replay(ReplayAddress(history, T0, T0 + 2 * H - 1), small_inventory(), "director",
                                  settings)
    qtbot.addWidget(window)
    window.show()
    source.start()
    qtbot.waitUntil(lambda: window.last_snapshot is not None, timeout=10_000)
    window.replay.performance.action.trigger()
    dialog = window.replay.performance.dialog
    assert dialog is not None and dialog.isVisible()
    qtbot.waitUntil(lambda: "summary" in dialog.views, timeout=20_000)
    return dialog, (window, source)


def close(opened: tuple[object, object]) -> None:
    window, source = opened
    window.close()  # type: ignore[attr-defined]
    source.stop()  # type: ignore[attr-defined]


def column(dialog: AlarmPerformanceDialog, table: str, index: int) -> list[str]:
    return [row[index] for row in dialog.views[table].texts()]


def test_the_panel_shows_the_periods_figures_as_counted_by_hand(qtbot, history: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    dialog, opened = open_panel(qtbot, history, tmp_path)
    try:
        assert (dialog.since_ms, dialog.until_ms) == (T0, T0 + 2 * H), "the replayed period, both ends included"
        summary = dialog.views["summary"].texts()
        assert [row[1] for row in summary][:4] == ["27", "13.5", "2.25", "16.7%"]
        assert summary[1][2] == "6 (above)" and summary[2][2] == "1 (above)"
        assert summary[4][1].startswith("12 (") and [row[1] for row in summary][5:] == ["1", "3", "1"]
        assert dialog.views["priorities"].texts() == [["Critical", "1", "3.7%", "—"], ["High", "0", "0.0%", "~5%"],
                                                      ["Medium", "12", "44.4%", "~15%"], ["Low", "14", "51.9%", "~80%"]]
        assert dialog.views["bad_actors"].texts()[0] == ["chat:A-1", "Low", "3", "11.1%"]
        assert len(dialog.views["bad_actors"].texts()) == 10
        assert dialog.views["chattering"].texts() == [["chat:A-1", "3"]]
        assert column(dialog, "stale", 0) == ["stale:S-1"] and column(dialog, "stale", 3) == ["32.0"]
        assert dialog.views["acknowledge"].texts() == [["Critical", "1", "30 s", "30 s", "0"],
                                                       ["High", "0", "—", "—", "0"],
                                                       ["Medium", "12", "60 s", "60 s", "0"],
                                                       ["Low", "3", "15 s", "15 s", "11"]]
        assert dialog.views["shelving"].texts() == [["2", "1.2", "35.0", "1.0"]]
        above = dialog.views["summary"].item(1, 1).foreground().color().name()
        assert above != dialog.views["summary"].item(0, 1).foreground().color().name(), "above EEMUA's rate stands out"
    finally:
        close(opened)


def test_the_panel_speaks_french(qtbot, qapp, history: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    install_translation(qapp, "fr")
    QLocale.setDefault(QLocale("fr"))
    try:
        dialog, opened = open_panel(qtbot, history, tmp_path)
        try:
            assert dialog.windowTitle() == "Performance des alarmes"
            summary = dialog.views["summary"].texts()
            assert summary[0][:2] == ["Alarmes apparues", "27"]
            assert summary[1][0] == "Moyenne d'alarmes par heure et par poste" and summary[1][2] == "6 (dépassé)"
            assert column(dialog, "priorities", 0) == ["Critique", "Haute", "Moyenne", "Basse"]
            assert dialog.period.text().startswith("Du ") and "un poste de supervision" in dialog.period.text()
        finally:
            close(opened)
    finally:
        install_translation(qapp, "en")
        QLocale.setDefault(QLocale("en"))
