"""The ISA-18.2 state machine as operators drive it: every state against every command."""

from __future__ import annotations

from pathlib import Path

import pytest

from alerts import AlarmEngine, AlarmRecord, AlarmState, Command, load_rules
from feeds.inventory import Asset, Inventory
from feeds.model import Measurement

RULES = """
[[rule]]
id = "power"
priority = "critical"
kind = "discrete"
target = { kind = "cabinet" }
metric = "mains"
equals = false

[[rule]]
id = "fault"
priority = "low"
kind = "discrete"
target = { kind = "luminaire" }
metric = "fault"
equals = true
suppressed_by_parent = "power"

[[rule]]
id = "fire"
priority = "critical"
kind = "threshold"
target = { kind = "container" }
metric = "temp_c"
hi = 70
latching = true
"""

LAMP = "fault:L-1"
S = AlarmState


class City:
    """A cabinet with one luminaire, a container, and a hand-driven clock."""

    def __init__(self, tmp_path: Path) -> None:
        path = tmp_path / "rules.toml"
        path.write_text(RULES, encoding="utf-8")
        ruleset, errors = load_rules([path])
        assert errors == []
        self.now = 1_000_000
        self.inventory = Inventory([
            Asset("C-1", "lighting", "cabinet", "Centre", 5.04, 47.32),
            Asset("L-1", "lighting", "luminaire", "Centre", 5.04, 47.32, parent="C-1"),
            Asset("B-1", "waste", "container", "Centre", 5.04, 47.32),
        ])
        self.engine = AlarmEngine(self.inventory, ruleset, lambda: self.now)

    def send(self, asset_id: str, **metrics: float | bool) -> list:
        domain = self.inventory[asset_id].domain
        return self.engine.on_readings([Measurement(asset_id, domain, self.now, metrics)])

    def do(self, verb: str, alarm_id: str = LAMP, user: str = "alice", comment: str = "",
           duration_s: float | None = None, console: str = "desk-1"):
        return self.engine.command(Command(verb, alarm_id, user, console, comment, "r1", duration_s))

    def state(self, alarm_id: str = LAMP) -> AlarmState:
        record = self.engine.records().get(alarm_id)
        return record.state if record else S.NORMAL


@pytest.fixture
def city(tmp_path: Path) -> City:
    return City(tmp_path)


def bring_to(city: City, state: AlarmState) -> None:
    """Drive the luminaire's fault alarm into ``state`` the way the field and operators would."""
    if state == S.NORMAL:
        return
    if state == S.SUPPRESSED:
        city.send("C-1", mains=False)
    if state == S.OUT_OF_SERVICE:
        city.send("L-1", fault=True)
        assert city.do("out-of-service", comment="lamp replaced next week").ok
        return
    city.send("L-1", fault=True)
    if state == S.ACKED:
        city.do("ack")
    elif state == S.RTN_UNACK:
        city.send("L-1", fault=False)
    elif state == S.SHELVED:
        city.do("shelve", comment="known, crew on site")
    assert city.state() == state


