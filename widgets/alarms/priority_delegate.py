"""The priority cell keeps its priority colour when its row is selected: selection must not hide severity."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QPainter, QPen
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from widgets import theme


class PriorityDelegate(QStyledItemDelegate):
    """Paints a selected priority cell in its priority colour with a white frame, not in the selection blue."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        background = index.data(Qt.ItemDataRole.BackgroundRole)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)  # type: ignore[attr-defined]
        if not selected or not isinstance(background, QColor | QBrush):
            super().paint(painter, option, index)
            return
        rect = option.rect  # type: ignore[attr-defined]
        painter.save()
        painter.fillRect(rect, background)
        painter.setPen(QPen(QColor("#ffffff"), 2))
        painter.drawRect(rect.adjusted(1, 1, -1, -1))
        painter.setPen(QColor(theme.ON_COLOUR))
        painter.drawText(rect.adjusted(6, 0, -4, 0), int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft),
                         str(index.data(Qt.ItemDataRole.DisplayRole) or ""))
        painter.restore()
