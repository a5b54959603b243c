"""What a session leaves for the debrief: scenario, injections as fired, each trainee's score and actions."""

from __future__ import annotations

from dataclasses import dataclass, field

from feeds.scenario import Scenario
from hypervisor.training.scoring import TraineeAction, TraineeScore


@dataclass(frozen=True, slots=True)
class FiredLine:
    offset_ms: int
    label_en: str
    label_fr: str
    by_hand: bool


@dataclass(frozen=True, slots=True)
class TrainerNote:
    ts_ms: int
    text: str


@dataclass(frozen=True, slots=True)
class Debrief:
    """Everything the PDF says, gathered when the session ends."""

    session: str
    scenario: Scenario
    trainer: str
    started_ms: int
    ended_ms: int
    speed: float
    fired: tuple[FiredLine, ...]
    scores: tuple[TraineeScore, ...]
    actions: tuple[TraineeAction, ...]
    notes: tuple[TrainerNote, ...] = field(default_factory=tuple)
    historian: str = ""

    def actions_of(self, user: str) -> list[TraineeAction]:
        return [a for a in self.actions if a.user == user]

