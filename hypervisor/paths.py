"""Where the shipped assets and the user's data live."""

from __future__ import annotations

import os
from pathlib import Path

ASSETS = Path(os.environ.get("HV_ASSETS", Path(__file__).resolve().parent.parent / "assets"))
DIJON_INVENTORY = ASSETS / "dijon" / "inventory.geojson"
DIJON_BASEMAP = ASSETS / "dijon" / "basemap.geojson"
DEFAULT_RULES = ASSETS / "rules" / "default.toml"
TRANSLATIONS = ASSETS / "translations"
SCENARIOS = ASSETS / "scenarios"


def user_data_dir() -> Path:
    """``$XDG_DATA_HOME/hypervisor`` (``~/.local/share/hypervisor``)."""
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "hypervisor"


def user_cache_dir() -> Path:
    """``$XDG_CACHE_HOME/hypervisor`` (``~/.cache/hypervisor``): files that can be made again, to start faster."""
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "hypervisor"
