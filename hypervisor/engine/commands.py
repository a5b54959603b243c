"""Operator commands from ``<root>/cmd/<user>/<verb>``: the user is the topic's, never the payload's."""

from __future__ import annotations

import orjson

from alerts import Command

VERBS = ("ack", "shelve", "unshelve", "comment", "reset", "out-of-service", "in-service")


class BadCommand(ValueError):
    """A command message that cannot even be read; answered with this reason."""

    def __init__(self, reason: str, user: str = "", request_id: str = "") -> None:
        super().__init__(reason)
        self.user = user
        self.request_id = request_id


def parse_command(root: str, topic: str, payload: bytes) -> Command:
    """Read one command; the broker's ACL (``pattern write hv/v1/cmd/%u/#``) vouches for the user level."""
    levels = topic[len(root) + 1 :].split("/")
    if len(levels) != 3 or levels[0] != "cmd" or not levels[1]:
        raise BadCommand(f"command topic must be {root}/cmd/<user>/<verb>")
    user, verb = levels[1], levels[2]
    try:
        body = orjson.loads(payload)
    except orjson.JSONDecodeError as exc:
        raise BadCommand(f"command payload is not JSON: {exc}", user) from exc
    if not isinstance(body, dict):
        raise BadCommand("command payload must be a JSON object", user)
    request_id = str(body.get("request_id") or "")
    if verb not in VERBS:
        raise BadCommand(f"unknown verb {verb!r}; expected one of {', '.join(VERBS)}", user, request_id)
    alarm_id = body.get("alarm_id")
    if not isinstance(alarm_id, str) or not alarm_id:
        raise BadCommand("field 'alarm_id' is required", user, request_id)
    comment = body.get("comment") or ""
    if not isinstance(comment, str) or len(comment) > 2000:
        raise BadCommand("field 'comment' must be text of at most 2000 characters", user, request_id)
    duration = body.get("duration_s")
    if duration is not None and (isinstance(duration, bool) or not isinstance(duration, int | float)):
        raise BadCommand("field 'duration_s' must be a number of seconds", user, request_id)
    console = str(body.get("console") or "")[:64]
    return Command(verb=verb, alarm_id=alarm_id, user=user, console=console, comment=comment,
                   request_id=request_id, duration_s=duration)


def command_payload(alarm_id: str, request_id: str, console: str, comment: str = "",
                    duration_s: float | None = None) -> bytes:
    """What a console publishes on ``<root>/cmd/<user>/<verb>``."""
    body: dict[str, object] = {"alarm_id": alarm_id, "request_id": request_id, "console": console, "comment": comment}
    if duration_s is not None:
        body["duration_s"] = duration_s
    return orjson.dumps(body)
