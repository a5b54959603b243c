"""The alarm system performance report of a period (ISA-18.2 §16, EEMUA 191), for a director's review."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from PySide6.QtCore import QCoreApplication

from hypervisor.reports.alarm_figures import (
    CHATTER_COUNT,
    EEMUA_PER_10_MIN,
    EEMUA_PER_HOUR,
    FLOOD_PER_PERIOD,
    HOUR_MS,
    AlarmFigures,
)
from hypervisor.reports.charts import bars_image
from hypervisor.reports.pdf import Report
from hypervisor.reports.tables import write_tables
from widgets.alarms.model import priority_text

translate = QCoreApplication.translate


def _seconds(value: float | None) -> str:
    if value is None or np.isnan(value):
        return "—"
    return f"{value / 60:.1f} min" if value >= 120 else f"{value:.0f} s"


def render_alarm_report(figures: AlarmFigures, path: Path, zone: str) -> None:
    report = Report(translate("AlarmReport", "Alarm system performance"), zone)
    report.section(translate("AlarmReport", "Alarm system performance"))
    report.paragraph(translate("AlarmReport", "Period: {start} – {end} ({zone}); operator positions: {positions}")
                     .format(start=report.time(figures.since_ms, False), end=report.time(figures.until_ms, False),
                             zone=str(report.zone), positions=figures.positions))
    status = (translate("AlarmReport", "within"), translate("AlarmReport", "above"))
    report.table([translate("AlarmReport", "Figure"), translate("AlarmReport", "Value"),
                  translate("AlarmReport", "EEMUA 191 benchmark")], [
        (translate("AlarmReport", "Alarms raised"), figures.total, ""),
        (translate("AlarmReport", "Average alarms per hour per position"), round(figures.per_hour, 2),
         f"{EEMUA_PER_HOUR:g} ({status[figures.per_hour > EEMUA_PER_HOUR]})"),
        (translate("AlarmReport", "Average alarms per 10 minutes per position"), round(figures.per_10_min, 2),
         f"{EEMUA_PER_10_MIN:g} ({status[figures.per_10_min > EEMUA_PER_10_MIN]})"),
        (translate("AlarmReport", "10-minute periods in flood (more than 10 alarms)"),
         f"{figures.flood_share:.1%}", "< 1%"),
        (translate("AlarmReport", "Peak alarms in 10 minutes"),
         f"{figures.peak} ({report.time(figures.peak_start_ms)})" if figures.peak_start_ms else figures.peak, "≤ 10"),
        (translate("AlarmReport", "Chattering alarms (3 or more in a minute)"), len(figures.chattering), "0"),
        (translate("AlarmReport", "Fleeting annunciations (back to normal within a minute)"), figures.fleeting, ""),
        (translate("AlarmReport", "Stale alarms (standing over 24 h)"), len(figures.stale), "0"),
    ])
    hourly = figures.counts.groupby(figures.counts.index // HOUR_MS * HOUR_MS).sum()
    report.image("hourly", bars_image(translate("AlarmReport", "Alarms per hour"), hourly.index.to_numpy(np.int64),
                                      hourly.to_numpy() / figures.positions, HOUR_MS, EEMUA_PER_HOUR))
    report.heading(translate("AlarmReport", "Priority distribution"))
    report.table([translate("AlarmReport", "Priority"), translate("AlarmReport", "Alarms"),
                  translate("AlarmReport", "Share"), translate("AlarmReport", "Target (ISA-18.2)")],
                 [(priority_text(p.priority), p.alarms, f"{p.share:.1%}",
                   "—" if pd.isna(p.target) else f"~{p.target:.0%}") for p in figures.priorities.itertuples()])
    report.paragraph(translate("AlarmReport", "Critical and high together are set against the 5 % target."), "note")
    report.section(translate("AlarmReport", "Top 10 most frequent alarms (bad actors)"))
    report.table([translate("AlarmReport", "Alarm"), translate("AlarmReport", "Priority"),
                  translate("AlarmReport", "Alarms"), translate("AlarmReport", "Share of all alarms")],
                 [(b.alarm_id, priority_text(b.priority), b.alarms, f"{b.share:.1%}")
                  for b in figures.bad_actors.itertuples()])
    report.heading(translate("AlarmReport", "Chattering alarms"))
    report.paragraph(translate("AlarmReport", "Raised {count} times or more within one minute.").format(
        count=CHATTER_COUNT), "note")
    report.table([translate("AlarmReport", "Alarm"), translate("AlarmReport", "Alarms")],
                 [(c.alarm_id, c.alarms) for c in figures.chattering.head(20).itertuples()])
    report.heading(translate("AlarmReport", "Stale alarms"))
    report.table([translate("AlarmReport", "Alarm"), translate("AlarmReport", "Priority"),
                  translate("AlarmReport", "Raised"), translate("AlarmReport", "Standing (hours)")],
                 [(s.alarm_id, priority_text(s.priority), report.time(s.raised_ms), round(s.hours, 1))
                  for s in figures.stale.head(30).itertuples()])
    report.section(translate("AlarmReport", "Operator response"))
    report.heading(translate("AlarmReport", "Time to acknowledge by priority"))
    report.table([translate("AlarmReport", "Priority"), translate("AlarmReport", "Acknowledged"),
                  translate("AlarmReport", "Median"), translate("AlarmReport", "90th percentile"),
                  translate("AlarmReport", "Not acknowledged")],
                 [(priority_text(a.priority), a.acknowledged, _seconds(a.median_s), _seconds(a.p90_s),
                   a.not_acknowledged) for a in figures.acknowledge.itertuples()])
    shelving = figures.shelving
    report.heading(translate("AlarmReport", "Shelving"))
    report.table([translate("AlarmReport", "Shelvings"), translate("AlarmReport", "Total (hours)"),
                  translate("AlarmReport", "Median (minutes)"), translate("AlarmReport", "Longest (hours)")],
                 [(len(shelving), round(float(shelving["minutes"].sum()) / 60, 1),
                   round(float(shelving["minutes"].median()), 1) if len(shelving) else "—",
                   round(float(shelving["minutes"].max()) / 60, 1) if len(shelving) else "—")])
    report.paragraph(translate(
        "AlarmReport",
        "An alarm is counted when it reaches the operators (raised, unacknowledged). A 10-minute period is in"
        " flood when more than {flood} alarms per position fall in it. Fleeting: back to normal within a minute."
        " Stale: standing more than 24 hours.").format(flood=FLOOD_PER_PERIOD), "note")
    report.write(path)


def figures_csv(figures: AlarmFigures, folder: Path) -> list[Path]:
    """The report's tables as CSV files in ``folder``."""
    tables = {
        "alarms_per_10_min": figures.counts.rename_axis("start_ms").reset_index(),
        "bad_actors": figures.bad_actors, "chattering": figures.chattering, "stale": figures.stale,
        "priorities": figures.priorities, "shelving": figures.shelving, "acknowledge": figures.acknowledge,
        "floods": figures.floods,
        "summary": pd.DataFrame([("alarms", figures.total), ("per_hour_per_position", figures.per_hour),
                                 ("per_10_min_per_position", figures.per_10_min),
                                 ("flood_share", figures.flood_share), ("peak_10_min", figures.peak),
                                 ("fleeting", figures.fleeting)], columns=["figure", "value"]),
    }
    return write_tables(tables, folder)
