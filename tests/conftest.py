"""Shared fixtures: the real application, a private mosquitto, the Dijon inventory, and a leak check."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from feeds.inventory import Inventory, load_inventory
from feeds.mosquitto import Mosquitto
from hypervisor import paths


@pytest.fixture(scope="session")
def qapp(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """The application as users get it (theme, translations), in English unless a test asks otherwise."""
    os.environ["XDG_CONFIG_HOME"] = str(tmp_path_factory.mktemp("config"))
    from hypervisor.app import make_application

    return make_application("en")


@pytest.fixture(scope="session", autouse=True)
def private_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    """The inventory caches of the tests' (and their processes') inventories stay out of the user's cache."""
    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("cache"))


@pytest.fixture(scope="session")
def dijon() -> Inventory:
    return load_inventory(paths.DIJON_INVENTORY)


@pytest.fixture
def mosquitto() -> Iterator[Mosquitto]:
    """A mosquitto of our own on a free loopback port, stopped after the test."""
    with Mosquitto() as broker:
        yield broker


@pytest.fixture(autouse=True)
def no_leaked_threads() -> Iterator[None]:
    """A test must stop every loop, writer and reader thread it started."""
    before = {t.ident for t in threading.enumerate()}
    yield
    leaked = [t.name for t in threading.enumerate()
              if t.ident not in before and t.is_alive() and t.name.startswith("hv-")]
    for thread in threading.enumerate():
        if thread.name in leaked:
            thread.join(5)
    still = [t.name for t in threading.enumerate() if t.name in leaked and t.is_alive()]
    assert not still, f"threads left running: {still}"
