"""The row of filter controls above the alarm list; it drives an :class:`AlarmFilterProxy`."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLineEdit, QWidget

from widgets.alarms.filter import AlarmFilterProxy
from widgets.alarms.model import domain_text, priority_text
from widgets.alarms.row import LISTED_STATES, PRIORITIES, UNACKED_STATES

DOMAINS: tuple[str, ...] = ("lighting", "heating", "waste", "water")


translate = QCoreApplication.translate
"""Bare name, so ``pyside6-lupdate`` extracts every ``translate("Context", "text")`` call."""


class AlarmFilterBar(QWidget):
    """Priority, domain, district and state choices plus a free-text search."""

    def __init__(self, proxy: AlarmFilterProxy, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._proxy = proxy
        self.priority_box = QComboBox(self)
        self.priority_box.addItem(translate("AlarmFilterBar", "All priorities"), None)
        for priority in PRIORITIES:
            self.priority_box.addItem(priority_text(priority), priority)
        self.domain_box = QComboBox(self)
        self.domain_box.addItem(translate("AlarmFilterBar", "All domains"), None)
        for domain in DOMAINS:
            self.domain_box.addItem(domain_text(domain), domain)
        self.district_box = QComboBox(self)
        self.district_box.addItem(translate("AlarmFilterBar", "All districts"), None)
        self.state_box = QComboBox(self)
        self._state_choices: dict[str, frozenset[str] | None] = {
            "listed": LISTED_STATES,
            "unacked": UNACKED_STATES,
            "acked": frozenset({"acked"}),
            "shelved": frozenset({"shelved"}),
            "suppressed": frozenset({"suppressed"}),
            "out_of_service": frozenset({"out_of_service"}),
            "all": None,
        }
        for key, label in (
            ("listed", translate("AlarmFilterBar", "Alarm list")),
            ("unacked", translate("AlarmFilterBar", "Unacknowledged")),
            ("acked", translate("AlarmFilterBar", "Acknowledged")),
            ("shelved", translate("AlarmFilterBar", "Shelved")),
            ("suppressed", translate("AlarmFilterBar", "Suppressed")),
            ("out_of_service", translate("AlarmFilterBar", "Out of service")),
            ("all", translate("AlarmFilterBar", "All states")),
        ):
            self.state_box.addItem(label, key)
        self.search_edit = QLineEdit(self)
        self.search_edit.setPlaceholderText(translate("AlarmFilterBar", "Search asset, message, rule…"))
        self.search_edit.setClearButtonEnabled(True)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for box in (self.priority_box, self.domain_box, self.district_box, self.state_box):
            layout.addWidget(box)
        layout.addWidget(self.search_edit, 1)
        self.priority_box.currentIndexChanged.connect(
            lambda: proxy.set_priority(self.priority_box.currentData()))
        self.domain_box.currentIndexChanged.connect(lambda: proxy.set_domain(self.domain_box.currentData()))
        self.district_box.currentIndexChanged.connect(
            lambda: proxy.set_district(self.district_box.currentData()))
        self.state_box.currentIndexChanged.connect(
            lambda: proxy.set_states(self._state_choices[self.state_box.currentData()]))
        self.search_edit.textChanged.connect(proxy.set_text)

    def set_districts(self, districts: Iterable[str]) -> None:
        """Offer these districts (e.g. the communes of the inventory), keeping the current choice."""
        current = self.district_box.currentData()
        self.district_box.blockSignals(True)
        self.district_box.clear()
        self.district_box.addItem(translate("AlarmFilterBar", "All districts"), None)
        for district in sorted(set(districts)):
            self.district_box.addItem(district, district)
        found = self.district_box.findData(current) if current is not None else 0
        self.district_box.setCurrentIndex(max(0, found))
        self.district_box.blockSignals(False)
        if found < 0:
            self._proxy.set_district(None)

    def choose(self, box: QComboBox, value: str | None) -> None:
        """Select the entry of ``box`` holding ``value`` (used by the console to restore a layout)."""
        index = 0 if value is None else box.findData(value)
        if index < 0:
            raise ValueError(f"{value!r} is not offered")
        box.setCurrentIndex(index)
