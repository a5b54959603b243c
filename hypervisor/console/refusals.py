"""Why the engine refused an operator's command, in the operator's language.

The engine answers on ``hv/v1/cmd-reply/<user>`` with an English ``reason`` and a ``code``
(``alerts.commands.REFUSAL_CODES``, or ``bad_command`` for a command it could not read); a code this
console does not know (a newer engine's) is shown with the engine's own sentence.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication

from alerts.commands import MAX_SHELVE_S

translate = QCoreApplication.translate


def refusal_text(reply: dict[str, Any]) -> str:
    """The status-bar message for a refused command."""
    sentences = {
        "unknown_alarm": translate("Refusals", "This alarm is no longer known: its rule was removed or changed."),
        "unknown_verb": translate("Refusals", "The engine does not know this command."),
        "no_user": translate("Refusals", "The command names no user; every action must be attributable."),
        "reason_needed": translate("Refusals", "A reason is needed; write it in the comment."),
        "bad_duration": translate("Refusals", "The shelving duration is not accepted (at most {hours} h).").format(
            hours=MAX_SHELVE_S // 3600),
        "empty_comment": translate("Refusals", "The comment is empty."),
        "out_of_service": translate("Refusals", "The alarm is out of service; return it to service first."),
        "normal": translate("Refusals", "The alarm is back to normal; there is nothing left to do."),
        "still_active": translate("Refusals", "The condition is still active; reset the alarm once it clears."),
        "bad_command": translate("Refusals", "The engine could not read the command."),
    }
    sentence = sentences.get(str(reply.get("code", "")))
    if sentence is None:
        return translate("Refusals", "Refused: {reason}").format(reason=reply.get("reason", ""))
    return translate("Refusals", "Refused: {reason}").format(reason=sentence)
