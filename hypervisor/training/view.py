"""What the trainer console shows, taken from a running session as plain immutable values."""

from __future__ import annotations

from dataclasses import dataclass

from feeds.scenario import Injection
from hypervisor.training.scoring import TraineeAction, TraineeScore
from hypervisor.training.session import FiredInjection, TrainingSession


@dataclass(frozen=True, slots=True)
class SessionView:
    """A session at one instant: clock, injections done and to come, trainees' actions and scores."""

    state: str
    now_ms: int
    elapsed_ms: int
    speed: float
    fired: tuple[FiredInjection, ...]
    pending: tuple[Injection, ...]
    actions: tuple[TraineeAction, ...]
    scores: tuple[TraineeScore, ...]


def session_view(session: TrainingSession) -> SessionView:
    """Built on the session's loop, so nothing changes under it while it is read."""
    return SessionView(session.state, session.clock.now_ms(), session.clock.elapsed_ms, session.clock.speed,
                       tuple(session.fired), tuple(session.pending), tuple(session.scorer.actions),
                       tuple(session.scorer.scores()))
