"""The tables of the alarm performance figures, shared by the PDF report and the console's panel.

Both show the very same rows, so the director reads on the screen what the signed report will say.
Texts are translated under the ``AlarmReport`` context (the report's).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from PySide6.QtCore import QCoreApplication

from hypervisor.reports.alarm_figures import (
    CHATTER_COUNT,
    EEMUA_PER_10_MIN,
    EEMUA_PER_HOUR,
    FLOOD_PER_PERIOD,
    AlarmFigures,
)
from widgets.alarms.model import priority_text

translate = QCoreApplication.translate
TimeText = Callable[[float | None], str]
"""An instant (epoch ms, or None) as the reader's date and time."""


@dataclass(frozen=True, slots=True)
class FigureTable:
    """One table of the figures: its title, column headers, rows and an optional note under it."""

    title: str
    headers: Sequence[str]
    rows: list[Sequence[Any]]
    note: str = ""
    above: list[bool] = field(default_factory=list)
    """Per row, whether the figure is beyond its benchmark (shown in the alarm colour on screen)."""


def duration_text(value: float | None) -> str:
    """Seconds as "45 s", or as minutes from two minutes on; a dash when there is none."""
    if value is None or np.isnan(value):
        return "—"
    return f"{value / 60:.1f} min" if value >= 120 else f"{value:.0f} s"


def summary_table(figures: AlarmFigures, time: TimeText) -> FigureTable:
    """Rates, floods, peak, chattering, fleeting and stale alarms against EEMUA 191's benchmarks."""
    status = (translate("AlarmReport", "within"), translate("AlarmReport", "above"))
    hourly, ten = figures.per_hour > EEMUA_PER_HOUR, figures.per_10_min > EEMUA_PER_10_MIN
    rows: list[Sequence[Any]] = [
        (translate("AlarmReport", "Alarms raised"), figures.total, ""),
        (translate("AlarmReport", "Average alarms per hour per position"), round(figures.per_hour, 2),
         f"{EEMUA_PER_HOUR:g} ({status[hourly]})"),
        (translate("AlarmReport", "Average alarms per 10 minutes per position"), round(figures.per_10_min, 2),
         f"{EEMUA_PER_10_MIN:g} ({status[ten]})"),
        (translate("AlarmReport", "10-minute periods in flood (more than 10 alarms)"),
         f"{figures.flood_share:.1%}", "< 1%"),
        (translate("AlarmReport", "Peak alarms in 10 minutes"),
         f"{figures.peak} ({time(figures.peak_start_ms)})" if figures.peak_start_ms else figures.peak, "≤ 10"),
        (translate("AlarmReport", "Chattering alarms (3 or more in a minute)"), len(figures.chattering), "0"),
        (translate("AlarmReport", "Fleeting annunciations (back to normal within a minute)"), figures.fleeting, ""),
        (translate("AlarmReport", "Stale alarms (standing over 24 h)"), len(figures.stale), "0"),
    ]
    above = [False, hourly, ten, figures.flood_share >= 0.01, figures.peak > FLOOD_PER_PERIOD,
             len(figures.chattering) > 0, False, len(figures.stale) > 0]
    return FigureTable(translate("AlarmReport", "Alarm system performance"),
                       [translate("AlarmReport", "Figure"), translate("AlarmReport", "Value"),
                        translate("AlarmReport", "EEMUA 191 benchmark")], rows, above=above)


def priority_table(figures: AlarmFigures) -> FigureTable:
    return FigureTable(translate("AlarmReport", "Priority distribution"),
                       [translate("AlarmReport", "Priority"), translate("AlarmReport", "Alarms"),
                        translate("AlarmReport", "Share"), translate("AlarmReport", "Target (ISA-18.2)")],
                       [(priority_text(p.priority), p.alarms, f"{p.share:.1%}",
                         "—" if pd.isna(p.target) else f"~{p.target:.0%}") for p in figures.priorities.itertuples()],
                       translate("AlarmReport", "Critical and high together are set against the 5 % target."))


def bad_actor_table(figures: AlarmFigures) -> FigureTable:
    return FigureTable(translate("AlarmReport", "Top 10 most frequent alarms (bad actors)"),
                       [translate("AlarmReport", "Alarm"), translate("AlarmReport", "Priority"),
                        translate("AlarmReport", "Alarms"), translate("AlarmReport", "Share of all alarms")],
                       [(b.alarm_id, priority_text(b.priority), b.alarms, f"{b.share:.1%}")
                        for b in figures.bad_actors.itertuples()])


def chattering_table(figures: AlarmFigures) -> FigureTable:
    return FigureTable(translate("AlarmReport", "Chattering alarms"),
                       [translate("AlarmReport", "Alarm"), translate("AlarmReport", "Alarms")],
                       [(c.alarm_id, c.alarms) for c in figures.chattering.head(20).itertuples()],
                       translate("AlarmReport", "Raised {count} times or more within one minute.").format(
                           count=CHATTER_COUNT))


def stale_table(figures: AlarmFigures, time: TimeText) -> FigureTable:
    return FigureTable(translate("AlarmReport", "Stale alarms"),
                       [translate("AlarmReport", "Alarm"), translate("AlarmReport", "Priority"),
                        translate("AlarmReport", "Raised"), translate("AlarmReport", "Standing (hours)")],
                       [(s.alarm_id, priority_text(s.priority), time(s.raised_ms), round(s.hours, 1))
                        for s in figures.stale.head(30).itertuples()])


def acknowledge_table(figures: AlarmFigures) -> FigureTable:
    return FigureTable(translate("AlarmReport", "Time to acknowledge by priority"),
                       [translate("AlarmReport", "Priority"), translate("AlarmReport", "Acknowledged"),
                        translate("AlarmReport", "Median"), translate("AlarmReport", "90th percentile"),
                        translate("AlarmReport", "Not acknowledged")],
                       [(priority_text(a.priority), a.acknowledged, duration_text(a.median_s),
                         duration_text(a.p90_s), a.not_acknowledged) for a in figures.acknowledge.itertuples()])


def shelving_table(figures: AlarmFigures) -> FigureTable:
    minutes = figures.shelving["minutes"]
    return FigureTable(translate("AlarmReport", "Shelving"),
                       [translate("AlarmReport", "Shelvings"), translate("AlarmReport", "Total (hours)"),
                        translate("AlarmReport", "Median (minutes)"), translate("AlarmReport", "Longest (hours)")],
                       [(len(minutes), round(float(minutes.sum()) / 60, 1),
                         round(float(minutes.median()), 1) if len(minutes) else "—",
                         round(float(minutes.max()) / 60, 1) if len(minutes) else "—")])


def figure_tables(figures: AlarmFigures, time: TimeText) -> dict[str, FigureTable]:
    """Every table by name: summary, priorities, acknowledge, shelving, bad_actors, chattering, stale."""
    return {"summary": summary_table(figures, time), "priorities": priority_table(figures),
            "acknowledge": acknowledge_table(figures), "shelving": shelving_table(figures),
            "bad_actors": bad_actor_table(figures), "chattering": chattering_table(figures),
            "stale": stale_table(figures, time)}


def definitions() -> str:
    """How the figures count, printed under them."""
    return translate(
        "AlarmReport",
        "An alarm is counted when it reaches the operators (raised, unacknowledged). A 10-minute period is in"
        " flood when more than {flood} alarms per position fall in it. Fleeting: back to normal within a minute."
        " Stale: standing more than 24 hours.").format(flood=FLOOD_PER_PERIOD)
