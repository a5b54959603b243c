"""Each trainee's responses against the drill's expectations: met, late, missed, with response times."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

from feeds.scenario import Expectation

LATE_SHARE = 0.5
"""A late response earns this share of its points: done, but not in time."""


@dataclass(frozen=True, slots=True)
class TraineeAction:
    """One command a trainee sent, as the sandbox's engine answered it, at simulated time ``ts_ms``."""

    ts_ms: int
    user: str
    verb: str
    alarm_id: str
    comment: str
    ok: bool
    reason: str = ""


@dataclass(frozen=True, slots=True)
class Outcome:
    """How one trainee did on one expectation; ``response_ms`` counts from the alarm (or its clearing)."""

    expectation: Expectation
    status: str
    """``met``, ``late``, ``missed``, ``over-reacted`` or ``not-raised`` (the alarm never came)."""
    response_ms: int | None = None

    @property
    def earned(self) -> float:
        if self.status == "met":
            return self.expectation.points
        return self.expectation.points * LATE_SHARE if self.status == "late" else 0.0


@dataclass(slots=True)
class _AlarmTimes:
    raised_ms: int | None = None
    cleared_ms: int | None = None


@dataclass(frozen=True, slots=True)
class TraineeScore:
    user: str
    outcomes: tuple[Outcome, ...]

    @property
    def percent(self) -> float:
        """Points earned over the points of expectations whose alarm came, as a percentage."""
        counted = [o for o in self.outcomes if o.status != "not-raised"]
        total = sum(o.expectation.points for o in counted)
        return 100.0 * sum(o.earned for o in counted) / total if total else 100.0


def score_body(score: TraineeScore) -> dict[str, object]:
    """A trainee's result as the session publishes it to the trainee's console."""
    return {"user": score.user, "percent": round(score.percent, 1),
            "outcomes": [{"id": o.expectation.id, "alarm_id": o.expectation.alarm_id,
                          "expected_en": o.expectation.describe("en"), "expected_fr": o.expectation.describe("fr"),
                          "status": o.status, "response_ms": o.response_ms} for o in score.outcomes]}


@dataclass(slots=True)
class Scorer:
    """Fed with alarm records and trainee actions as they happen; scores anyone at any time."""

    expectations: tuple[Expectation, ...]
    actions: list[TraineeAction] = field(default_factory=list)
    _alarms: dict[str, _AlarmTimes] = field(default_factory=dict)
    trainer: str = ""

    def on_record(self, record: dict[str, object], now_ms: int) -> None:
        """An alarm record as the engine published it (an empty one: the alarm is back to normal)."""
        alarm_id = str(record.get("alarm_id", ""))
        times = self._alarms.setdefault(alarm_id, _AlarmTimes())
        active = bool(record.get("active"))
        if active and times.raised_ms is None:
            raised = record.get("raised_ms")
            times.raised_ms = int(raised) if isinstance(raised, int) else now_ms
        elif not active and times.raised_ms is not None and times.cleared_ms is None:
            changed = record.get("changed_ms")
            times.cleared_ms = int(changed) if isinstance(changed, int) and changed else now_ms

    def on_action(self, action: TraineeAction) -> None:
        self.actions.append(action)

    @property
    def trainees(self) -> list[str]:
        return sorted({a.user for a in self.actions if a.user != self.trainer})

    def raised_ms(self, alarm_id: str) -> int | None:
        times = self._alarms.get(alarm_id)
        return times.raised_ms if times else None

    def score(self, user: str) -> TraineeScore:
        mine = [a for a in self.actions if a.user == user]
        return TraineeScore(user, tuple(self._outcome(e, mine) for e in self.expectations))

    def scores(self, users: list[str] | None = None) -> list[TraineeScore]:
        return [self.score(u) for u in (users if users is not None else self.trainees)]

    def _outcome(self, expectation: Expectation, actions: list[TraineeAction]) -> Outcome:
        times = self._alarms.get(expectation.alarm_id, _AlarmTimes())
        on_alarm = [a for a in actions if a.alarm_id == expectation.alarm_id and a.ok]
        if expectation.action == "refrain":
            if any(a.verb in expectation.verbs for a in on_alarm):
                return Outcome(expectation, "over-reacted")
            return Outcome(expectation, "met" if times.raised_ms is not None else "not-raised")
        reference = times.cleared_ms if expectation.action == "reset" else times.raised_ms
        if reference is None:
            return Outcome(expectation, "not-raised" if times.raised_ms is None else "missed")
        for action in on_alarm:
            if action.ts_ms >= reference and _answers(expectation, action):
                response = action.ts_ms - reference
                return Outcome(expectation, "met" if response <= expectation.within_ms else "late", response)
        return Outcome(expectation, "missed")


def _answers(expectation: Expectation, action: TraineeAction) -> bool:
    """Whether the action is the one expected (a comment counts on any command that carries it)."""
    if expectation.action not in ("comment", action.verb):
        return False
    return not expectation.contains or _folded(expectation.contains) in _folded(action.comment)


def _folded(text: str) -> str:
    """Lower case without accents: « Vanne » matches « vanné » as an operator types it."""
    return "".join(c for c in unicodedata.normalize("NFD", text.casefold()) if not unicodedata.combining(c))
