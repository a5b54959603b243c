"""Starting the Qt application: theme, language, and the console on its deployment."""

from __future__ import annotations

import argparse
import logging
import sys
import uuid
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import orjson
from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QSettings, QTranslator
from PySide6.QtWidgets import QApplication, QDialog

from alerts import load_rules
from alerts.limits import MetricLimits
from alerts.rules.loader import RuleFileError, load_texts
from alerts.rules.model import RuleSet
from feeds.inventory import Inventory
from feeds.links import Links
from feeds.topics import Topics
from hypervisor import paths
from hypervisor.console.kpis import kpi_limits
from hypervisor.console.sign_in import SignInDialog
from hypervisor.console.source import ConsoleSource
from hypervisor.console.window import ConsoleWindow
from hypervisor.credentials import check_sign_in
from hypervisor.deployment import BrokerDeployment, Deployment, EmbeddedCity
from hypervisor.feed.address import (
    BROKER_SCHEMES,
    EMBEDDED_ADDRESS,
    REPLAY_SCHEME,
    TRAIN_SCHEME,
    FeedAddressError,
    FeedRegistry,
    ReplayAddress,
    TrainAddress,
    parse_instant,
    parse_replay,
    parse_train,
)
from hypervisor.runtime import keep_gil_turns_within
from widgets.citymap import BasemapLayer, basemap_layers_from_geojson
from widgets.clock import display_zone
from widgets.theme import apply_theme

if TYPE_CHECKING:
    from hypervisor.replay.feed import ReplayFeed
    from hypervisor.replay.source import ReplaySource

log = logging.getLogger(__name__)


GUI_SWITCH_INTERVAL_S = 0.0002
"""How long a busy worker thread (a replay playing, the embedded engine) may keep the GIL while the GUI
thread waits for it: at Python's default of 5 ms, 600× playback stalled the window for a second."""


def make_application(lang: str | None = None) -> QApplication:
    """The QApplication with the dark theme and the interface language (French on a French system)."""
    keep_gil_turns_within(GUI_SWITCH_INTERVAL_S)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("Hypervisor")
    app.setOrganizationName("Hypervisor")
    apply_theme(app)
    install_translation(app, lang)
    return app


