"""An asyncio event loop on a thread of its own: the GUI thread never runs transports or the engine."""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import ctypes
import gc
import logging
import sys
import threading
from collections.abc import Callable, Coroutine, Iterator
from typing import Any, TypeVar

log = logging.getLogger(__name__)
T = TypeVar("T")


def keep_gil_turns_within(seconds: float) -> None:
    """Let a thread that waits for Python's GIL (the GUI painting, a drill's clock) have it back within
    ``seconds`` of a busy thread's turn; a shorter turn already set by another part stays.

    Socket, SQLite and Qt calls release the GIL and take it back; at Python's default turn of 5 ms each
    of the hundreds of such calls a step or a repaint makes can wait that long behind a busy thread.
    """
    sys.setswitchinterval(min(sys.getswitchinterval(), seconds))


def settle_heap() -> None:
    """Set aside what start-up built (modules, inventory, map, window) from the garbage collector.

    A full collection walks every container object alive: over a started console's 166,000 it took
    225 ms, which landed as a frozen frame or a slow seek whenever it came. Frozen objects are never
    walked again, so later collections cost what the objects made since cost. No collection first:
    at that point one found no garbage at all.
    """
    gc.freeze()


def _malloc_trim() -> Callable[[int], int] | None:
    """glibc's ``malloc_trim`` among the symbols the process already has, or None on a C library without it
    (looking the library up by name would run ``ldconfig`` at every import)."""
    try:
        return ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError, TypeError):
        return None


_TRIM = _malloc_trim()


def return_freed_memory() -> None:
    """Give the system back the memory that was freed but kept by the C allocator.

    glibc keeps what its per-thread arenas free for reuse: after the start of the demo (the first report
    of the whole city through the simulator, the console and the engine) a console held 160 MB it no
    longer used (740 MB resident, 580 MB after a trim). The call releases the GIL (ctypes) and takes a
    few milliseconds; nothing happens where the C library has no ``malloc_trim``.
    """
    if _TRIM is not None:
        _TRIM(0)


async def return_freed_memory_every(period_s: float) -> None:
    """``return_freed_memory`` every ``period_s`` on the running loop, until cancelled: after start-up,
    and after each flood a long shift brings."""
    while True:
        await asyncio.sleep(period_s)
        return_freed_memory()


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """No garbage collection while a burst of long-lived objects is built (a seek's thousand alarm
    records): each collection in between would walk the ones already made, and promote them to be walked
    again. What was allocated is collected after, in one pass. (msgspec's documentation advises the same
    for large decodes.)"""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


class BackgroundLoop:
    """Runs one main coroutine until ``stop()``; other coroutines can be submitted from any thread."""

    def __init__(self, name: str = "hv-loop") -> None:
        self.name = name
        self.loop: asyncio.AbstractEventLoop | None = None
        self.error: BaseException | None = None
        self._thread: threading.Thread | None = None
        self._main: asyncio.Task[Any] | None = None
        self._ready = threading.Event()

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self, main: Callable[[], Coroutine[Any, Any, Any]]) -> None:
        def run() -> None:
            loop = asyncio.new_event_loop()
            self.loop = loop
            asyncio.set_event_loop(loop)
            self._main = loop.create_task(main(), name=f"{self.name}-main")
            self._ready.set()
            try:
                loop.run_until_complete(self._main)
            except asyncio.CancelledError:
                pass
            except Exception as exc:
                self.error = exc
                log.exception("%s stopped on an error", self.name)
            finally:
                pending = [t for t in asyncio.all_tasks(loop) if not t.done()]
                for task in pending:
                    task.cancel()
                loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
                loop.run_until_complete(loop.shutdown_default_executor())
                loop.close()

        self._thread = threading.Thread(target=run, name=self.name, daemon=True)
        self._thread.start()
        self._ready.wait()

    def submit(self, coroutine: Coroutine[Any, Any, T]) -> concurrent.futures.Future[T]:
        if self.loop is None or not self.running:
            coroutine.close()
            raise RuntimeError(f"{self.name} is not running")
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop)

    def stop(self, timeout_s: float = 15.0) -> None:
        if self.loop is not None and self._main is not None and self.running:
            self.loop.call_soon_threadsafe(self._main.cancel)
        if self._thread is not None:
            self._thread.join(timeout_s)
            if self._thread.is_alive():
                log.error("%s did not stop within %.0f s", self.name, timeout_s)
            self._thread = None
