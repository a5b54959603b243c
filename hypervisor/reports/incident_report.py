"""The incident report a director signs: cover and map, EEMUA figures, alarms, timeline, trends, proof."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import orjson
from PySide6.QtCore import QCoreApplication

from feeds.catalogue import unit_of
from hypervisor.console.labels import metric_label, verb_label
from hypervisor.historian.reader import HistorianReader
from hypervisor.historian.timeline import Timeline
from hypervisor.incident.documents import asset_positions
from hypervisor.reports.alarm_figures import FLOOD_PER_PERIOD, PERIOD_MS
from hypervisor.reports.charts import TrendSeries, bars_image, map_image, trend_image
from hypervisor.reports.incident_data import IncidentData
from hypervisor.reports.pdf import Report
from widgets.alarms.model import priority_text, state_name

translate = QCoreApplication.translate


def _duration(seconds: float | None) -> str:
    if seconds is None or np.isnan(seconds):
        return "—"
    minutes, secs = divmod(round(float(seconds)), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min" if hours else f"{minutes} min {secs:02d} s"


def render_incident(data: IncidentData, path: Path, zone: str) -> None:
    report = Report(translate("IncidentReport", "Incident report"), zone)
    _cover(report, data)
    _figures(report, data)
    _alarms(report, data)
    _timeline(report, data)
    _trends(report, data)
    _verification(report, data)
    report.write(path)


def _cover(report: Report, data: IncidentData) -> None:
    meta = data.meta
    report.section(translate("IncidentReport", "Incident report"))
    rows = [(translate("IncidentReport", "Period"), f"{report.time(data.since_ms)} – {report.time(data.until_ms)}"),
            (translate("IncidentReport", "Time zone"), str(report.zone))]
    if meta:
        scope = ", ".join([*meta.get("districts", []), *meta.get("domains", [])]) or \
            translate("IncidentReport", "the whole city")
        rows += [(translate("IncidentReport", "Scope"), scope),
                 (translate("IncidentReport", "Deployment"), meta.get("deployment")),
                 (translate("IncidentReport", "Exported by"), f"{meta.get('exported_by')}, "
                                                              f"{report.time(meta.get('exported_ms'))}"),
                 (translate("IncidentReport", "Software version"), meta.get("software_version"))]
    rows.append((translate("IncidentReport", "Verification"), _verdict_line(data)))
    report.table([translate("IncidentReport", "Item"), translate("IncidentReport", "Value")], rows)
    if data.inventory is not None and data.peak_ms is not None:
        assets = asset_positions(data.inventory)
        with Timeline(data.path) as timeline:
            alarms = {r.asset_id: (str(r.priority), r.unacked) for r in timeline.state_at(data.peak_ms).alarms}
        basemap = orjson.loads(data.basemap) if data.basemap is not None else None
        report.heading(translate("IncidentReport", "Alarms standing at the peak, {time}: {count}").format(
            time=report.time(data.peak_ms), count=data.peak_alarms))
        report.image("map", map_image(assets, basemap, alarms), width=640)


def _verdict_line(data: IncidentData) -> str:
    verdict = data.verdict
    if verdict.findings:
        return translate("IncidentReport", "TAMPERED: {finding}").format(finding=verdict.findings[0].message)
    if verdict.exit_code:
        return translate("IncidentReport", "not proven: records not covered by a signature")
    return translate("IncidentReport", "intact: {records} records chained and signed").format(records=verdict.links)


def _figures(report: Report, data: IncidentData) -> None:
    figures = data.figures
    report.section(translate("IncidentReport", "Alarm load (EEMUA 191)"))
    report.table([translate("IncidentReport", "Figure"), translate("IncidentReport", "Value")], [
        (translate("IncidentReport", "Alarms raised"), figures.total),
        (translate("IncidentReport", "Average alarms per 10 minutes (EEMUA: 1)"), round(figures.per_10_min, 2)),
        (translate("IncidentReport", "Peak alarms in 10 minutes"),
         f"{figures.peak} ({report.time(figures.peak_start_ms)})" if figures.peak_start_ms else figures.peak),
        (translate("IncidentReport", "10-minute periods in flood (more than 10 alarms)"),
         f"{figures.flood_share:.0%}"),
        (translate("IncidentReport", "Most alarms standing at once"), data.peak_alarms),
    ])
    counts = figures.counts
    report.image("load", bars_image(translate("IncidentReport", "Alarms per 10 minutes"),
                                    counts.index.to_numpy(np.int64), counts.to_numpy(), PERIOD_MS, FLOOD_PER_PERIOD))
    report.heading(translate("IncidentReport", "Floods"))
    if figures.floods.empty:
        report.paragraph(translate("IncidentReport", "No flood in this period."))
    else:
        report.table([translate("IncidentReport", "Start"), translate("IncidentReport", "End"),
                      translate("IncidentReport", "Length"), translate("IncidentReport", "Alarms"),
                      translate("IncidentReport", "Peak in 10 minutes")],
                     [(report.time(f.start_ms), report.time(f.end_ms), _duration(f.minutes * 60), f.alarms, f.peak)
                      for f in figures.floods.itertuples()])


def _alarms(report: Report, data: IncidentData) -> None:
    report.section(translate("IncidentReport", "Alarms: time to acknowledge and to return to normal"))
    report.table([translate("IncidentReport", "Alarm"), translate("IncidentReport", "Priority"),
                  translate("IncidentReport", "Raised"), translate("IncidentReport", "Acknowledged by"),
                  translate("IncidentReport", "Time to acknowledge"),
                  translate("IncidentReport", "Time to return to normal")],
                 [(e.alarm_id, priority_text(e.priority), report.time(e.raised_ms), e.acked_by,
                   _duration(e.tta_s), _duration(e.ttr_s)) for e in data.figures.episodes.itertuples()])


def _timeline(report: Report, data: IncidentData) -> None:
    report.section(translate("IncidentReport", "Timeline of alarms and actions"))
    rows = []
    for row in data.timeline.itertuples():
        if row.source == "alarm":
            before, _, after = row.what.partition(" -> ")
            what = f"{state_name(before)} → {state_name(after)}"
        else:
            verb, _, refusal = row.what.partition(" (")
            what = verb_label(verb) + (f" ({refusal}" if refusal else "")
        rows.append((report.time(row.ts_ms), row.user, what, row.alarm_id, row.comment))
    report.table([translate("IncidentReport", "Time"), translate("IncidentReport", "Who"),
                  translate("IncidentReport", "What"), translate("IncidentReport", "Alarm"),
                  translate("IncidentReport", "Comment")], rows)


def _trends(report: Report, data: IncidentData) -> None:
    report.section(translate("IncidentReport", "Trends of the key assets"))
    if not data.key_assets:
        report.paragraph(translate("IncidentReport", "No alarm on a measured limit in this period."))
        return
    reader = HistorianReader(data.path)
    try:
        for index, key in enumerate(data.key_assets):
            ts, values = reader.metric_series(key.asset_id, key.metric, data.since_ms, data.until_ms)
            title = translate("IncidentReport", "{asset}: {metric}, {alarms} alarms").format(
                asset=key.asset_id, metric=metric_label(key.metric), alarms=key.alarms)
            image = trend_image(title, unit_of(key.metric), [TrendSeries(key.asset_id, ts, values)],
                                (key.lo, key.hi), data.since_ms, data.until_ms, size=(1000, 320))
            report.image(f"trend{index}", image)
    finally:
        reader.close()
    report.paragraph(translate("IncidentReport", "Dashed lines: the alarm limits crossed in the period."), "note")


def _verification(report: Report, data: IncidentData) -> None:
    report.section(translate("IncidentReport", "Verification"))
    css = "bad" if data.verdict.findings else "ok" if not data.verdict.exit_code else "bad"
    report.paragraph(_verdict_line(data), css)
    report.paragraph(data.verdict.summary(), "note")
    report.paragraph(translate(
        "IncidentReport",
        "Alarm events and operator actions form a hash chain whose head the engine signs every minute with the"
        " deployment's Ed25519 key. A pass proves that every chained record is as the engine stored it, and"
        " that none was removed, added or moved since. It does not prove that the key is the deployment's"
        " (compare its fingerprint with the one the deployment publishes), nor anything against the holder"
        " of the private key, who can rebuild and sign a chain."))
    if data.quarantine:
        report.heading(translate("IncidentReport", "Messages refused in the period"))
        report.table([translate("IncidentReport", "Reason"), translate("IncidentReport", "Messages")],
                     sorted(data.quarantine.items()))
