"""Dark control-room theme: the single source of the console's colours and its style sheet.

Colours are chosen for long shifts in a dim room: a low-glare blue-grey background, bright text only
where the operator must read, and saturated colour reserved for alarm priorities and the mode band so
that colour always means something. Sizes in the style sheet are in points, so Qt's high-DPI scaling
keeps them readable on wall screens.
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

BACKGROUND = "#12161c"
SURFACE = "#1a2028"
SURFACE_RAISED = "#232b35"
BORDER = "#34404d"
TEXT = "#e8edf2"
TEXT_MUTED = "#93a1ae"
TEXT_STALE = "#56616c"
ACCENT = "#4ea3ff"
NORMAL_BAND = "#5d6873"
"""ISA-101: the normal operating range is grey, so colour on a gauge only ever means an abnormal value."""
ON_COLOUR = "#0b0f14"
"""Dark text drawn on top of a bright priority or mode colour."""

PRIORITY_COLOURS: dict[str, str] = {
    "critical": "#ff4d4f",
    "high": "#ff8c1a",
    "medium": "#f2d024",
    "low": "#35c4e3",
}
"""Alarm priority colours (ISA-18.2 priorities), shared by the alarm list, gauges, KPI tiles and map."""

LIMIT_COLOURS: dict[str, str] = {
    "lolo": PRIORITY_COLOURS["critical"],
    "lo": PRIORITY_COLOURS["high"],
    "hi": PRIORITY_COLOURS["high"],
    "hihi": PRIORITY_COLOURS["critical"],
}
"""Threshold ticks: the outer limits (lolo/hihi) are drawn as severe as the inner ones are not."""

STATE_COLOURS: dict[str, str] = {
    "normal": BORDER,
    "warning": PRIORITY_COLOURS["high"],
    "alarm": PRIORITY_COLOURS["critical"],
    **PRIORITY_COLOURS,
}
"""KPI tile states: a priority name when a rule judges the figure, else normal, warning or alarm."""

MODE_COLOURS: dict[str, tuple[str, str]] = {
    "live": ("#17a58c", ON_COLOUR),
    "replay": ("#e3a21a", ON_COLOUR),
    "training": ("#8a55d8", "#ffffff"),
}
"""Mode band (background, text): the mode must be recognisable from across the room."""

SERIES_COLOURS: tuple[str, ...] = ("#4ea3ff", "#e8edf2", "#b48cff", "#7ddc8a", "#ff9ecb", "#c9b27c")
"""Trend series colours, distinct from the priority colours so a curve is never mistaken for an alarm."""


def priority_colour(priority: str | None) -> QColor:
    """Colour of an alarm priority; muted text colour for an unknown or missing priority."""
    return QColor(PRIORITY_COLOURS.get(priority or "", TEXT_MUTED))


def dark_palette() -> QPalette:
    """A QPalette matching the style sheet, for widgets and styles that paint from the palette."""
    palette = QPalette()
    roles = {
        QPalette.ColorRole.Window: BACKGROUND,
        QPalette.ColorRole.WindowText: TEXT,
        QPalette.ColorRole.Base: SURFACE,
        QPalette.ColorRole.AlternateBase: SURFACE_RAISED,
        QPalette.ColorRole.Text: TEXT,
        QPalette.ColorRole.Button: SURFACE_RAISED,
        QPalette.ColorRole.ButtonText: TEXT,
        QPalette.ColorRole.Highlight: "#2b5d8f",
        QPalette.ColorRole.HighlightedText: "#ffffff",
        QPalette.ColorRole.ToolTipBase: SURFACE_RAISED,
        QPalette.ColorRole.ToolTipText: TEXT,
        QPalette.ColorRole.PlaceholderText: TEXT_STALE,
        QPalette.ColorRole.Mid: BORDER,
    }
    for role, colour in roles.items():
        palette.setColor(role, QColor(colour))
    palette.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.ButtonText, QColor(TEXT_STALE))
    palette.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text, QColor(TEXT_STALE))
    return palette


FONT_POINT_SIZE = 11
"""The console's base text size; key figures and banners are larger."""

KPI_STYLESHEET = f"""
KpiTile {{ background-color: {SURFACE}; border: 2px solid {STATE_COLOURS["normal"]}; border-radius: 4px; }}
KpiTile[state="warning"] {{ border-color: {STATE_COLOURS["warning"]}; }}
KpiTile[state="alarm"] {{ border-color: {STATE_COLOURS["alarm"]}; }}
KpiTile[state="critical"] {{ border: 4px solid {PRIORITY_COLOURS["critical"]}; }}
KpiTile[state="high"] {{ border: 4px solid {PRIORITY_COLOURS["high"]}; }}
KpiTile[state="medium"] {{ border: 4px solid {PRIORITY_COLOURS["medium"]}; }}
KpiTile[state="low"] {{ border: 4px solid {PRIORITY_COLOURS["low"]}; }}
KpiTile QLabel {{ background-color: transparent; }}
KpiTile QLabel#kpiTitle {{ color: {TEXT_MUTED}; }}
KpiTile QLabel#kpiValue {{ font-size: 24pt; font-weight: bold; }}
KpiTile QLabel#kpiUnit {{ color: {TEXT_MUTED}; font-size: 14pt; }}
KpiTile QLabel#kpiSub {{ color: {TEXT_MUTED}; }}
"""
"""A key figure tile's look, its border coloured by its ``state`` property; set on each tile."""

BANNER_STYLESHEET = f"""
background-color: {PRIORITY_COLOURS["high"]}; color: {ON_COLOUR}; font-weight: bold; padding: 6px 10px;
"""
"""The flood banner above the alarm list."""

STATUS_STYLESHEET = f"""QLabel[state="alarm"] {{ color: {PRIORITY_COLOURS["critical"]}; font-weight: bold; }}"""
"""The status bar: a fact that is not right is red."""


def apply_theme(app: QApplication) -> None:
    """Give the application the dark control-room look: Fusion style, palette and font.

    No application-wide style sheet: Qt then draws every widget through its style-sheet engine, which made
    a full repaint of the console four times as costly. The few widgets that need more than the palette
    (key figure tiles, the flood banner, the status bar) carry their own sheet.
    """
    app.setStyle("Fusion")
    app.setPalette(dark_palette())
    font = app.font()
    font.setPointSize(FONT_POINT_SIZE)
    app.setFont(font)