TABLE = [
    # from state        verb              ok     to state            events
    (S.NORMAL, "ack", False, S.NORMAL, 0),
    (S.NORMAL, "shelve", False, S.NORMAL, 0),
    (S.NORMAL, "unshelve", True, S.NORMAL, 0),
    (S.NORMAL, "comment", True, S.NORMAL, 1),
    (S.NORMAL, "reset", True, S.NORMAL, 0),
    (S.NORMAL, "out-of-service", True, S.OUT_OF_SERVICE, 1),
    (S.NORMAL, "in-service", True, S.NORMAL, 0),
    (S.UNACK, "ack", True, S.ACKED, 1),
    (S.UNACK, "shelve", True, S.SHELVED, 1),
    (S.UNACK, "unshelve", True, S.UNACK, 0),
    (S.UNACK, "comment", True, S.UNACK, 1),
    (S.UNACK, "reset", True, S.UNACK, 0),
    (S.UNACK, "out-of-service", True, S.OUT_OF_SERVICE, 1),
    (S.UNACK, "in-service", True, S.UNACK, 0),
    (S.ACKED, "ack", True, S.ACKED, 0),
    (S.ACKED, "shelve", True, S.SHELVED, 1),
    (S.ACKED, "unshelve", True, S.ACKED, 0),
    (S.ACKED, "comment", True, S.ACKED, 1),
    (S.ACKED, "reset", True, S.ACKED, 0),
    (S.ACKED, "out-of-service", True, S.OUT_OF_SERVICE, 1),
    (S.ACKED, "in-service", True, S.ACKED, 0),
    (S.RTN_UNACK, "ack", True, S.NORMAL, 1),
    (S.RTN_UNACK, "shelve", True, S.SHELVED, 1),
    (S.RTN_UNACK, "unshelve", True, S.RTN_UNACK, 0),
    (S.RTN_UNACK, "comment", True, S.RTN_UNACK, 1),
    (S.RTN_UNACK, "reset", True, S.RTN_UNACK, 0),
    (S.RTN_UNACK, "out-of-service", True, S.OUT_OF_SERVICE, 1),
    (S.RTN_UNACK, "in-service", True, S.RTN_UNACK, 0),
    (S.SHELVED, "ack", True, S.SHELVED, 1),
    (S.SHELVED, "shelve", True, S.SHELVED, 0),
    (S.SHELVED, "unshelve", True, S.UNACK, 1),
    (S.SHELVED, "comment", True, S.SHELVED, 1),
    (S.SHELVED, "reset", True, S.SHELVED, 0),
    (S.SHELVED, "out-of-service", True, S.OUT_OF_SERVICE, 1),
    (S.SHELVED, "in-service", True, S.SHELVED, 0),
    (S.SUPPRESSED, "ack", True, S.SUPPRESSED, 1),
    (S.SUPPRESSED, "shelve", True, S.SHELVED, 1),
    (S.SUPPRESSED, "unshelve", True, S.SUPPRESSED, 0),
    (S.SUPPRESSED, "comment", True, S.SUPPRESSED, 1),
    (S.SUPPRESSED, "reset", True, S.SUPPRESSED, 0),
    (S.SUPPRESSED, "out-of-service", True, S.OUT_OF_SERVICE, 1),
    (S.SUPPRESSED, "in-service", True, S.SUPPRESSED, 0),
    (S.OUT_OF_SERVICE, "ack", False, S.OUT_OF_SERVICE, 0),
    (S.OUT_OF_SERVICE, "shelve", False, S.OUT_OF_SERVICE, 0),
    (S.OUT_OF_SERVICE, "unshelve", True, S.OUT_OF_SERVICE, 0),
    (S.OUT_OF_SERVICE, "comment", True, S.OUT_OF_SERVICE, 1),
    (S.OUT_OF_SERVICE, "reset", False, S.OUT_OF_SERVICE, 0),
    (S.OUT_OF_SERVICE, "out-of-service", True, S.OUT_OF_SERVICE, 0),
    (S.OUT_OF_SERVICE, "in-service", True, S.UNACK, 1),
]


@pytest.mark.parametrize(("start", "verb", "ok", "end", "n_events"), TABLE)
def test_every_command_in_every_state(city: City, start: AlarmState, verb: str, ok: bool,
                                      end: AlarmState, n_events: int) -> None:
    bring_to(city, start)
    result = city.do(verb, comment="reason given")
    assert result.ok is ok, result.reason
    assert city.state() == end
    assert len(result.events) == n_events
    assert result.request_id == "r1"
    if not ok:
        assert result.reason.endswith(".") and len(result.reason.split()) >= 4
    for event in result.events:
        assert (event.from_state, event.to_state, event.user, event.console) == (start, end, "alice", "desk-1")


def test_condition_drives_unack_rtn_unack_and_normal(city: City) -> None:
    [raised] = city.send("L-1", fault=True)
    assert (raised.from_state, raised.to_state, raised.value) == (S.NORMAL, S.UNACK, True)
    [cleared] = city.send("L-1", fault=False)
    assert (cleared.from_state, cleared.to_state) == (S.UNACK, S.RTN_UNACK)
    [acked] = city.do("ack").events
    assert acked.to_state == S.NORMAL
    assert city.engine.records() == {}


def test_acked_alarm_returns_to_normal_when_condition_clears(city: City) -> None:
    city.send("L-1", fault=True)
    city.do("ack")
    [event] = city.send("L-1", fault=False)
    assert (event.from_state, event.to_state) == (S.ACKED, S.NORMAL)


def test_two_consoles_acking_produce_one_ack(city: City) -> None:
    city.send("L-1", fault=True)
    first = city.do("ack", user="alice", console="desk-1")
    second = city.do("ack", user="bob", console="desk-2")
    assert len(first.events) == 1 and second.ok and second.events == []
    assert "alice" in second.reason
    record = city.engine.records()[LAMP]
    assert (record.acked_by, record.last_event_user) == ("alice", "alice")


def test_second_ack_after_return_to_normal_is_harmless(city: City) -> None:
    city.send("L-1", fault=True)
    city.send("L-1", fault=False)
    assert len(city.do("ack", user="alice").events) == 1
    late = city.do("ack", user="bob")
    assert late.ok and late.events == []


