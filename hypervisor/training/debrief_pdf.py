"""The debrief as a PDF, in the trainer's language: Qt lays out an HTML page and prints it."""

from __future__ import annotations

import html
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QMarginsF
from PySide6.QtGui import QPageLayout, QPageSize, QPdfWriter, QTextDocument

from feeds.scenario import format_offset
from hypervisor.training.debrief import Debrief
from hypervisor.training.scoring import TraineeScore
from widgets.clock import wall_time

WHEN = "%Y-%m-%d %H:%M:%S"
TABLE = "<table width='100%' cellspacing='0' cellpadding='3'>"
_STYLE = """
body { font-family: 'DejaVu Sans', sans-serif; font-size: 9.5pt; color: #1d232b; }
h1 { font-size: 17pt; margin-bottom: 2pt; } h2 { font-size: 12.5pt; margin-top: 14pt; color: #6b3fa0; }
table { border-collapse: collapse; width: 100%; } th { background: #ece6f5; text-align: left; }
td, th { padding: 3pt 5pt; border-bottom: 1px solid #d4d0dc; }
.band { background: #6b3fa0; color: white; padding: 4pt; font-weight: bold; }
.met { color: #1b7a3a; font-weight: bold; } .late { color: #b06a00; font-weight: bold; }
.missed, .over-reacted { color: #b3261e; font-weight: bold; } .not-raised { color: #6b7280; }
"""


def status_label(status: str) -> str:
    """A response's outcome, in the interface language."""
    labels = {"met": QCoreApplication.translate("Debrief", "met"),
              "late": QCoreApplication.translate("Debrief", "late"),
              "missed": QCoreApplication.translate("Debrief", "missed"),
              "over-reacted": QCoreApplication.translate("Debrief", "over-reacted"),
              "not-raised": QCoreApplication.translate("Debrief", "alarm not raised")}
    return labels.get(status, status)


def level_label(level: str) -> str:
    """A drill's level, in the interface language."""
    labels = {"beginner": QCoreApplication.translate("Debrief", "beginner"),
              "intermediate": QCoreApplication.translate("Debrief", "intermediate"),
              "advanced": QCoreApplication.translate("Debrief", "advanced")}
    return labels.get(level, level)


def _seconds(ms: int | None) -> str:
    return "—" if ms is None else f"{ms / 1000:.0f} s"


def _labels() -> dict[str, str]:
    """The page's headings, translated (lupdate reads only literal calls)."""
    return {
        "training": QCoreApplication.translate("Debrief", "TRAINING"),
        "training_debrief": QCoreApplication.translate("Debrief", "Training debrief"),
        "briefing": QCoreApplication.translate("Debrief", "Briefing"),
        "injections": QCoreApplication.translate("Debrief", "Injections"),
        "at": QCoreApplication.translate("Debrief", "At"),
        "event": QCoreApplication.translate("Debrief", "Event"),
        "trainees": QCoreApplication.translate("Debrief", "Trainees"),
        "no_trainee": QCoreApplication.translate("Debrief", "No trainee acted during the session."),
        "trainer_notes": QCoreApplication.translate("Debrief", "Trainer notes"),
        "expected_response": QCoreApplication.translate("Debrief", "Expected response"),
        "outcome": QCoreApplication.translate("Debrief", "Outcome"),
        "response_time": QCoreApplication.translate("Debrief", "Response time"),
        "actions": QCoreApplication.translate("Debrief", "Actions"),
        "by_hand": QCoreApplication.translate("Debrief", "by hand"),
        "refused": QCoreApplication.translate("Debrief", "refused"),
    }