def install_translation(app: QApplication, lang: str | None) -> str:
    """Install our catalogue and Qt's own for ``lang`` (default: the system's); returns the language used."""
    language = lang or QLocale.system().name().split("_")[0]
    if language in ("C", "POSIX", ""):
        language = "en"
    for old in getattr(app, "_hv_translators", []):
        app.removeTranslator(old)
    translators = []
    if language != "en":
        ours = QTranslator(app)
        if ours.load(str(paths.TRANSLATIONS / f"hypervisor_{language}.qm")):
            translators.append(ours)
        else:
            log.warning("no %s translation found in %s; the interface stays in English", language, paths.TRANSLATIONS)
        qt = QTranslator(app)
        if qt.load(f"qtbase_{language}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
            translators.append(qt)
    for translator in translators:
        app.installTranslator(translator)
    # Dates and numbers follow the interface language, not the machine's locale.
    QLocale.setDefault(QLocale(language if translators else "en"))
    app._hv_translators = translators  # type: ignore[attr-defined]
    return language if translators or language == "en" else "en"


def load_basemap(path: Path = paths.DIJON_BASEMAP) -> list[BasemapLayer]:
    if not path.exists():
        log.warning("no basemap at %s: the map shows assets only", path)
        return []
    return basemap_layers_from_geojson(orjson.loads(path.read_bytes()))


def limits_in_force(deployment: Deployment) -> dict[str, MetricLimits]:
    """The key figures' alarm limits from the deployment's rule files (the shipped rules when it names none)."""
    return _limits(*load_rules(getattr(deployment, "rule_paths", None) or [paths.DEFAULT_RULES]))


def replayed_limits(feed: ReplayFeed) -> dict[str, MetricLimits]:
    """The key figures' alarm limits from the rules the recording engine ran (the shipped rules for a file
    that recorded none)."""
    files = feed.rules_in_force()
    if not files:
        log.warning("%s recorded no rule files in force; gauges show the shipped rules' limits", feed.label)
        return limits_in_force(feed)
    return _limits(*load_texts(files))


def _limits(ruleset: RuleSet, errors: list[RuleFileError]) -> dict[str, MetricLimits]:
    for error in errors:
        log.error("rule file error; gauges show no limit from it: %s", error)
    return kpi_limits(ruleset)


def build_console(deployment: Deployment, inventory: Inventory, user: str, mode: str = "live",
                  settings: QSettings | None = None, rate_hz: float = 15.0,
                  role: str = "operator") -> tuple[ConsoleWindow, ConsoleSource]:
    """A console window on a deployment; the caller starts the source and shows the window."""
    console_id = f"{user}-{uuid.uuid4().hex[:6]}"
    topics = getattr(deployment, "topics", Topics())
    source = ConsoleSource(deployment, inventory, user, console_id, topics=topics, rate_hz=rate_hz)
    window = ConsoleWindow(source, inventory, load_basemap(), mode, settings, limits_in_force(deployment), role)
    return window, source


def feed_registry(links: Links | None = None, rule_paths: Sequence[Path] = (), historian: Path | None = None,
                  embedded: Callable[[], Deployment] | None = None) -> FeedRegistry:
    """The feeds a console window can open by address: recorded periods (``replay:``) always; with
    ``links`` (the user's password), a deployment's broker (``mqtt://``, ``mqtts://``, LIVE, its engine's
    ``historian`` read for trends) and its training sessions (``train://``); with ``embedded``, the demo's
    city in this process (``bus://embedded``)."""
    registry = FeedRegistry()
    registry.register({REPLAY_SCHEME}, lambda address: replay_feed(parse_replay(address, str(display_zone()))))
    if links is not None:
        from hypervisor.training.deployment import TrainingDeployment

        def training(address: str) -> TrainingDeployment:
            train = parse_train(address)
            return TrainingDeployment(links, train.broker, train.session, rule_paths)

        registry.register({TRAIN_SCHEME}, training)
        registry.register(BROKER_SCHEMES, lambda address: BrokerDeployment(
            links, address, historian, follow_sim_clock=True, rule_paths=rule_paths))
    if embedded is not None:
        def city(address: str) -> Deployment:
            if address != EMBEDDED_ADDRESS:
                raise FeedAddressError(f"{address!r}: the only city in this process is {EMBEDDED_ADDRESS}")
            return embedded()

        registry.register({"bus"}, city)
    return registry


def replay_feed(address: ReplayAddress) -> ReplayFeed:
    """The feed of a recorded period. REPLAY's modules (the historian's timeline, SQLite, pandas) load
    when a replay opens, so that a LIVE console starts without them."""
    from hypervisor.replay.feed import ReplayFeed

    return ReplayFeed(address)


def build_replay(address: ReplayAddress, inventory: Inventory, user: str, settings: QSettings | None = None,
                 rate_hz: float = 15.0) -> tuple[ConsoleWindow, ReplaySource]:
    """A REPLAY window on a historian or incident file (read-only); the caller starts the source."""
    from hypervisor.replay.source import ReplaySource

    feed = feed_registry().open(str(address))
    source = ReplaySource(feed, inventory, user, rate_hz=rate_hz)
    window = ConsoleWindow(source, inventory, load_basemap(), "replay", settings, replayed_limits(feed), "director")
    window.setWindowTitle(QCoreApplication.translate("ConsoleWindow", "Urban hypervision — REPLAY — {file}").format(
        file=address.path.name))
    return window, source


def run_replay(args: argparse.Namespace, inventory: Inventory) -> int:
    from hypervisor.replay.history import ReplayFileError

    app = make_application(args.lang)
    path = args.file or paths.user_data_dir() / "demo-historian.sqlite"
    try:
        address = ReplayAddress(path, parse_instant(args.from_, args.timezone) if args.from_ else None,
                                parse_instant(args.to, args.timezone) if args.to else None)
        window, source = build_replay(address, inventory, args.user)
    except (FeedAddressError, ReplayFileError) as exc:
        print(f"hypervisor replay: {exc}", file=sys.stderr)
        return 2
    return _run(window, source, app, args.wall)


def _run(window: ConsoleWindow, source: ConsoleSource | ReplaySource, app: QApplication, wall: bool) -> int:
    source.start()
    if window.placed:
        window.show()
    else:  # first run on this screen: a control-room console fills it
        window.resize(1600, 960)
        window.showMaximized()
    if wall:
        window.wall_action.setChecked(True)
    try:
        return app.exec()
    finally:
        source.stop()


def run_demo(args: argparse.Namespace, inventory: Inventory) -> int:
    app = make_application(args.lang)
    historian = paths.user_data_dir() / "demo-historian.sqlite"
    deployment = feed_registry(embedded=lambda: EmbeddedCity(
        inventory, args.rules, historian, speed=args.speed, seed=args.seed,
        faults_per_hour=args.faults_per_hour)).open(EMBEDDED_ADDRESS)
    window, source = build_console(deployment, inventory, args.user)
    return _run(window, source, app, args.wall)


def with_user(address: str, user: str) -> str:
    """The broker address with the user in it (``mqtt://alice@host:1883``), unless it names one already."""
    scheme, rest = address.split("://", 1)
    return address if "@" in rest else f"{scheme}://{user}@{rest}"


def _deployment(args: argparse.Namespace, links: Links, address: str) -> Deployment:
    """The broker's live deployment, or a training session's (``--training NAME``), opened by address."""
    if args.training:
        address = str(TrainAddress(address, args.training))
    return feed_registry(links, args.rules, args.historian).open(address)


def run_console(args: argparse.Namespace, inventory: Inventory, user: str | None, password: str | None) -> int:
    """Sign in (with a dialog unless a password file or variable gives the password), run, and again after
    Sign out."""
    app = make_application(args.lang)
    settings = QSettings()
    while True:
        if password is None or not user:
            dialog = SignInDialog(args.broker, lambda u, p: check_sign_in(with_user(args.broker, u), p), settings,
                                  user or "")
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return 0
            user, password = dialog.user(), dialog.password()
        try:
            deployment = _deployment(args, Links(password=password), with_user(args.broker, user))
        except FeedAddressError as exc:
            print(f"hypervisor console: {exc}", file=sys.stderr)
            return 2
        window, source = build_console(deployment, inventory, user, mode="training" if args.training else "live",
                                       role=args.role)
        code = _run(window, source, app, args.wall)
        if not window.signed_out:
            return code
        password = None
