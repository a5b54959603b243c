"""The alarm system performance report of a period (ISA-18.2 §16, EEMUA 191), for a director's review."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from PySide6.QtCore import QCoreApplication

from hypervisor.reports.alarm_figures import EEMUA_PER_HOUR, HOUR_MS, AlarmFigures
from hypervisor.reports.alarm_tables import FigureTable, definitions, figure_tables
from hypervisor.reports.charts import bars_image
from hypervisor.reports.pdf import Report
from hypervisor.reports.tables import write_tables

translate = QCoreApplication.translate


def render_alarm_report(figures: AlarmFigures, path: Path, zone: str) -> None:
    report = Report(translate("AlarmReport", "Alarm system performance"), zone)
    report.section(translate("AlarmReport", "Alarm system performance"))
    report.paragraph(translate("AlarmReport", "Period: {start} – {end} ({zone}); operator positions: {positions}")
                     .format(start=report.time(figures.since_ms, False), end=report.time(figures.until_ms, False),
                             zone=str(report.zone), positions=figures.positions))
    tables = figure_tables(figures, report.time)
    _table(report, tables["summary"], heading=False)
    hourly = figures.counts.groupby(figures.counts.index // HOUR_MS * HOUR_MS).sum()
    report.image("hourly", bars_image(translate("AlarmReport", "Alarms per hour"), hourly.index.to_numpy(np.int64),
                                      hourly.to_numpy() / figures.positions, HOUR_MS, EEMUA_PER_HOUR))
    _table(report, tables["priorities"])
    report.section(translate("AlarmReport", "Top 10 most frequent alarms (bad actors)"))
    _table(report, tables["bad_actors"], heading=False)
    _table(report, tables["chattering"])
    _table(report, tables["stale"])
    report.section(translate("AlarmReport", "Operator response"))
    _table(report, tables["acknowledge"])
    _table(report, tables["shelving"])
    report.paragraph(definitions(), "note")
    report.write(path)


def _table(report: Report, table: FigureTable, heading: bool = True) -> None:
    if heading:
        report.heading(table.title)
    report.table(table.headers, table.rows)
    if table.note:
        report.paragraph(table.note, "note")


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
