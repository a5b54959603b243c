"""How payload checks describe what they found, in the words of JSON rather than Python."""

from __future__ import annotations

_JSON_TYPES: dict[type, str] = {
    bool: "a boolean",
    int: "a number",
    float: "a number",
    str: "a string",
    dict: "an object",
    list: "an array",
    type(None): "null",
}


def json_type(value: object) -> str:
    """``"an object"``, ``"null"``...: the JSON type of a parsed value, for rejection details."""
    return _JSON_TYPES.get(type(value), type(value).__name__)


def shorten(text: str, limit: int = 80) -> str:
    """Keep rejection details readable when a field holds a huge string."""
    return text if len(text) <= limit else text[:limit] + "..."