def debrief_html(debrief: Debrief, lang: str) -> str:
    """The debrief page as HTML."""
    s = debrief.scenario
    e = html.escape
    labels = _labels()
    parts = [f"<style>{_STYLE}</style>",
             f"<p class='band'>{e(labels['training'])} · {e(s.title(lang))}</p>",
             f"<h1>{e(labels['training_debrief'])}</h1>",
             TABLE]
    facts = [(QCoreApplication.translate("Debrief", "Scenario"), f"{s.title(lang)} ({s.id})"),
             (QCoreApplication.translate("Debrief", "Session"), debrief.session),
             (QCoreApplication.translate("Debrief", "Trainer"), debrief.trainer or "—"),
             (QCoreApplication.translate("Debrief", "Simulated period"),
              f"{wall_time(debrief.started_ms, WHEN)} → {wall_time(debrief.ended_ms, WHEN)}"),
             (QCoreApplication.translate("Debrief", "Level"), level_label(s.level)),
             (QCoreApplication.translate("Debrief", "Historian file (open it in REPLAY)"), debrief.historian)]
    parts += [f"<tr><th>{e(k)}</th><td>{e(v)}</td></tr>" for k, v in facts]
    parts.append("</table>")
    parts.append(f"<h2>{e(labels['briefing'])}</h2><p>{e(s.briefing(lang))}</p>")
    parts.append(f"<h2>{e(labels['injections'])}</h2>{TABLE}")
    parts.append(f"<tr><th>{e(labels['at'])}</th>"
                 f"<th>{e(labels['event'])}</th></tr>")
    for line in debrief.fired:
        hand = f" ({labels['by_hand']})" if line.by_hand else ""
        label = line.label_fr if lang == "fr" else line.label_en
        parts.append(f"<tr><td>{format_offset(line.offset_ms)}</td><td>{e(label + hand)}</td></tr>")
    parts.append("</table>")
    if not debrief.scores:
        parts.append(f"<h2>{e(labels['trainees'])}</h2>"
                     f"<p>{e(labels['no_trainee'])}</p>")
    for score in debrief.scores:
        parts.append(_trainee(debrief, score, lang))
    if debrief.notes:
        parts.append(f"<h2>{e(labels['trainer_notes'])}</h2>{TABLE}")
        parts += [f"<tr><td>{format_offset(n.ts_ms - debrief.started_ms)}</td><td>{e(n.text)}</td></tr>"
                  for n in debrief.notes]
        parts.append("</table>")
    return "".join(parts)


def _trainee(debrief: Debrief, score: TraineeScore, lang: str) -> str:
    e = html.escape
    labels = _labels()
    title = QCoreApplication.translate("Debrief", "Trainee {user}: score {score:.0f} %").format(
        user=score.user, score=score.percent)
    rows = [f"<h2>{e(title)}</h2>{TABLE}<tr>"
            f"<th>{e(labels['expected_response'])}</th>"
            f"<th>{e(labels['outcome'])}</th>"
            f"<th>{e(labels['response_time'])}</th></tr>"]
    for outcome in score.outcomes:
        rows.append(f"<tr><td>{e(outcome.expectation.describe(lang))}</td>"
                    f"<td class='{outcome.status}'>{e(status_label(outcome.status))}</td>"
                    f"<td>{_seconds(outcome.response_ms)}</td></tr>")
    rows.append("</table>")
    actions = debrief.actions_of(score.user)
    if actions:
        rows.append(f"<p><b>{e(labels['actions'])}</b></p>{TABLE}")
        for a in actions:
            refused = "" if a.ok else f" — {labels['refused']}: {a.reason}"
            rows.append(f"<tr><td>{format_offset(a.ts_ms - debrief.started_ms)}</td><td>{e(a.verb)}</td>"
                        f"<td>{e(a.alarm_id)}</td><td>{e(a.comment + refused)}</td></tr>")
        rows.append("</table>")
    return "".join(rows)


def write_debrief_pdf(debrief: Debrief, path: Path, lang: str) -> Path:
    """Print the debrief to an A4 PDF; a QGuiApplication must exist (offscreen is enough)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    writer = QPdfWriter(str(path))
    writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait,
                                     QMarginsF(15, 15, 15, 15), QPageLayout.Unit.Millimeter))
    writer.setTitle(QCoreApplication.translate("Debrief", "Training debrief"))
    writer.setCreator("Hypervisor")
    document = QTextDocument()
    document.setHtml(debrief_html(debrief, lang))
    document.print_(writer)
    return path
