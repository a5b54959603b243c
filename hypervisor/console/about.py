"""Help ▸ About: what the console is, and the sources of the map's real data with their licences."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMainWindow, QMessageBox


def _version() -> str:
    try:
        return version("hypervisor")
    except PackageNotFoundError:  # run from a source tree that was never installed
        return ""


def about_text() -> str:
    """The About box's text, in the operator's language."""
    return QCoreApplication.translate(
        "About",
        "<h3>Urban hypervision console {version}</h3>"
        "<p>Open-source supervision of a city's lighting, heating, waste and water networks.<br>"
        "Licence: AGPL-3.0-or-later.</p>"
        "<p><b>Map data</b><br>"
        "Commune outlines of Dijon Métropole: IGN – ADMIN EXPRESS, Licence Ouverte / Etalab 2.0.<br>"
        "Divia tram and bus stops: © OpenStreetMap contributors, ODbL 1.0.<br>"
        "Streets, the Ouche and Lac Kir are generated.</p>",
    ).format(version=_version())


def add_help_menu(window: QMainWindow) -> None:
    """A Help menu with the About box."""
    help_menu = window.menuBar().addMenu(QCoreApplication.translate("About", "&Help"))
    about = QAction(QCoreApplication.translate("About", "About and data sources…"), window)
    about.triggered.connect(
        lambda: QMessageBox.about(window, QCoreApplication.translate("About", "About"), about_text())
    )
    help_menu.addAction(about)
