"""What an alarm measured, in the operator's language: the engine's facts (``alerts.evaluate.explain``) as a
sentence, with metric names, limit levels, numbers and time conditions as the interface language writes them.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, QLocale

from feeds.catalogue import unit_of
from hypervisor.console.labels import kind_plural, metric_label

translate = QCoreApplication.translate


def detail_text(facts: dict[str, Any]) -> str | None:
    """The sentence for ``facts``, or None for facts this console does not know (a newer engine's)."""
    try:
        text = _sentence(facts)
    except (KeyError, TypeError, ValueError):
        return None
    if text is None:
        return None
    when = facts.get("when")
    if when:
        conditions = ", ".join(_condition(str(name)) for name in when)
        text = translate("AlarmDetail", "{text} ({conditions})").format(text=text, conditions=conditions)
    return text


def _sentence(facts: dict[str, Any]) -> str | None:
    kind = facts["kind"]
    if kind == "offline":
        return translate("AlarmDetail", "device reports offline")
    if kind == "silent":
        return translate("AlarmDetail", "no data for {minutes} min (limit {limit} min)").format(
            minutes=int(facts["minutes"]), limit=int(facts["limit_minutes"]))
    if kind == "group":
        return _group(facts)
    if kind == "composite":
        alarms = ", ".join(str(a) for a in facts["alarms"])
        if facts["all"]:
            return translate("AlarmDetail", "all of: {alarms}").format(alarms=alarms)
        return translate("AlarmDetail", "any of: {alarms}").format(alarms=alarms)
    metric = str(facts["metric"])
    value = _value(metric, facts.get("value"))
    if kind == "rate":
        return translate("AlarmDetail", "{metric} {value}, changing faster than allowed over {window} s").format(
            metric=metric_label(metric), value=value, window=_number(float(facts["window_s"])))
    if kind == "equals":
        return translate("AlarmDetail", "{metric}: {value}").format(metric=metric_label(metric), value=value)
    if kind == "limit":
        return _limit(metric, value, facts)
    return None


def _group(facts: dict[str, Any]) -> str:
    metric = str(facts["metric"])
    reference = _value(metric, facts["reference"])
    members = kind_plural(str(facts["members"])) if facts.get("members") else translate("AlarmDetail", "members")
    test = {
        "below": translate("AlarmDetail", "{metric} below {reference}"),
        "above": translate("AlarmDetail", "{metric} above {reference}"),
        "equals": translate("AlarmDetail", "{metric}: {reference}"),
    }[facts["test"]].format(metric=metric_label(metric), reference=reference)
    return translate("AlarmDetail", "{count} of {total} {members} ({pct} %), {test}").format(
        count=int(facts["count"]), total=int(facts["total"]), members=members, pct=int(facts["pct"]), test=test)


def _limit(metric: str, value: str, facts: dict[str, Any]) -> str:
    if "level" not in facts:
        return translate("AlarmDetail", "{metric} {value}").format(metric=metric_label(metric), value=value)
    level = {
        "hihi": translate("AlarmDetail", "very high"),
        "hi": translate("AlarmDetail", "high"),
        "lo": translate("AlarmDetail", "low"),
        "lolo": translate("AlarmDetail", "very low"),
    }.get(str(facts["level"]), str(facts["level"]))
    limit = _value(metric, facts["limit"])
    if facts["high"]:
        sentence = translate("AlarmDetail", "{metric} {value}, above its {level} limit of {limit}")
    else:
        sentence = translate("AlarmDetail", "{metric} {value}, below its {level} limit of {limit}")
    return sentence.format(metric=metric_label(metric), value=value, level=level, limit=limit)


def _condition(name: str) -> str:
    return {
        "day": translate("AlarmDetail", "daytime"),
        "night": translate("AlarmDetail", "night"),
        "occupied": translate("AlarmDetail", "occupied"),
        "unoccupied": translate("AlarmDetail", "unoccupied"),
        "heating_season": translate("AlarmDetail", "heating season"),
    }.get(name, name)


def _value(metric: str, value: Any) -> str:
    """A measured value as operators read it: yes/no, a localized number with its unit, or the text."""
    if isinstance(value, bool):
        return translate("AlarmDetail", "yes") if value else translate("AlarmDetail", "no")
    if isinstance(value, int | float):
        unit = unit_of(metric)
        number = _number(float(value))
        return f"{number} {unit}" if unit else number
    return "—" if value is None else str(value)


def _number(value: float) -> str:
    locale = QLocale()
    if abs(value) >= 1000 or value == int(value):
        return locale.toString(round(value))
    return locale.toString(value, "g", 3)
