"""Control-room colours for the city map: a muted scene where colour means an alarm."""

from __future__ import annotations

from enum import IntEnum

from PySide6.QtGui import QColor

from widgets import theme as console_theme


class Priority(IntEnum):
    """Alarm priority as the map receives it; 0 means the asset is normal."""

    NONE = 0
    LOW = 1
    MEDIUM = 2
    HIGH = 3
    CRITICAL = 4


class MapDomain(IntEnum):
    """Domain codes of the `domain` array given to `CityMapWidget.set_assets`."""

    LIGHTING = 0
    HEATING = 1
    WASTE = 2
    WATER = 3


# The console's one priority palette (widgets.theme), keyed by the map's priority codes: the map, the
# alarm list, the gauges and the tiles show a priority in the same colour. Size and outline also grow
# with priority on the map, so colour is never the only cue.
PRIORITY_COLOURS: dict[Priority, str] = {
    Priority.LOW: console_theme.PRIORITY_COLOURS["low"],
    Priority.MEDIUM: console_theme.PRIORITY_COLOURS["medium"],
    Priority.HIGH: console_theme.PRIORITY_COLOURS["high"],
    Priority.CRITICAL: console_theme.PRIORITY_COLOURS["critical"],
}

BACKGROUND = "#101720"
COMMUNE_FILL = "#18222e"
COMMUNE_BORDER = "#36475b"
COMMUNE_LABEL = "#728196"
ROAD = "#3e4958"
STREET = "#2c3846"
STREET_LABEL = "#8390a2"
RIVER = "#33587c"
LAKE_FILL = "#244463"
TRAM = "#6b5a88"
OTHER_LINE = "#303844"
DECORATION = "#9aa6b5"
SELECTION = "#e8f1ff"

# Normal markers: grey with a faint tint per domain (lighting, heating, waste, water).
NORMAL_MARKERS: tuple[str, ...] = ("#8d8b7b", "#917f88", "#7f8c80", "#7b8796")
STALE_MARKER = "#4a515b"

CLUSTER_FILL = "#2c3645"
CLUSTER_BORDER = "#6b778a"
CLUSTER_TEXT = "#d5dce5"
DARK_TEXT = "#101720"


def priority_colour(priority: int) -> QColor:
    """The colour of an alarm of this priority (grey for a normal asset)."""
    if priority <= 0:
        return QColor(NORMAL_MARKERS[0])
    return QColor(PRIORITY_COLOURS[Priority(min(priority, Priority.CRITICAL))])


def argb(colour: str) -> int:
    """An opaque colour as the 32-bit value a premultiplied ARGB image stores."""
    return 0xFF000000 | int(colour.lstrip("#"), 16)
