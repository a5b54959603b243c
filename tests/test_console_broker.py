"""Two operator consoles on a real mosquitto, one engine: each sees the other's acknowledgements."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import orjson
import pytest
from PySide6.QtCore import Qt

from feeds.broker import BrokerSettings
from feeds.links import Links
from feeds.mosquitto import Mosquitto
from feeds.mqtt import MqttTransport
from hypervisor.deployment import BrokerDeployment
from tests.console_harness import EngineBeside, open_console, row_of, select_alarm
from tests.engine_harness import small_inventory

pytestmark = pytest.mark.broker


def _publish_low_pressure(url: str) -> None:
    async def send() -> None:
        async with MqttTransport(BrokerSettings.from_url(url)) as field:
            body = orjson.dumps({"ts": time.time_ns() // 1_000_000, "metrics": {"pressure_bar": 1.3}})
            await field.publish("hv/v1/water/W-P-003/telemetry", body, qos=1)

    asyncio.run(send())


def test_two_consoles_see_each_others_acknowledgements(qtbot, mosquitto: Mosquitto, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    inventory = small_inventory()
    with EngineBeside(mosquitto.url, inventory, tmp_path):
        consoles = {user: open_console(qtbot, BrokerDeployment(Links(), mosquitto.url), inventory, user, tmp_path)
                    for user in ("alice", "bob")}
        try:
            for window, _ in consoles.values():
                qtbot.waitUntil(lambda w=window: w.last_snapshot is not None
                                and w.last_snapshot.link.engine_online, timeout=15_000)
            _publish_low_pressure(mosquitto.url)
            alice, bob = consoles["alice"][0], consoles["bob"][0]
            for window in (alice, bob):
                qtbot.waitUntil(lambda w=window: row_of(w, "W-P-003") is not None, timeout=10_000)
            alarm_id = row_of(alice, "W-P-003").alarm_id
            alice.activateWindow()
            qtbot.waitUntil(alice.isActiveWindow)
            select_alarm(alice, alarm_id)
            assert [r.alarm_id for r in alice.alarms.selected_rows()] == [alarm_id]
            acked_at = time.monotonic()
            qtbot.keyClick(alice.alarms.table, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
            qtbot.waitUntil(lambda: bob.alarms.model.get(alarm_id).state == "acked", timeout=5_000)
            seen_after = time.monotonic() - acked_at
            row = bob.alarms.model.get(alarm_id)
            assert row.acked_by == "alice"
            index = inventory.index["W-P-003"]
            qtbot.waitUntil(lambda: bob.map.asset_state(index)[1] is False, timeout=2_000)
            print(f"acknowledgement visible on the other console after {seen_after * 1000:.0f} ms")
        finally:
            for window, source in consoles.values():
                window.close()
                source.stop()
