"""The console window: a thin composition of mode band, key figures, map, alarm list and panels."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, cast

import numpy as np
from PySide6.QtCore import QCoreApplication, QLocale, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QShowEvent
from PySide6.QtWidgets import QDockWidget, QMainWindow, QMenu, QTabBar, QVBoxLayout, QWidget

from alerts.limits import MetricLimits
from feeds.inventory import Inventory
from feeds.model import Domain
from hypervisor.console.about import add_help_menu
from hypervisor.console.alarm_rows import alarm_rows
from hypervisor.console.history import AssetHistory, DomainHistory, Quarantine
from hypervisor.console.labels import kind_label, place_label
from hypervisor.console.panels.asset_panel import AssetPanel
from hypervisor.console.panels.domain_panel import DomainPanel
from hypervisor.console.panels.kpi_header import KpiHeader
from hypervisor.console.panels.quarantine import QuarantineDialog
from hypervisor.console.panels.score import ScorePanel
from hypervisor.console.panels.status import StatusPanel
from hypervisor.console.refusals import refusal_text
from hypervisor.console.replay_menu import ReplayMenu
from hypervisor.console.roles import role_may_command, role_name
from hypervisor.console.snapshot import ConsoleSnapshot
from hypervisor.console.source import ConsoleSource
from hypervisor.console.startup import StartupReport
from hypervisor.console.trust import Trust, assess
from hypervisor.console.trust_text import band_text, city_clock_text, veil_texts
from hypervisor.feed.contract import Capability
from widgets.alarms.view import AlarmPanel
from widgets.citymap import BasemapLayer, CityMapWidget
from widgets.mode_band import ModeBand

if TYPE_CHECKING:
    from hypervisor.console.replay_controls import ReplayControls
    from hypervisor.replay.source import ReplaySource

DOMAINS = [d.value for d in Domain]
SHELVE_MAX_MIN = 24 * 60
ASSET_PANEL_MIN_WIDTH = 300
DOMAIN_PANEL_MIN_WIDTH = 320
ALARM_LIST_SHARE = 0.5
"""Of the window's height, what the alarm list gets by default: operators work in it (12+ rows at 1080p)."""
TRENDS_WITHOUT_VALUES_MS = 5000
"""A console that has shown no value by then (no data, a broker away) draws its trends anyway: their
history is worth reading when nothing arrives."""
SMALL_SCREEN_HEIGHT = 900
SMALL_SCREEN_ALARM_SHARE = 0.4
"""On a small screen (720p) the map keeps a readable height too."""
REPLAY_ALARM_SHARE = 0.4
"""REPLAY puts its timeline under the map: the list gives up some height so the map stays readable."""
SIDE_PANEL_SHARE = 0.26


