"""Occupancy schedules of buildings, e.g. ``"mon-fri 07:30-19:00; sat 08:00-12:00"``."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_INTERVAL = re.compile(r"^([01]?\d|2[0-4]):([0-5]\d)-([01]?\d|2[0-4]):([0-5]\d)$")


class OccupancyError(ValueError):
    """A schedule text that cannot be read; the message quotes the faulty part."""


@dataclass(frozen=True, slots=True)
class Occupancy:
    """Weekly occupied periods: (weekdays, start minute, end minute); an end before the start runs overnight."""

    periods: tuple[tuple[frozenset[int], int, int], ...]

    @classmethod
    def parse(cls, text: str) -> Occupancy:
        """Clauses separated by ';', each ``<days> <HH:MM-HH:MM>[,<HH:MM-HH:MM>...]``.

        Days are ``mon``..``sun``, ranges (``mon-fri``), lists (``mon,wed``) or ``daily``.
        """
        periods = []
        for clause in (c.strip().lower() for c in text.split(";")):
            if not clause:
                continue
            days_text, _, times_text = clause.partition(" ")
            days = _days(days_text, clause)
            for interval in times_text.replace(" ", "").split(","):
                match = _INTERVAL.match(interval)
                if match is None:
                    raise OccupancyError(f"{clause!r}: expected HH:MM-HH:MM, got {interval!r}")
                start = int(match[1]) * 60 + int(match[2])
                end = int(match[3]) * 60 + int(match[4])
                periods.append((days, start, end))
        return cls(tuple(periods))

    def is_occupied(self, ts_ms: int, tz: ZoneInfo) -> bool:
        """Whether the instant falls in an occupied period, in local time of ``tz``."""
        local = datetime.fromtimestamp(ts_ms / 1000, tz)
        day, minute = local.weekday(), local.hour * 60 + local.minute
        for days, start, end in self.periods:
            if start <= end:
                if day in days and start <= minute < end:
                    return True
            elif (day in days and minute >= start) or ((day - 1) % 7 in days and minute < end):
                return True
        return False


def _days(text: str, clause: str) -> frozenset[int]:
    if text in ("daily", "every-day", "all"):
        return frozenset(range(7))
    days: set[int] = set()
    for part in text.split(","):
        first, _, last = part.partition("-")
        if first not in DAYS or (last and last not in DAYS):
            raise OccupancyError(f"{clause!r}: unknown day(s) {part!r}; use mon..sun, ranges or 'daily'")
        a = DAYS.index(first)
        b = DAYS.index(last) if last else a
        days.update(range(a, b + 1) if a <= b else [*range(a, 7), *range(b + 1)])
    return frozenset(days)
