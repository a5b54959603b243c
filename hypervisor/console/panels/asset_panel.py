"""One asset: what it is, its latest metrics (stale ones greyed), 24 h trends, alarm history and actions."""

from __future__ import annotations

from html import escape
from typing import Any

from PySide6.QtCore import QCoreApplication, QLocale, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QComboBox,
    QHeaderView,
    QLabel,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from feeds.catalogue import unit_of
from feeds.inventory import Asset
from hypervisor.console.alarm_rows import description_in, interface_language
from hypervisor.console.history import AssetHistory
from hypervisor.console.labels import kind_label, metric_label, place_label, verb_label
from hypervisor.console.state import STALE_GRACE
from widgets import theme
from widgets.alarms.model import state_name
from widgets.clock import wall_time
from widgets.trend import TrendWidget

TREND_MIN_HEIGHT = 150


def _clock(ms: int) -> str:
    return wall_time(ms)


def _format(value: Any) -> str:
    if isinstance(value, bool):
        return (
            QCoreApplication.translate("AssetPanel", "yes") if value else QCoreApplication.translate("AssetPanel", "no")
        )
    if isinstance(value, float):
        return QLocale().toString(value, "f", 2)
    if isinstance(value, int):
        return QLocale().toString(value)
    return str(value)


def rule_title(event: dict[str, Any], language: str) -> str:
    """What operators call the alarm of a stored event: its rule's description in ``language`` (the
    record kept with the event has it), the rule's id only for events stored without one."""
    record = event.get("record") or {}
    return (description_in(language, record.get("descriptions") or {}, record.get("description") or "")
            or str(event.get("rule_id", "")))


