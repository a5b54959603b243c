"""KPI tile: one headline figure (e.g. lights out, boilers in fault) with its trend and state."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLocale, Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from widgets import theme
from widgets.fitted_label import FittedLabel

KPI_STATES: tuple[str, ...] = ("normal", "warning", "alarm", "critical", "high", "medium", "low")
"""A priority name when a rule judges the figure (the alarm list's colour), else a plain state."""


translate = QCoreApplication.translate
"""Bare name, so ``pyside6-lupdate`` extracts every ``translate("Context", "text")`` call."""


class KpiTile(QFrame):
    """Title, large value with unit, and a sub-line (trend arrow or free text); the border shows state.

    The state is exposed as the ``state`` property so the theme's style sheet colours the border.
    """

    def __init__(
        self, title: str, unit: str = "", parent: QWidget | None = None, *, decimals: int = 0
    ) -> None:
        super().__init__(parent)
        self._decimals = decimals
        self._state = "normal"
        self.setProperty("state", self._state)
        self.setStyleSheet(theme.KPI_STYLESHEET)
        self.title_label = QLabel(title, self)
        self.title_label.setObjectName("kpiTitle")
        # Long titles (French ones especially) wrap instead of widening the window.
        self.title_label.setWordWrap(True)
        self.value_label = FittedLabel("—", self)
        self.value_label.setObjectName("kpiValue")
        self.unit_label = QLabel(unit, self)
        self.unit_label.setObjectName("kpiUnit")
        self.sub_label = QLabel(self)
        self.sub_label.setObjectName("kpiSub")
        self.sub_label.setWordWrap(True)
        figure = QHBoxLayout()
        figure.addWidget(self.value_label)
        figure.addWidget(self.unit_label, 0, Qt.AlignmentFlag.AlignBottom)
        figure.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title_label)
        layout.addLayout(figure)
        layout.addWidget(self.sub_label)
        self.setAccessibleName(title)

    def _number(self, value: float, decimals: int | None = None) -> str:
        return QLocale().toString(float(value), "f", self._decimals if decimals is None else decimals)

    def set_value(self, value: float | str | None) -> None:
        """Show a number (locale formatting), a ready-made text, or a dash when unknown."""
        if value is None:
            self.value_label.setText("—")
        elif isinstance(value, str):
            self.value_label.setText(value)
        else:
            self.value_label.setText(self._number(value))

    def value_text(self) -> str:
        """The value as shown."""
        return self.value_label.text()

    def set_trend(self, delta: float | None, period: str = "") -> None:
        """Show a change as an arrow and signed amount, e.g. "▲ +12 since 1 h"; ``None`` clears it."""
        if delta is None:
            self.sub_label.setText("")
            return
        arrow = "▲" if delta > 0 else "▼" if delta < 0 else "▶"
        sign = "+" if delta > 0 else ""
        text = f"{arrow} {sign}{self._number(delta)}"
        if period:
            text = translate("KpiTile", "{change} since {period}").format(change=text, period=period)
        self.sub_label.setText(text)

    def set_subtext(self, text: str) -> None:
        """Free text under the value, in place of a trend (e.g. "3 cabinets affected")."""
        self.sub_label.setText(text)

    def sub_text(self) -> str:
        """The line under the value."""
        return self.sub_label.text()

    def set_state(self, state: str) -> None:
        """``normal``, ``warning``, ``alarm``, or the priority of the alarm a rule raises at this value."""
        if state not in KPI_STATES:
            raise ValueError(f"unknown KPI state {state!r}")
        if state == self._state:
            return  # restyling costs Qt a pass over the style sheet, every second for every tile
        self._state = state
        self.setProperty("state", state)
        self.style().unpolish(self)
        self.style().polish(self)
        self.update()

    def state(self) -> str:
        """The tile's state."""
        return self._state