def test_shelve_needs_reason_and_bounded_duration(city: City) -> None:
    city.send("L-1", fault=True)
    no_reason = city.do("shelve", comment="  ")
    assert not no_reason.ok and "reason" in no_reason.reason
    forever = city.do("shelve", comment="noisy", duration_s=25 * 3600)
    assert not forever.ok and "24 h" in forever.reason
    assert city.state() == S.UNACK
    assert city.do("shelve", comment="noisy").ok
    record = city.engine.records()[LAMP]
    assert record.shelved_until_ms == city.now + 15 * 60 * 1000
    assert (record.shelved_by, record.shelve_reason) == ("alice", "noisy")


@pytest.mark.parametrize(("still_active", "after"), [(True, S.UNACK), (False, S.NORMAL)])
def test_shelving_expires_to_the_state_the_condition_implies(city: City, still_active: bool,
                                                            after: AlarmState) -> None:
    city.send("L-1", fault=True)
    city.do("shelve", comment="crew on site", duration_s=600)
    if not still_active:
        assert city.send("L-1", fault=False) == []
    assert city.engine.tick(city.now + 599_000) == []
    [expired] = city.engine.tick(city.now + 600_000)
    assert (expired.from_state, expired.to_state) == (S.SHELVED, after)
    assert expired.comment == "shelving expired"


def test_latching_alarm_stays_until_reset_after_clearing(city: City) -> None:
    fire = "fire:B-1"
    city.send("B-1", temp_c=85.0)
    city.do("ack", fire)
    refused = city.do("reset", fire)
    assert not refused.ok and "still active" in refused.reason
    [cleared] = city.send("B-1", temp_c=20.0)
    assert (cleared.from_state, cleared.to_state) == (S.ACKED, S.ACKED), "consoles learn it can now be reset"
    assert city.state(fire) == S.ACKED and not city.engine.records()[fire].active
    [reset] = city.do("reset", fire, comment="checked on site").events
    assert (reset.from_state, reset.to_state) == (S.ACKED, S.NORMAL)


def test_unacknowledged_latched_alarm_needs_ack_after_reset(city: City) -> None:
    fire = "fire:B-1"
    city.send("B-1", temp_c=85.0)
    city.send("B-1", temp_c=20.0)
    assert city.state(fire) == S.UNACK
    assert city.do("reset", fire).events[0].to_state == S.RTN_UNACK
    assert city.do("ack", fire).events[0].to_state == S.NORMAL


def test_parent_power_loss_suppresses_and_releases_child(city: City) -> None:
    city.send("L-1", fault=True)
    events = city.send("C-1", mains=False)
    assert [(e.alarm_id, e.to_state) for e in events] == [("power:C-1", S.UNACK), (LAMP, S.SUPPRESSED)]
    assert city.engine.records()[LAMP].suppressed_by == "power:C-1"
    [released] = [e for e in city.send("C-1", mains=True) if e.alarm_id == LAMP]
    assert (released.from_state, released.to_state) == (S.SUPPRESSED, S.UNACK)


def test_child_raised_while_parent_active_is_suppressed_and_forgotten_if_it_clears(city: City) -> None:
    city.send("C-1", mains=False)
    [hidden] = city.send("L-1", fault=True)
    assert hidden.to_state == S.SUPPRESSED
    city.send("L-1", fault=False)
    city.send("C-1", mains=True)
    assert city.state() == S.NORMAL


def test_unknown_alarm_and_unknown_verb_are_refused(city: City) -> None:
    unknown = city.do("ack", "fault:L-999")
    assert not unknown.ok and "Unknown alarm" in unknown.reason
    bad_verb = city.do("silence")
    assert not bad_verb.ok and "ack" in bad_verb.reason


def test_comments_are_kept_on_the_record(city: City) -> None:
    city.send("L-1", fault=True)
    for n in range(7):
        city.now += 1000
        city.do("comment", comment=f"note {n}")
    comments = city.engine.records()[LAMP].comments
    assert [text for _, _, text in comments] == [f"note {n}" for n in range(2, 7)]


def test_record_and_event_survive_json(city: City) -> None:
    [event] = city.send("L-1", fault=True)
    city.do("comment", comment="seen")
    record = city.engine.records()[LAMP]
    again = AlarmRecord.from_json(record.to_json())
    assert again == record
    assert type(event).from_json(event.to_json()) == event
    assert record.to_json()["state"] == "unack" and record.message == "fault is true"
