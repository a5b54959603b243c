"""Render the city map alone on the shipped Dijon, at city zoom and at street zoom, as shown in the docs.

    QT_QPA_PLATFORM=offscreen python docs/map_screenshot.py docs/img/map-city.png docs/img/map-street.png

A few assets are put in alarm (a cabinet and its lamps, a container) so both pictures show colour where an
operator would look; the street view is centred on the first lamp of that cabinet.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np
from PySide6.QtGui import QImage

from feeds.inventory import load_inventory
from feeds.model import Domain
from hypervisor import paths
from hypervisor.app import load_basemap, make_application
from widgets.citymap import CityMapWidget, Priority

STREET_SCALE = 1.6
"""Pixels per metre of the street view: a block of houses is about 170 px long."""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("city", type=Path)
    parser.add_argument("street", type=Path)
    parser.add_argument("--cabinet", default="L-C-044")
    parser.add_argument("--size", default="1280x720")
    args = parser.parse_args()
    make_application("en")
    inventory = load_inventory(paths.DIJON_INVENTORY)
    widget = CityMapWidget()
    widget.resize(*(int(v) for v in args.size.split("x")))
    widget.set_basemap(load_basemap())
    domains = [d.value for d in Domain]
    widget.set_assets(inventory.lon, inventory.lat,
                      np.array([domains.index(a.domain) for a in inventory.assets], np.uint8),
                      [a.id for a in inventory.assets])
    priority = np.zeros(len(inventory.assets), np.uint8)
    lamps = [inventory.index[child] for child in inventory.children(args.cabinet)]
    priority[[inventory.index[args.cabinet], *lamps]] = Priority.CRITICAL
    priority[inventory.index["D-C-0107"]] = Priority.HIGH
    widget.set_states(priority, priority > 0)
    widget.show()
    widget.fit_city()
    _save(widget, args.city)
    widget.focus_asset(lamps[0])
    view = widget.view()
    widget._set_view(view.centred_on(view.centre_x, view.centre_y, STREET_SCALE))
    _save(widget, args.street)


def _save(widget: CityMapWidget, path: Path) -> None:
    image = QImage(widget.width(), widget.height(), QImage.Format.Format_ARGB32_Premultiplied)
    widget.render_frame(image)
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(str(path))
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
