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
        Priority.LOW: QCoreApplication.translate("CityMap", "low"),
        Priority.MEDIUM: QCoreApplication.translate("CityMap", "medium"),
        Priority.HIGH: QCoreApplication.translate("CityMap", "high"),
        Priority.CRITICAL: QCoreApplication.translate("CityMap", "critical"),
    }
    return names.get(Priority(priority), QCoreApplication.translate("CityMap", "none"))


def cluster_summary(count: int, worst: int) -> str:
    """Tooltip of a cluster badge: how many assets, and the worst alarm among them."""
    text = QCoreApplication.translate("CityMap", "{0} assets").format(count)
    if worst > 0:
        text += "\n" + QCoreApplication.translate("CityMap", "worst alarm: {0}").format(priority_name(worst))
    return text
