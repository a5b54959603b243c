"""Operator commands sent by consoles, and the engine's answer."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum

from alerts import states
from alerts.records import AlarmEvent, AlarmRecord

DEFAULT_SHELVE_S = 15 * 60
MAX_SHELVE_S = 24 * 3600


class Verb(StrEnum):
    """Command verbs, as they appear in ``hv/v1/cmd/<user>/<verb>``."""

    ACK = "ack"
    SHELVE = "shelve"
    UNSHELVE = "unshelve"
    COMMENT = "comment"
    RESET = "reset"
    OUT_OF_SERVICE = "out-of-service"
    IN_SERVICE = "in-service"


@dataclass(frozen=True, slots=True)
class Command:
    """One operator action on one alarm; ``user`` is the authenticated broker user."""

    verb: str
    alarm_id: str
    user: str
    console: str = ""
    comment: str = ""
    request_id: str = ""
    duration_s: float | None = None


@dataclass(frozen=True, slots=True)
class CommandResult:
    """``ok`` with the events the command caused (none when it changed nothing), or why it was refused."""

    ok: bool
    reason: str = ""
    events: list[AlarmEvent] = field(default_factory=list)
    request_id: str = ""
    code: str = ""
    """Why it was refused, for a console to say in its language (``REFUSAL_CODES``)."""


REFUSAL_CODES = ("unknown_alarm", "unknown_verb", "no_user", "reason_needed", "bad_duration", "empty_comment",
                 "out_of_service", "normal", "still_active")
"""Every ``code`` a refused command can carry."""


class CommandRefused(Exception):
    """A command that cannot be carried out: a sentence for the operator, and its ``code``."""

    def __init__(self, reason: str, code: str) -> None:
        super().__init__(reason)
        self.code = code


def perform(rec: AlarmRecord, cmd: Command, now_ms: int) -> tuple[bool, str]:
    """Apply ``cmd`` to the record: (whether anything changed, a note when nothing did).

    Raises ``CommandRefused`` or ``IllegalTransition`` with the reason for the operator.
    """
    try:
        verb = Verb(cmd.verb)
    except ValueError:
        raise CommandRefused(f"Unknown command {cmd.verb!r}; use one of {', '.join(Verb)}.", "unknown_verb") from None
    if not cmd.user:
        raise CommandRefused("The command names no user; every action must be attributable.", "no_user")
    changed, note = _VERBS[verb](rec, cmd, now_ms)
    if cmd.comment and (changed or verb == Verb.COMMENT):
        rec.add_comment(now_ms, cmd.user, cmd.comment)
    return changed, note


def _ack(rec: AlarmRecord, cmd: Command, now_ms: int) -> tuple[bool, str]:
    if states.acknowledge(rec, cmd.user, now_ms):
        return True, ""
    return False, f"Already acknowledged by {rec.acked_by}." if rec.acked_by else "Already acknowledged."


def _shelve(rec: AlarmRecord, cmd: Command, now_ms: int) -> tuple[bool, str]:
    if not cmd.comment.strip():
        raise CommandRefused("Shelving needs a reason; write it in the comment.", "reason_needed")
    duration = DEFAULT_SHELVE_S if cmd.duration_s is None else cmd.duration_s
    if isinstance(duration, bool) or not isinstance(duration, int | float):
        raise CommandRefused(f"The shelving duration must be a number of seconds, not {duration!r}.", "bad_duration")
    if not 0 < duration <= MAX_SHELVE_S:
        raise CommandRefused(f"Shelving lasts more than 0 s and at most {MAX_SHELVE_S // 3600} h, "
                             f"not {duration:g} s.", "bad_duration")
    if states.shelve(rec, cmd.user, now_ms + int(duration * 1000), cmd.comment.strip()):
        return True, ""
    return False, f"Already shelved by {rec.shelved_by}."


def _unshelve(rec: AlarmRecord, cmd: Command, now_ms: int) -> tuple[bool, str]:
    if states.unshelve(rec):
        return True, ""
    return False, "The alarm is not shelved."


def _comment(rec: AlarmRecord, cmd: Command, now_ms: int) -> tuple[bool, str]:
    if not cmd.comment.strip():
        raise CommandRefused("The comment is empty.", "empty_comment")
    return True, ""


def _reset(rec: AlarmRecord, cmd: Command, now_ms: int) -> tuple[bool, str]:
    if states.reset(rec):
        return True, ""
    return False, "The alarm is not latched; there is nothing to reset."


def _out_of_service(rec: AlarmRecord, cmd: Command, now_ms: int) -> tuple[bool, str]:
    if not cmd.comment.strip():
        raise CommandRefused("Taking an alarm out of service needs a reason; write it in the comment.", "reason_needed")
    if states.take_out_of_service(rec):
        return True, ""
    return False, "The alarm is already out of service."


def _in_service(rec: AlarmRecord, cmd: Command, now_ms: int) -> tuple[bool, str]:
    if states.return_to_service(rec):
        return True, ""
    return False, "The alarm is already in service."


_VERBS: dict[Verb, Callable[[AlarmRecord, Command, int], tuple[bool, str]]] = {
    Verb.ACK: _ack, Verb.SHELVE: _shelve, Verb.UNSHELVE: _unshelve, Verb.COMMENT: _comment,
    Verb.RESET: _reset, Verb.OUT_OF_SERVICE: _out_of_service, Verb.IN_SERVICE: _in_service,
}
