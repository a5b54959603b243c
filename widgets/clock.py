"""The one time zone every widget shows times in: the city's, whatever the machine's zone.

An operator reads the clock, the alarm times, the gauges' "no data since" and the night hours in the
same zone; the console sets it once, at start, from the city it supervises.
"""

from __future__ import annotations

from datetime import datetime, tzinfo
from zoneinfo import ZoneInfo

from PySide6.QtCore import QTimeZone

from feeds.clock import CITY_ZONE

_zone: list[tzinfo] = [ZoneInfo(CITY_ZONE)]


def set_display_zone(zone: str) -> None:
    """Show every time in ``zone`` (an IANA name such as ``Europe/Paris``)."""
    _zone[0] = ZoneInfo(zone)


def display_zone() -> tzinfo:
    """The zone times are shown in."""
    return _zone[0]


def display_qzone() -> QTimeZone:
    """The same zone for Qt's date and time widgets and formatting."""
    return QTimeZone(str(_zone[0]).encode())


def wall_time(ms: int | float, fmt: str = "%H:%M:%S") -> str:
    """Epoch milliseconds as the city's wall-clock time."""
    return datetime.fromtimestamp(ms / 1000, _zone[0]).strftime(fmt)


def zone_abbreviation(ms: int | float) -> str:
    """The zone's short name at that instant (``CET``, ``CEST``), shown beside the clock."""
    return datetime.fromtimestamp(ms / 1000, _zone[0]).tzname() or ""