class AssetPanel(QWidget):
    """Shows the asset the operator opened from the map, the alarm list or a search."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.asset: Asset | None = None
        self._stale = False
        self._last_ms = 0
        self.title = QLabel(
            QCoreApplication.translate("AssetPanel", "Select an asset on the map or in the alarm list"), self
        )
        self.title.setObjectName("assetTitle")
        self.title.setWordWrap(True)
        self.metrics = QTableWidget(0, 3, self)
        self.metrics.setHorizontalHeaderLabels(
            [
                QCoreApplication.translate("AssetPanel", "Metric"),
                QCoreApplication.translate("AssetPanel", "Value"),
                QCoreApplication.translate("AssetPanel", "Updated"),
            ]
        )
        self.metrics.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.metrics.verticalHeader().hide()
        self.metrics.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.metric_choice = QComboBox(self)
        self.metric_choice.currentIndexChanged.connect(lambda _: self._show_metric(self.metric_choice.currentData()))
        self.trend = TrendWidget(QCoreApplication.translate("AssetPanel", "Last 24 h"), "", parent=self,
                                 deferred=True)
        self.trend.set_window(24 * 3600)
        self.history = QTreeWidget(self)
        self.history.setHeaderLabels(
            [
                QCoreApplication.translate("AssetPanel", "Time"),
                QCoreApplication.translate("AssetPanel", "Event"),
                QCoreApplication.translate("AssetPanel", "User"),
                QCoreApplication.translate("AssetPanel", "Comment"),
            ]
        )
        self.history.setRootIsDecorated(False)
        self.history.setWordWrap(True)
        self.history.header().setStretchLastSection(True)
        # Comments wrap inside the panel; nobody scrolls sideways to read what a colleague wrote.
        self.history.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.history.header().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        # The trend is what an operator reads at a glance: it never shrinks below a readable chart.
        self.trend.setMinimumHeight(TREND_MIN_HEIGHT)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        for widget, stretch in ((self.metrics, 2), (self.trend, 3), (self.history, 2)):
            splitter.addWidget(widget)
            splitter.setStretchFactor(splitter.count() - 1, stretch)
        splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.metric_choice)
        layout.addWidget(splitter, 1)
        self._series: dict[str, tuple[list[int], list[float]]] = {}

    def show_asset(self, asset: Asset, latest: tuple[int, dict[str, Any]] | None, now_ms: int) -> None:
        self.asset = asset
        parent_word = QCoreApplication.translate("AssetPanel", "parent")
        parent = f" · {parent_word} {asset.parent}" if asset.parent else ""
        self.title.setText(f"<b>{asset.id}</b> · {kind_label(asset.kind)}{parent}<br>{escape(place_label(asset))}")
        self._series.clear()
        self.metric_choice.blockSignals(True)
        self.metric_choice.clear()
        self.metric_choice.blockSignals(False)
        self.history.clear()
        self.trend.clear()
        self._last_ms = 0
        self.update_latest(latest, now_ms)

    def update_latest(self, latest: tuple[int, dict[str, Any]] | None, now_ms: int) -> None:
        if self.asset is None:
            return
        metrics = latest[1] if latest else {}
        ts = latest[0] if latest else 0
        stale = latest is None or now_ms - ts > self.asset.report_period_s * 1000 * STALE_GRACE
        self._stale = stale
        self.metrics.setRowCount(len(metrics))
        colour = QColor(theme.TEXT_MUTED if stale else theme.TEXT)
        for row, (name, value) in enumerate(sorted(metrics.items())):
            unit = unit_of(name)
            when = (
                QCoreApplication.translate("AssetPanel", "no data since {time}").format(time=_clock(ts))
                if stale
                else _clock(ts)
            )
            for column, text in enumerate((metric_label(name), f"{_format(value)} {unit}".strip(), when)):
                item = QTableWidgetItem(text)
                item.setForeground(colour)
                self.metrics.setItem(row, column, item)
            if isinstance(value, int | float) and ts > self._last_ms:
                self.trend.append(name, ts, float(value)) if name in self.trend.series_names() else None
        if ts > self._last_ms:
            self._last_ms = ts
            self.trend.refresh()
        if latest is not None and self.metric_choice.count() == 0:
            self._offer_metrics([n for n, v in metrics.items() if isinstance(v, int | float)])

    def is_stale(self) -> bool:
        """Whether the metrics shown are older than the asset's expected reporting period allows."""
        return self._stale

    def set_history(self, history: AssetHistory) -> None:
        if self.asset is None or history.asset_id != self.asset.id:
            return
        for name, (ts, values) in history.series.items():
            if name not in self.trend.series_names():
                self.trend.add_series(name, label=metric_label(name))
            self.trend.extend(name, ts, values)
        self._offer_metrics(list(history.series))
        self.trend.refresh()
        self.history.clear()
        language = interface_language()
        rows = [
            (
                e["ts_ms"],
                f"{rule_title(e, language)} : {state_name(str(e.get('from_state', '')))}"
                f" → {state_name(str(e.get('to_state', '')))}",
                e.get("user") or "",
                e.get("comment") or "",
            )
            for e in history.events
        ]
        rows += [
            (
                a["ts_ms"],
                f"{verb_label(str(a.get('verb', '')))} {'✓' if a.get('ok') else '✗ ' + (a.get('reason') or '')}",
                a.get("user") or "",
                a.get("comment") or "",
            )
            for a in history.actions
        ]
        for ts, what, user, comment in sorted(rows, key=lambda r: r[0], reverse=True):
            item = QTreeWidgetItem([_clock(int(ts)), what, str(user), str(comment)])
            item.setToolTip(1, what)  # a rule's description is longer than the column
            item.setToolTip(3, str(comment))
            self.history.addTopLevelItem(item)

    def _offer_metrics(self, names: list[str]) -> None:
        known = {self.metric_choice.itemData(i) for i in range(self.metric_choice.count())}
        for name in sorted(set(names) - known):
            self.metric_choice.addItem(metric_label(name), name)
            if name not in self.trend.series_names():
                self.trend.add_series(name, label=metric_label(name))
        self._show_metric(self.metric_choice.currentData())

    def _show_metric(self, name: str) -> None:
        for series in self.trend.series_names():
            self.trend.set_series_visible(series, series == name)