class ConsoleWindow(QMainWindow):
    """What an operator keeps open for a shift; the same window serves LIVE, REPLAY and TRAINING.

    What it offers follows the feed's capabilities: without ``command`` (REPLAY) there is no
    acknowledge, shelve, reset or comment anywhere; with ``seek`` the timeline sits under the map.
    """

    closing = Signal()

    def __init__(
        self,
        source: ConsoleSource | ReplaySource,
        inventory: Inventory,
        basemap: list[BasemapLayer],
        mode: str = "live",
        settings: QSettings | None = None,
        limits: dict[str, MetricLimits] | None = None,
        role: str = "operator",
    ) -> None:
        super().__init__()
        self.source = source
        self.role = role
        self.signed_out = False
        self.inventory = inventory
        self.settings = settings or QSettings("Hypervisor", "console")
        self.setWindowTitle(
            QCoreApplication.translate("ConsoleWindow", "Urban hypervision — {user}").format(user=source.user)
        )
        self.setObjectName("ConsoleWindow")
        self.setDockOptions(
            QMainWindow.DockOption.AnimatedDocks
            | QMainWindow.DockOption.AllowTabbedDocks
            | QMainWindow.DockOption.AllowNestedDocks
        )
        self.band = ModeBand(mode, self)
        self.kpis = KpiHeader(self, limits)
        self.map = CityMapWidget(self)
        self.map.set_basemap(basemap)
        domain_codes = np.array([DOMAINS.index(a.domain) for a in inventory.assets], dtype=np.uint8)
        self.map.set_assets(inventory.lon, inventory.lat, domain_codes, [a.id for a in inventory.assets])
        self.map.set_tooltip_provider(self._tooltip)
        self.map.assetActivated.connect(lambda i: self.open_asset(inventory.assets[i].id))
        central = QWidget(self)
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        for widget, stretch in ((self.band, 0), (self.kpis, 0), (self.map, 1)):
            layout.addWidget(widget, stretch)
        self.setCentralWidget(central)
        self.alarms = AlarmPanel(parent=self)
        self.alarms.set_districts(inventory.districts())
        self.asset_panel = AssetPanel(self)
        self.asset_panel.setMinimumWidth(ASSET_PANEL_MIN_WIDTH)
        self.domain_panels = {d: DomainPanel(d, self, limits) for d in DOMAINS}
        for panel in self.domain_panels.values():
            panel.setMinimumWidth(DOMAIN_PANEL_MIN_WIDTH)
        self.score = ScorePanel(self) if Capability.SCORE in source.capabilities else None
        self._build_docks()
        self.status = StatusPanel(source.label, self)
        self.status.quarantineRequested.connect(self.show_quarantine)
        self.setStatusBar(self.status)
        self._wire_alarm_actions()
        self._build_menus()
        self._priority = np.zeros(len(inventory), dtype=np.uint8)
        self._unacked = np.zeros(len(inventory), dtype=bool)
        self._stale = np.zeros(len(inventory), dtype=bool)
        self._latest: dict[str, tuple[int, dict[str, Any]]] = {}
        self._recorded: Callable[[str], tuple[int, dict[str, Any]] | None] = lambda _: None
        self.last_snapshot: ConsoleSnapshot | None = None
        self.replay = self._replay_controls() if Capability.SEEK in source.capabilities else None
        if self.replay is None:
            self._show_trust(assess(self.status.initial_link, 0))
        source.snapshotReady.connect(self.apply_snapshot)
        source.historyReady.connect(self._apply_history)
        source.problem.connect(
            lambda text: self.status.showMessage(
                QCoreApplication.translate("ConsoleWindow", "Request failed: {text}").format(text=text), 10_000
            )
        )
        self.startup = self._report_startup()
        self._restore_layout()

    def _build_docks(self) -> None:
        """The alarm list under the map; the domain panels and the asset panel tabbed on the right."""
        self._docks: dict[str, QDockWidget] = {}
        self._dock(
            "alarms",
            QCoreApplication.translate("ConsoleWindow", "Alarms"),
            self.alarms,
            Qt.DockWidgetArea.BottomDockWidgetArea,
        )
        self._dock(
            "asset",
            QCoreApplication.translate("ConsoleWindow", "Asset"),
            self.asset_panel,
            Qt.DockWidgetArea.RightDockWidgetArea,
        )
        for domain, panel in self.domain_panels.items():
            self._dock(domain, panel.title, panel, Qt.DockWidgetArea.RightDockWidgetArea)
        if self.score is not None:
            self._dock("score", QCoreApplication.translate("ConsoleWindow", "Score"), self.score,
                       Qt.DockWidgetArea.RightDockWidgetArea)
        for key in [*DOMAINS, "asset", *(["score"] if self.score is not None else [])][1:]:
            self.tabifyDockWidget(self._docks[DOMAINS[0]], self._docks[key])
        self._docks[DOMAINS[0]].raise_()
        # The side panels take the full height; the alarm list spans under the map only.
        self.setCorner(Qt.Corner.BottomRightCorner, Qt.DockWidgetArea.RightDockWidgetArea)
        self.setCorner(Qt.Corner.TopRightCorner, Qt.DockWidgetArea.RightDockWidgetArea)

    def _dock(self, key: str, title: str, widget: QWidget, area: Qt.DockWidgetArea) -> None:
        dock = QDockWidget(title, self)
        dock.setObjectName(f"dock-{key}")
        dock.setWidget(widget)
        dock.setFeatures(
            QDockWidget.DockWidgetFeature.DockWidgetMovable
            | QDockWidget.DockWidgetFeature.DockWidgetFloatable
            | QDockWidget.DockWidgetFeature.DockWidgetClosable
        )
        self.addDockWidget(area, dock)
        self._docks[key] = dock

    def _wire_alarm_actions(self) -> None:
        self.alarms.assetActivated.connect(self.open_asset)
        if Capability.COMMAND not in self.source.capabilities:
            return
        self.alarms.ackRequested.connect(lambda ids: self.source.command("ack", ids))
        self.alarms.shelveRequested.connect(
            lambda ids, reason, minutes: self.source.command("shelve", ids, reason, min(minutes, SHELVE_MAX_MIN) * 60)
        )
        self.alarms.unshelveRequested.connect(lambda ids: self.source.command("unshelve", ids))
        self.alarms.resetRequested.connect(lambda ids: self.source.command("reset", ids))
        self.alarms.commentRequested.connect(lambda ids, text: self.source.command("comment", ids, text))

    def _build_menus(self) -> None:
        console = self.menuBar().addMenu(QCoreApplication.translate("ConsoleWindow", "&Console"))
        if getattr(getattr(self.source, "deployment", None), "signs_in", False):
            sign_out = QAction(QCoreApplication.translate("ConsoleWindow", "Sign out"), self)
            sign_out.triggered.connect(self.sign_out)
            console.addAction(sign_out)
        quit_action = QAction(QCoreApplication.translate("ConsoleWindow", "Quit"), self)
        quit_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Quit))
        quit_action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
        quit_action.triggered.connect(self.close)
        console.addAction(quit_action)
        if role_may_command(self.role) and Capability.COMMAND in self.source.capabilities:
            alarms = self.menuBar().addMenu(QCoreApplication.translate("ConsoleWindow", "&Alarms"))
            alarms.addActions(self.alarms.actions_in_order())
        else:
            self.alarms.set_read_only(True)
        if isinstance(self.source, ConsoleSource):
            self.replay_menu = ReplayMenu(self, self.source, self.inventory, self.settings)
        view = self.menuBar().addMenu(QCoreApplication.translate("ConsoleWindow", "&View"))
        for dock in self._docks.values():
            view.addAction(dock.toggleViewAction())
        view.addSeparator()
        layers = QMenu(QCoreApplication.translate("ConsoleWindow", "Map layers"), self)
        names = {
            "lighting": QCoreApplication.translate("ConsoleWindow", "Lighting"),
            "heating": QCoreApplication.translate("ConsoleWindow", "Heating"),
            "waste": QCoreApplication.translate("ConsoleWindow", "Waste"),
            "water": QCoreApplication.translate("ConsoleWindow", "Water"),
        }
        for code, domain in enumerate(DOMAINS):
            action = QAction(names[domain], self, checkable=True, checked=True)
            action.toggled.connect(lambda on, c=code: self.map.set_domain_visible(c, on))
            layers.addAction(action)
        view.addMenu(layers)
        self.wall_action = QAction(
            QCoreApplication.translate("ConsoleWindow", "Wall mode (full screen)"), self, checkable=True
        )
        self.wall_action.setShortcut(QKeySequence(Qt.Key.Key_F11))
        self.wall_action.toggled.connect(self.set_wall_mode)
        view.addAction(self.wall_action)
        fit = QAction(QCoreApplication.translate("ConsoleWindow", "Whole city"), self)
        fit.setShortcut(QKeySequence(Qt.Key.Key_Home))
        fit.triggered.connect(self.map.fit_city)
        view.addAction(fit)
        reset = QAction(QCoreApplication.translate("ConsoleWindow", "Reset layout"), self)
        reset.triggered.connect(self.reset_layout)
        view.addAction(reset)
        add_help_menu(self)

    def _report_startup(self) -> StartupReport:
        self._trends_enabled = False
        report = StartupReport(self.map, self.kpis.tiles.values())
        # Queued: the trends are built after the paint that showed the values, not inside it.
        report.valuesShown.connect(self._after_first_values, Qt.ConnectionType.QueuedConnection)
        QTimer.singleShot(TRENDS_WITHOUT_VALUES_MS, self, self._after_first_values)
        return report

    def _after_first_values(self) -> None:
        """Once the first values are painted (or a console without values has waited long enough): the
        trends draw, and LIVE reads their history."""
        if self._trends_enabled:
            return
        self._trends_enabled = True
        for trend in (self.asset_panel.trend, *(panel.trend for panel in self.domain_panels.values())):
            trend.enable_plot()
        if self.replay is None:
            self.backfill_domains()

    def _replay_controls(self) -> ReplayControls:
        # Loaded for a replay only: its timeline and exports bring the historian, which a LIVE console
        # reads off the GUI thread once its first values are shown.
        from hypervisor.console.replay_controls import ReplayControls

        return ReplayControls(self, cast("ReplaySource", self.source), self.settings)

    def sign_out(self) -> None:
        """Close this console and offer the sign-in dialog again."""
        self.signed_out = True
        self.close()

    def set_wall_mode(self, on: bool) -> None:
        self.showFullScreen() if on else self.showNormal()

    def apply_snapshot(self, snap: ConsoleSnapshot) -> None:
        """Everything the GUI does with new data, once per coalesced snapshot."""
        self.last_snapshot = snap
        if snap.priority is not None:
            self._priority, self._unacked = snap.priority, snap.unacked
        if snap.stale is not None:
            self._stale = snap.stale
        if snap.priority is not None or snap.stale is not None:
            self.map.set_states(self._priority, self._unacked, self._stale)
        if snap.reset:  # a seek: the whole list at that instant
            self.alarms.show_exactly(alarm_rows(snap.alarms.values()))
        elif snap.alarms or snap.removed_alarms:
            self.alarms.apply(alarm_rows(snap.alarms.values()), snap.removed_alarms)
            if self.replay is not None:
                self.alarms.hold.release()  # a replay shows the list exactly as it was, nothing held back
        flood = snap.floods.get("global")
        self.alarms.set_flood(bool(flood and flood.active), flood.count if flood else 0, flood.since_ms if flood else 0)
        if snap.reset:
            self._latest.clear()
        if snap.latest is not None:
            self._recorded = snap.latest
        self._latest.update(snap.assets)
        self.kpis.update_kpis(snap.kpis, bool(snap.kpis.get("night")))
        self.startup.note_values(any(snap.kpis.get(key) is not None for key in self.kpis.tiles))
        for panel in self.domain_panels.values():
            panel.update_kpis(snap.kpis, snap.now_ms)
        shown = self.asset_panel.asset
        if shown is not None and (shown.id in snap.assets or snap.stale is not None or snap.reset or snap.moved):
            self.asset_panel.update_latest(self.latest_of(shown.id), snap.now_ms)
        if self.replay is not None:
            self.replay.on_snapshot(snap)
            self.band.set_detail(self.replay.band_text(snap.now_ms))
            return
        self.status.update_link(snap.link, snap.now_ms)
        self._show_trust(assess(snap.link, snap.now_ms))
        self.band.set_detail(f"{city_clock_text(snap.now_ms)} · {self.source.user} ({role_name(self.role)})")
        heading = getattr(self.source.deployment, "heading", None)
        if heading is not None:
            self.band.set_heading(heading(QLocale().name()[:2]))
        if snap.score is not None and self.score is not None:
            self.score.show_score(snap.score)
            self._docks["score"].show()
            self._docks["score"].raise_()
        for reply in snap.replies:
            if not reply.get("ok"):
                self.status.showMessage(refusal_text(reply), 10_000)

    def _show_trust(self, trust: Trust) -> None:
        """The band and the map say when the figures are not current, and why."""
        self.trust = trust
        self.band.set_alert(trust.level, band_text(trust, self.source.user))
        veil = veil_texts(trust, self.source.user)
        self.map.set_no_data(*(veil or (None,)))

    def open_asset(self, asset_id: str) -> None:
        asset = self.inventory.get(asset_id)
        if asset is None:
            return
        now = self.last_snapshot.now_ms if self.last_snapshot else self.source.clock.now_ms()
        self.asset_panel.show_asset(asset, self.latest_of(asset_id), now)
        self._docks["asset"].show()
        self._docks["asset"].raise_()
        self.map.focus_asset(self.inventory.index[asset_id])
        self.source.request_asset_history(asset_id)

    def timeline_position(self) -> int | None:
        """The instant the replay timeline shows (None outside REPLAY)."""
        return self.replay.timeline.position() if self.replay is not None else None

    def latest_of(self, asset_id: str) -> tuple[int, dict[str, Any]] | None:
        """An asset's last reading as shown: received here, or recorded with the instant a replay jumped to."""
        return self._latest.get(asset_id) or self._recorded(asset_id)

    def _tooltip(self, index: int) -> str:
        asset = self.inventory.assets[index]
        latest = self.latest_of(asset.id)
        values = (
            ", ".join(f"{k}={v}" for k, v in sorted(latest[1].items())[:4])
            if latest
            else QCoreApplication.translate("ConsoleWindow", "no data yet")
        )
        return f"{asset.id} · {kind_label(asset.kind)} · {place_label(asset)}\n{values}"

    def _apply_history(self, data: object) -> None:
        if isinstance(data, AssetHistory):
            self.asset_panel.set_history(data)
        elif isinstance(data, list):
            for history in data:
                self._apply_history(history)
        elif isinstance(data, DomainHistory):
            self.domain_panels[data.domain].set_history(data)
        elif isinstance(data, Quarantine):
            link = self.last_snapshot.link if self.last_snapshot else None
            QuarantineDialog(data.counts or (link.rejected_by_reason if link else {}), data.rows, self).show()

    def show_quarantine(self) -> None:
        """From the historian when this console can read it, else the engine's counts by reason."""
        if self.source.has_history:
            self.source.request_quarantine()
        else:
            self._apply_history(Quarantine({}, []))

    def backfill_domains(self) -> None:
        """Read the domain trends' history again (at start, and after a replay's seek)."""
        self.source.request_domain_histories(DOMAINS)

    def _layout_key(self) -> str:
        return f"layout/{self.source.user}" + ("" if self.band.mode() == "live" else f"/{self.band.mode()}")

    def _restore_layout(self) -> None:
        self._default_state = self.saveState()
        self._sized = False
        geometry = self.settings.value(f"{self._layout_key()}/geometry")
        state = self.settings.value(f"{self._layout_key()}/state")
        self.placed = geometry is not None  # the user's own geometry; else the window opens filling the screen
        if geometry is not None:
            self.restoreGeometry(geometry)
        if state is not None:
            self._sized = self.restoreState(state)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._sized:
            self._sized = True
            self.default_sizes()

    def default_sizes(self) -> None:
        """The alarm list gets the room it needs, the side panels a quarter of the width, the map the rest."""
        share = ALARM_LIST_SHARE if self.height() >= SMALL_SCREEN_HEIGHT else SMALL_SCREEN_ALARM_SHARE
        if self.replay is not None:
            share = min(share, REPLAY_ALARM_SHARE)
        self.resizeDocks([self._docks["alarms"]], [round(self.height() * share)], Qt.Orientation.Vertical)
        side = max(DOMAIN_PANEL_MIN_WIDTH, round(self.width() * SIDE_PANEL_SHARE))
        self.resizeDocks([self._docks[DOMAINS[0]]], [side], Qt.Orientation.Horizontal)
        for tabs in self.findChildren(QTabBar):
            # Tab names are read whole ("Lighting", not "Lig…"); when they do not fit, the bar scrolls.
            tabs.setElideMode(Qt.TextElideMode.ElideNone)
            tabs.setUsesScrollButtons(True)

    def save_layout(self) -> None:
        self.settings.setValue(f"{self._layout_key()}/geometry", self.saveGeometry())
        self.settings.setValue(f"{self._layout_key()}/state", self.saveState())
        self.settings.sync()

    def reset_layout(self) -> None:
        """Every panel back where it starts, with its starting size; the operator's saved layout is forgotten."""
        self.settings.remove(self._layout_key())
        for dock in self._docks.values():
            dock.setFloating(False)
            dock.show()
        self.restoreState(self._default_state)
        self._docks[DOMAINS[0]].raise_()
        self.default_sizes()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_layout()
        self.closing.emit()
        super().closeEvent(event)
