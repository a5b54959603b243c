"""Keyboard navigation and the map's short user-visible texts."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt

from widgets.citymap.theme import Priority
from widgets.citymap.viewport import Viewport

PAN_STEP = 0.15
"""Fraction of the view an arrow key pans by."""
KEY_ZOOM = 1.5
WHEEL_ZOOM = 1.25
"""Zoom factor per wheel notch (120 eighths of a degree)."""


def tr(text: str) -> str:
    """Translate a user-visible string of the map."""
    return QCoreApplication.translate("CityMap", text)


def view_for_key(key: Qt.Key, view: Viewport) -> Viewport | None:
    """The view after an arrow (pan) or +/- (zoom around the centre) key; None for other keys."""
    steps = {
        Qt.Key.Key_Left: (PAN_STEP * view.width, 0.0),
        Qt.Key.Key_Right: (-PAN_STEP * view.width, 0.0),
        Qt.Key.Key_Up: (0.0, PAN_STEP * view.height),
        Qt.Key.Key_Down: (0.0, -PAN_STEP * view.height),
    }
    if key in steps:
        return view.panned(*steps[key])
    if key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal, Qt.Key.Key_Minus):
        factor = 1.0 / KEY_ZOOM if key == Qt.Key.Key_Minus else KEY_ZOOM
        return view.zoomed(factor, view.width / 2.0, view.height / 2.0)
    return None


def priority_name(priority: int) -> str:
    """The operator's word for a priority."""
    names = {
        Priority.LOW: tr("low"),
        Priority.MEDIUM: tr("medium"),
        Priority.HIGH: tr("high"),
        Priority.CRITICAL: tr("critical"),
    }
    return names.get(Priority(priority), tr("none"))


def cluster_summary(count: int, worst: int) -> str:
    """Tooltip of a cluster badge: how many assets, and the worst alarm among them."""
    text = tr("{0} assets").format(count)
    if worst > 0:
        text += "\n" + tr("worst alarm: {0}").format(priority_name(worst))
    return text
