"""The quarantine dialog says why messages were refused in the operator's language, never as a code."""

from __future__ import annotations

from hypervisor.app import install_translation
from hypervisor.console.panels.quarantine import QuarantineDialog

ROW = {"reason": "out_of_range", "key": "W-P-012", "topic": "hv/v1/water/W-P-012/telemetry", "asset_id": "W-P-012",
       "count": 3, "first_ms": 1_795_000_000_000, "last_ms": 1_795_000_060_000,
       "detail": "pressure_bar 74 outside 0 to 25 bar", "sample": b'{"metrics":{"pressure_bar":74}}'}


def test_refusal_reasons_read_in_french(qtbot, qapp) -> None:  # type: ignore[no-untyped-def]
    install_translation(qapp, "fr")
    try:
        dialog = QuarantineDialog({"out_of_range": 3, "unknown_unit": 1}, [ROW])
        qtbot.addWidget(dialog)
    finally:
        install_translation(qapp, "en")
    cells = [dialog.table.item(0, c).text() for c in range(dialog.table.columnCount())]
    assert "valeur hors de sa plage physique" in cells and "out_of_range" not in cells
    assert "unité non déclarée ou inconnue: 1" in dialog.summary.text()
