"""The alarm performance figures of a crafted history equal the ones counted by hand."""

from __future__ import annotations

from pathlib import Path

import pytest

from alerts.records import AlarmEvent, AlarmRecord, AlarmState, Priority
from hypervisor.historian.writer import Historian
from hypervisor.reports.alarm_figures import AlarmFigures, compute
from hypervisor.reports.alarm_history import load_events, standing_before

T0 = 1_735_689_600_000
S, MIN, H = 1000, 60_000, 3_600_000
N, U, A, R, SH = (AlarmState.NORMAL, AlarmState.UNACK, AlarmState.ACKED, AlarmState.RTN_UNACK, AlarmState.SHELVED)


def ev(alarm_id: str, priority: Priority, before: AlarmState, after: AlarmState, ts: int, raised: int,
       user: str | None = None) -> dict:
    rule_id, asset_id = alarm_id.split(":")
    record = AlarmRecord(alarm_id, rule_id, asset_id, "water", "centre", "pressure_sensor", priority,
                         description=f"{rule_id} alarm", state=after, active=after in (U, A),
                         unacked=after in (U, R), raised_ms=raised, changed_ms=ts)
    return AlarmEvent(ts, alarm_id, rule_id, asset_id, priority, before, after, user=user, district="centre",
                      domain="water", record=record.to_json()).to_json()


def crafted() -> list[dict]:
    """Two hours from T0, one operator position (the hand counts are in the test below)."""
    out = [ev("stale:S-1", Priority.HIGH, N, U, T0 - 30 * H, T0 - 30 * H)]  # standing since 30 h before
    for t in (T0, T0 + 20 * S, T0 + 50 * S):  # chatters, each fleeting (returns after 10 s), acked at 15 s
        out += [ev("chat:A-1", Priority.LOW, N, U, t, t), ev("chat:A-1", Priority.LOW, U, R, t + 10 * S, t),
                ev("chat:A-1", Priority.LOW, R, N, t + 15 * S, t, user="ana")]
    for i in range(12):  # a flood: 12 in the 4th 10-minute period, acked after 60 s, cleared at 90 min
        t = T0 + 30 * MIN + i * 10 * S
        out += [ev(f"flood:F-{i}", Priority.MEDIUM, N, U, t, t), ev(f"flood:F-{i}", Priority.MEDIUM, U, A, t + MIN, t,
                                                                      user="bob"),
                ev(f"flood:F-{i}", Priority.MEDIUM, A, N, T0 + 90 * MIN, t)]
    for i in range(11):  # the flood goes on: 11 in the 5th period, never acked
        t = T0 + 40 * MIN + i * 10 * S
        out.append(ev(f"flood2:G-{i}", Priority.LOW, N, U, t, t))
    out += [ev("flood2:G-1", Priority.LOW, U, SH, T0 + 60 * MIN, T0 + 40 * MIN + 10 * S, user="bob"),
            ev("flood2:G-2", Priority.LOW, U, SH, T0 + 70 * MIN, T0 + 40 * MIN + 20 * S, user="bob"),
            ev("flood2:G-2", Priority.LOW, SH, N, T0 + 80 * MIN, T0 + 40 * MIN + 20 * S, user="bob")]
    t = T0 + 100 * MIN
    out += [ev("crit:C-1", Priority.CRITICAL, N, U, t, t), ev("crit:C-1", Priority.CRITICAL, U, A, t + 30 * S, t,
                                                             user="ana"),
            ev("crit:C-1", Priority.CRITICAL, A, N, t + 200 * S, t)]
    return sorted(out, key=lambda e: e["ts_ms"])


@pytest.fixture(scope="module")
def figures(tmp_path_factory: pytest.TempPathFactory) -> AlarmFigures:
    path = tmp_path_factory.mktemp("figures") / "history.db"
    historian = Historian(path, history=None)
    historian.start()
    historian.add_alarm_events(crafted())
    historian.close()
    until = T0 + 2 * H
    return compute(load_events(path, T0, until), T0, until, positions=1, standing=standing_before(Path(path), T0))


def test_rates_floods_and_peak(figures: AlarmFigures) -> None:
    assert figures.total == 3 + 12 + 11 + 1
    assert figures.per_hour == 27 / 2
    assert figures.per_10_min == 27 / 12
    assert figures.peak == 12 and figures.peak_start_ms == T0 + 30 * MIN
    assert figures.flood_share == 2 / 12
    assert figures.floods.to_dict("records") == [
        {"start_ms": T0 + 30 * MIN, "end_ms": T0 + 50 * MIN, "minutes": 20.0, "alarms": 23, "peak": 12}]


def test_bad_actors_chattering_fleeting_and_stale(figures: AlarmFigures) -> None:
    top = figures.bad_actors.iloc[0]
    assert (top["alarm_id"], top["alarms"], top["share"]) == ("chat:A-1", 3, 3 / 27)
    assert len(figures.bad_actors) == 10
    assert figures.chattering.to_dict("records") == [{"alarm_id": "chat:A-1", "alarms": 3}]
    assert figures.fleeting == 3
    assert figures.stale[["alarm_id", "hours"]].to_dict("records") == [{"alarm_id": "stale:S-1", "hours": 32.0}]


def test_priorities_shelving_and_acknowledgement(figures: AlarmFigures) -> None:
    split = figures.priorities.set_index("priority")
    assert split["alarms"].to_dict() == {"critical": 1, "high": 0, "medium": 12, "low": 14}
    assert split.loc["low", "share"] == 14 / 27 and split.loc["low", "target"] == 0.80
    assert figures.shelving[["alarm_id", "user", "minutes"]].to_dict("records") == [
        {"alarm_id": "flood2:G-1", "user": "bob", "minutes": 60.0},
        {"alarm_id": "flood2:G-2", "user": "bob", "minutes": 10.0}]
    ack = figures.acknowledge.set_index("priority")
    assert ack.loc["low"].tolist() == [3, 15.0, 15.0, 11]
    assert ack.loc["medium"].tolist() == [12, 60.0, 60.0, 0]
    assert ack.loc["critical"].tolist() == [1, 30.0, 30.0, 0]
    assert ack.loc["high", "acknowledged"] == 0


def test_each_annunciation_has_its_times(figures: AlarmFigures) -> None:
    crit = figures.episodes[figures.episodes["alarm_id"] == "crit:C-1"].iloc[0]
    assert (crit["acked_by"], crit["tta_s"], crit["ttr_s"]) == ("ana", 30.0, 200.0)
    stale = figures.episodes[figures.episodes["alarm_id"] == "stale:S-1"].iloc[0]
    assert stale["raised_ms"] == T0 - 30 * H
