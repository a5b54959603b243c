"""The ISA-18.2 alarm state machine, as operations on an ``AlarmRecord``.

The record keeps independent flags (condition ``active``, ``latched``, ``unacked``, shelving,
suppression, out of service); ``derive_state`` turns them into the state operators see. Each
operation changes flags only; the engine compares states before and after to emit events.
"""

from __future__ import annotations

from alerts.records import AlarmRecord, AlarmState


class IllegalTransition(Exception):
    """A command that the alarm's current state does not allow: a sentence for the operator, and a ``code``
    a console can say in its own language."""

    def __init__(self, reason: str, code: str) -> None:
        super().__init__(reason)
        self.code = code


def base_state(rec: AlarmRecord) -> AlarmState:
    """State from condition and acknowledgement alone, ignoring shelving, suppression and service."""
    on = rec.active or rec.latched
    if on:
        return AlarmState.UNACK if rec.unacked else AlarmState.ACKED
    return AlarmState.RTN_UNACK if rec.unacked else AlarmState.NORMAL


def derive_state(rec: AlarmRecord) -> AlarmState:
    """The state operators see: out of service, then shelved, then suppressed, then the base state."""
    if rec.out_of_service:
        return AlarmState.OUT_OF_SERVICE
    if rec.shelved_until_ms is not None:
        return AlarmState.SHELVED
    base = base_state(rec)
    if rec.suppressed_by is not None and base != AlarmState.NORMAL:
        return AlarmState.SUPPRESSED
    return base


def set_condition(rec: AlarmRecord, active: bool, latching: bool, now_ms: int) -> None:
    """The (debounced) condition became true or false."""
    if active == rec.active:
        return
    if active:
        if base_state(rec) == AlarmState.NORMAL:
            rec.raised_ms = now_ms
            rec.acked_by = rec.acked_ms = None
        rec.unacked = True
        rec.latched = rec.latched or latching
    rec.active = active


def escalate(rec: AlarmRecord) -> None:
    """A more severe level or priority was reached: operators must acknowledge again."""
    if rec.active:
        rec.unacked = True
        rec.acked_by = rec.acked_ms = None


def acknowledge(rec: AlarmRecord, user: str, now_ms: int) -> bool:
    """Acknowledge; returns False when there was nothing left to acknowledge (idempotent)."""
    if rec.out_of_service:
        raise IllegalTransition("The alarm is out of service; return it to service before acknowledging.",
                                "out_of_service")
    if not rec.unacked:
        if rec.acked_ms is not None or base_state(rec) == AlarmState.ACKED:
            return False
        raise IllegalTransition("The alarm is normal; there is nothing to acknowledge.", "normal")
    rec.unacked = False
    rec.acked_by, rec.acked_ms = user, now_ms
    return True


def shelve(rec: AlarmRecord, user: str, until_ms: int, reason: str) -> bool:
    """Shelve until ``until_ms``; returns False when it is already shelved."""
    if rec.out_of_service:
        raise IllegalTransition("The alarm is out of service; it cannot be shelved.", "out_of_service")
    if rec.shelved_until_ms is not None:
        return False
    if base_state(rec) == AlarmState.NORMAL:
        raise IllegalTransition("The alarm is normal; only an active or unacknowledged alarm can be shelved.", "normal")
    rec.shelved_by, rec.shelved_until_ms, rec.shelve_reason = user, until_ms, reason
    return True


def unshelve(rec: AlarmRecord) -> bool:
    """End shelving (by command or expiry); returns False when it was not shelved."""
    if rec.shelved_until_ms is None:
        return False
    rec.shelved_by = rec.shelved_until_ms = rec.shelve_reason = None
    _forget_hidden_return(rec)
    return True


def suppress(rec: AlarmRecord, parent_alarm_id: str) -> None:
    """A parent alarm explains this one; it stays hidden while the parent is active."""
    rec.suppressed_by = parent_alarm_id


def release(rec: AlarmRecord) -> None:
    """The parent alarm cleared: the alarm shows the state its own condition implies."""
    if rec.suppressed_by is None:
        return
    rec.suppressed_by = None
    _forget_hidden_return(rec)


def reset(rec: AlarmRecord) -> bool:
    """Reset a latched alarm whose condition has cleared; returns False when it is not latched."""
    if rec.out_of_service:
        raise IllegalTransition("The alarm is out of service; return it to service before resetting.", "out_of_service")
    if not rec.latched:
        return False
    if rec.active:
        raise IllegalTransition("The condition is still active; the alarm can be reset only after it clears.",
                                "still_active")
    rec.latched = False
    return True


def orphan(rec: AlarmRecord, why: str) -> None:
    """The rule left or changed (``why``): the condition is no longer evaluated, and the alarm stays listed
    until an operator acknowledges it, and resets it if latched (ISA-18.2 management of change)."""
    rec.orphaned = why
    rec.active = False
    rec.unacked = True
    rec.acked_by = rec.acked_ms = None
    rec.shelved_by = rec.shelved_until_ms = rec.shelve_reason = rec.suppressed_by = None


def take_out_of_service(rec: AlarmRecord) -> bool:
    """Out of service ends any shelving; returns False when it already was."""
    if rec.out_of_service:
        return False
    rec.out_of_service = True
    rec.shelved_by = rec.shelved_until_ms = rec.shelve_reason = None
    return True


def return_to_service(rec: AlarmRecord) -> bool:
    """Back in service: an active condition must be acknowledged again; anything else is forgotten."""
    if not rec.out_of_service:
        return False
    rec.out_of_service = False
    rec.unacked = rec.active
    rec.latched = rec.latched and rec.active
    if rec.active:
        rec.acked_by = rec.acked_ms = None
    return True


def _forget_hidden_return(rec: AlarmRecord) -> None:
    # A condition that came and went while hidden is not re-announced as "returned, unacknowledged".
    if not rec.active and not rec.latched:
        rec.unacked = False
