"""State words of foreign models, mapped explicitly and case-insensitively to our metrics' values.

A word missing from its table is refused with the word in the reason: an unknown word is not a
fault, and not "ok" either. A known word may set several metrics, or none we supervise.
"""

from __future__ import annotations

from feeds.model import MetricValue

StateTable = dict[str, dict[str, MetricValue]]
"""Lower-case word -> the metric values it means."""

POWER_STATE: StateTable = {
    "on": {"on": True},
    "low": {"on": True},
    "bootingup": {"on": True},
    "off": {"on": False},
}
"""Smart Data Models Streetlight ``powerState``."""

LAMP_STATUS: StateTable = {
    "ok": {"fault": False},
    "working": {"fault": False},
    "defectivelamp": {"fault": True},
    "columnissue": {"fault": True},
    "brokenlantern": {"fault": True},
    "unknown": {},
}
"""Smart Data Models Streetlight ``status`` (``ok`` or a defect), and ``working`` as some platforms send."""

CONTAINER_STATUS: StateTable = {
    "ok": {"fire": False, "lid_open": False},
    "lidopen": {"lid_open": True},
    "burning": {"fire": True},
    "dropped": {},
    "moved": {},
    "flipped": {},
    "bad": {},
}
"""Smart Data Models WasteContainer ``status``: a fire and an open lid are supervised, a move is not."""


def words(table: StateTable) -> str:
    """The known words of a table, for a rejection detail."""
    return ", ".join(sorted(table))
