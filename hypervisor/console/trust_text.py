"""The trust verdict in the operator's words, for the band, the map's veil and the status bar."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QDateTime, QLocale

from hypervisor.console.trust import BLOCKING, Problem, Trust
from widgets.clock import display_qzone, wall_time, zone_abbreviation

translate = QCoreApplication.translate
"""Bare name, so ``pyside6-lupdate`` extracts every ``translate("Context", "text")`` call."""


def problem_text(problem: Problem, trust: Trust, user: str) -> str:
    """One problem, short enough for the band."""
    match problem:
        case Problem.NOT_AUTHORIZED:
            return translate("Trust", "NOT SIGNED IN: the broker refused {user}").format(user=user)
        case Problem.DISCONNECTED:
            return translate("Trust", "NO CONNECTION to the broker, retrying")
        case Problem.CONNECTING:
            return translate("Trust", "CONNECTING…")
        case Problem.ENGINE_OFFLINE:
            return translate("Trust", "ENGINE OFFLINE: no new alarms")
        case Problem.ENGINE_SILENT:
            return translate("Trust", "ENGINE SILENT: no new alarms")
        case Problem.ALL_REJECTED if trust.main_rejection == "future_timestamp":
            return translate("Trust", "EVERY MESSAGE REJECTED: stamped ahead of the engine's clock, see its log")
        case Problem.ALL_REJECTED:
            return translate("Trust", "EVERY MESSAGE REJECTED: see the quarantine")
        case Problem.NO_DATA:
            return no_data_title(trust)
        case Problem.ENGINE_LAGGING:
            seconds = round((trust.lag_ms or 0) / 1000)
            return translate("Trust", "ENGINE {n} s BEHIND: alarms are late").format(n=seconds)
        case Problem.RULES_BROKEN:
            return translate("Trust", "RULE FILE ERROR: {error}").format(error=trust.rule_errors[0])
        case _:
            return translate("Trust", "NO NEWS FROM THE ENGINE yet")


def no_data_title(trust: Trust) -> str:
    """"NO DATA since 05:17" (city time), or "NO DATA yet" before the first reading."""
    if trust.data_since_ms is None:
        return translate("Trust", "NO DATA yet")
    return translate("Trust", "NO DATA since {time}").format(time=wall_time(trust.data_since_ms, "%H:%M"))


def band_text(trust: Trust, user: str) -> str:
    """The most serious problems, joined, for the mode band."""
    return " · ".join(problem_text(p, trust, user) for p in trust.problems[:2])


def veil_texts(trust: Trust, user: str) -> tuple[str, str] | None:
    """The map's veil (title, reasons) while the figures are not current, else None."""
    blocking = [p for p in trust.problems if p in BLOCKING]
    if not blocking:
        return None
    title = no_data_title(trust) if Problem.NO_DATA in blocking else problem_text(blocking[0], trust, user)
    reasons = [problem_text(p, trust, user) for p in blocking if problem_text(p, trust, user) != title]
    return title, "\n".join(reasons)


def city_clock_text(now_ms: int) -> str:
    """The band's clock: day and time in the city's zone, named ("sam. 28 nov. 05:17:03 CET")."""
    zone = display_qzone()
    when = QLocale().toString(QDateTime.fromMSecsSinceEpoch(now_ms, zone), "ddd d MMM HH:mm:ss")
    return f"{when} {zone_abbreviation(now_ms)}"
