"""A drill as values: metadata, the city's initial conditions, timed injections and expected responses."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

INJECTION_KINDS = ("fault", "force", "ramp", "silence", "burst")
ACTIONS = ("ack", "comment", "shelve", "out-of-service", "reset", "refrain")
LEVELS = ("beginner", "intermediate", "advanced")
SEASONS = ("winter", "spring", "summer", "autumn")
WEATHER_OFFSET_C = {"clear": 0.0, "cloudy": 0.0, "rain": -1.0, "storm": -2.0, "snow": -4.0, "frost": -6.0,
                    "heatwave": 8.0}
"""How far each weather moves the outdoor temperature from the season's, in °C."""
SEASON_MONTHS = {"winter": (12, 1, 2), "spring": (3, 4, 5), "summer": (6, 7, 8), "autumn": (9, 10, 11)}

_OFFSET = re.compile(r"^\+?(?:(\d+):)?(\d{1,3}):(\d{2})$")


def parse_offset(text: str) -> int:
    """``"+00:30"`` (minutes:seconds) or ``"+1:05:00"`` (hours:minutes:seconds) as milliseconds."""
    found = _OFFSET.match(text.strip()) if isinstance(text, str) else None
    if found is None:
        raise ValueError(f"{text!r} is not a time offset; write \"+MM:SS\" or \"+HH:MM:SS\"")
    hours, minutes, seconds = int(found[1] or 0), int(found[2]), int(found[3])
    if seconds >= 60 or (found[1] is not None and minutes >= 60):
        raise ValueError(f"{text!r}: minutes and seconds run from 00 to 59")
    return ((hours * 60 + minutes) * 60 + seconds) * 1000


def format_offset(ms: int) -> str:
    """Milliseconds as ``+MM:SS`` (or ``+H:MM:SS`` from one hour)."""
    seconds = max(0, ms) // 1000
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"+{hours}:{minutes:02d}:{secs:02d}" if hours else f"+{minutes:02d}:{secs:02d}"


@dataclass(frozen=True, slots=True)
class Conditions:
    """The city as the drill opens: season (checked against the start date) and weather."""

    season: str = ""
    weather: str = "clear"

    @property
    def outdoor_offset_c(self) -> float:
        return WEATHER_OFFSET_C[self.weather]


@dataclass(frozen=True, slots=True)
class Injection:
    """One scripted event at ``at_ms`` after the drill's start."""

    id: str
    at_ms: int
    kind: str
    asset: str = ""
    fault: str = ""
    metric: str = ""
    value: float | None = None
    ramp_from: float | None = None
    over_ms: int | None = None
    duration_ms: int | None = None
    district: str = ""
    count: int = 0
    label_en: str = ""
    label_fr: str = ""
    line: int = 0

    def label(self, lang: str = "en") -> str:
        """What the trainer reads on the timeline."""
        text = self.label_fr if lang == "fr" and self.label_fr else self.label_en
        if text:
            return text
        target = self.asset or self.district
        what = self.fault or self.metric or self.kind
        return f"{self.kind}: {what} {target}".strip()


@dataclass(frozen=True, slots=True)
class Expectation:
    """A response the trainee should give to the alarm ``rule_id:asset_id``, within ``within_ms``."""

    id: str
    action: str
    rule_id: str
    asset_id: str
    within_ms: int
    contains: str = ""
    verbs: tuple[str, ...] = ()
    points: float = 1.0
    line: int = 0

    @property
    def alarm_id(self) -> str:
        return f"{self.rule_id}:{self.asset_id}"

    def describe(self, lang: str = "en") -> str:
        """One line for the debrief and the trainer: what was expected."""
        seconds = self.within_ms // 1000
        word = f" « {self.contains} »" if self.contains else ""
        if lang == "fr":
            verbs = {"ack": "acquitter", "comment": "commenter", "shelve": "mettre en attente",
                     "out-of-service": "mettre hors service", "reset": "réarmer",
                     "refrain": "ne pas sur-réagir sur"}
            return f"{verbs[self.action]} {self.alarm_id}{word} en {seconds} s"
        verbs = {"ack": "acknowledge", "comment": "comment on", "shelve": "shelve",
                 "out-of-service": "take out of service", "reset": "reset", "refrain": "not over-react to"}
        return f"{verbs[self.action]} {self.alarm_id}{word} within {seconds} s"


@dataclass(frozen=True, slots=True)
class Scenario:
    """A whole drill, as validated from its TOML file."""

    id: str
    title_en: str
    title_fr: str
    briefing_en: str
    briefing_fr: str
    level: str
    duration_ms: int
    start_ms: int
    speed: float = 1.0
    author: str = ""
    seed: int = 0
    area: tuple[str, ...] = ()
    """Districts simulated (empty: the whole city); a smaller sandbox runs faster."""
    recording: str = ""
    """A historian file whose telemetry is played back instead of the simulator (a drill from an incident)."""
    conditions: Conditions = field(default_factory=Conditions)
    injections: tuple[Injection, ...] = ()
    expectations: tuple[Expectation, ...] = ()
    source: str = ""

    def title(self, lang: str = "en") -> str:
        return self.title_fr if lang == "fr" else self.title_en

    def briefing(self, lang: str = "en") -> str:
        return self.briefing_fr if lang == "fr" else self.briefing_en
