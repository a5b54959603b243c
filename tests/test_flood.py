"""Alarm floods after EEMUA 191: more than 10 new alarms in 10 minutes, globally and per domain."""

from __future__ import annotations

from alerts import AlarmEvent, AlarmState, FloodChange, FloodDetector, Priority

MINUTE = 60_000


def raised(ts_ms: int, n: int, domain: str = "water") -> AlarmEvent:
    return AlarmEvent(ts_ms, f"r:{domain}-{n}", "r", f"{domain}-{n}", Priority.HIGH, AlarmState.NORMAL,
                      AlarmState.UNACK, domain=domain)


def test_eleven_new_alarms_in_ten_minutes_start_a_flood_in_scope_and_globally() -> None:
    flood = FloodDetector()
    assert flood.observe([raised(k * MINUTE // 2, k) for k in range(10)]) == []
    changes = flood.observe([raised(5 * MINUTE, 10)])
    assert changes == [FloodChange(True, "global", 11, 5 * MINUTE), FloodChange(True, "domain:water", 11, 5 * MINUTE)]
    assert flood.active() == {"global": 5 * MINUTE, "domain:water": 5 * MINUTE}


def test_alarms_spread_over_more_than_the_window_are_no_flood() -> None:
    flood = FloodDetector()
    changes = [c for k in range(30) for c in flood.observe([raised(k * 2 * MINUTE, k)])]
    assert changes == []


def test_acks_and_clears_do_not_count() -> None:
    flood = FloodDetector(threshold=2)
    ack = AlarmEvent(0, "r:a", "r", "a", Priority.LOW, AlarmState.UNACK, AlarmState.ACKED, domain="water")
    clear = AlarmEvent(0, "r:a", "r", "a", Priority.LOW, AlarmState.ACKED, AlarmState.NORMAL, domain="water")
    assert flood.observe([ack, clear] * 5) == []


def test_flood_ends_when_the_rate_falls_to_half_the_threshold() -> None:
    flood = FloodDetector()
    flood.observe([raised(k * 1000, k, "lighting") for k in range(12)])
    assert flood.tick(9 * MINUTE) == []
    ended = flood.tick(10 * MINUTE + 11_000)
    assert ended == [FloodChange(False, "global", 0, 11_000), FloodChange(False, "domain:lighting", 0, 11_000)]
    assert flood.active() == {}


def test_one_domain_in_flood_leaves_the_others_quiet() -> None:
    flood = FloodDetector(threshold=3)
    changes = flood.observe([raised(0, k, "waste") for k in range(4)] + [raised(0, 9, "heating")])
    assert {c.scope for c in changes} == {"global", "domain:waste"}
