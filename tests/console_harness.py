"""Consoles for GUI tests: the embedded city, or a console on a broker with an engine beside it."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import orjson
from PySide6.QtCore import QItemSelectionModel, QSettings, Qt

from feeds.broker import BrokerSettings
from feeds.inventory import Inventory
from feeds.mqtt import MqttTransport
from hypervisor.app import build_console
from hypervisor.console.source import ConsoleSource
from hypervisor.console.window import ConsoleWindow
from hypervisor.deployment import Deployment
from hypervisor.runtime import BackgroundLoop
from tests.engine_harness import RULES, running_engine

Publication = tuple[str, dict[str, object], bool]
"""(topic, JSON body, retained) as a device, an engine or a simulator would publish it."""


def publish(url: str, messages: list[Publication]) -> None:
    """Publish these messages on the broker at ``url`` (QoS 1), as if from the field or the engine."""
    async def send() -> None:
        async with MqttTransport(BrokerSettings.from_url(url)) as link:
            for topic, body, retain in messages:
                await link.publish(topic, orjson.dumps(body), qos=1, retain=retain)

    asyncio.run(send())


def pressure(asset_id: str, bar: float, ts_ms: int | None = None) -> Publication:
    """A pressure sensor's reading, stamped now unless told otherwise."""
    ts = time.time_ns() // 1_000_000 if ts_ms is None else ts_ms
    return f"hv/v1/water/{asset_id}/telemetry", {"ts": ts, "metrics": {"pressure_bar": bar}}, False


def open_console(qtbot: object, deployment: Deployment, inventory: Inventory, user: str,
                 tmp_path: Path) -> tuple[ConsoleWindow, ConsoleSource]:
    settings = QSettings(str(tmp_path / f"{user}-layout.ini"), QSettings.Format.IniFormat)
    window, source = build_console(deployment, inventory, user, settings=settings)
    qtbot.addWidget(window)
    window.resize(1600, 900)
    window.show()
    source.start()
    return window, source


def row_of(window: ConsoleWindow, asset_id: str) -> object:
    return next((r for r in window.alarms.model.rows() if r.asset_id == asset_id), None)


def select_alarm(window: ConsoleWindow, alarm_id: str) -> None:
    """Select one alarm in the list as an operator clicking on its row would."""
    proxy = window.alarms.proxy
    table = window.alarms.table
    for proxy_row in range(proxy.rowCount()):
        if proxy.row(proxy_row).alarm_id == alarm_id:
            # Explicit flags: QTableView.setCurrentIndex would derive them from the keyboard modifiers
            # (a Ctrl still reported as held after a shortcut would toggle the row off again).
            table.selectionModel().setCurrentIndex(proxy.index(proxy_row, 0),
                                                   QItemSelectionModel.SelectionFlag.ClearAndSelect
                                                   | QItemSelectionModel.SelectionFlag.Rows)
            table.setFocus(Qt.FocusReason.MouseFocusReason)
            return
    raise AssertionError(f"{alarm_id} is not in the visible alarm list")


class EngineBeside:
    """An engine on its own background loop, as if it ran on the supervision server."""

    def __init__(self, url: str, inventory: Inventory, tmp_path: Path, rules_text: str = RULES) -> None:
        self.loop = BackgroundLoop("hv-test-engine")
        self.engine = None
        self._args = (url, inventory, tmp_path / "engine.sqlite", tmp_path)
        self._rules = rules_text

    def __enter__(self) -> EngineBeside:
        async def main() -> None:
            async with running_engine(*self._args, rules_text=self._rules) as engine:
                self.engine = engine
                await asyncio.Event().wait()

        self.loop.start(main)
        return self

    def __exit__(self, *exc: object) -> None:
        self.loop.stop()
