"""The engine's chain keeper: links what the historian committed and signs the head every engine minute.

It runs on its own thread and connection beside the historian's writer, reading rows only once they are
committed, so the writer's transactions stay as they are. Close it after the historian: its last round
links the rows the writer's close committed and signs the final head.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path

from sqlite_utils import Database

from hypervisor.historian.schema import connect
from hypervisor.incident.chain import Signer, ensure_tables, extend

log = logging.getLogger(__name__)


class ChainKeeper:
    """Keeps the hash chain of one historian file; ``now_ms`` is the engine's clock."""

    def __init__(self, path: str | Path, signer: Signer, now_ms: Callable[[], int], period_s: float = 1.0) -> None:
        self.path = Path(path)
        self.signer = signer
        self.now_ms = now_ms
        self.period_s = period_s
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._db: Database | None = None
        self.linked = 0
        self.signatures = 0

    def start(self) -> None:
        self._db = connect(self.path)
        ensure_tables(self._db)
        self._thread = threading.Thread(target=self._run, name="hv-chain-keeper", daemon=True)
        self._thread.start()

    def close(self) -> None:
        """Link what is left, sign the final head, and close the file."""
        if self._thread is None:
            return
        self._stop.set()
        self._thread.join()
        self._thread = None
        assert self._db is not None
        try:
            self._round(force_sign=True)
        finally:
            self._db.close()

    def _round(self, force_sign: bool = False) -> None:
        assert self._db is not None
        linked, signed = extend(self._db, self.signer, self.now_ms(), force_sign)
        self.linked += linked
        self.signatures += int(signed)

    def _run(self) -> None:
        while not self._stop.wait(self.period_s):
            try:
                self._round()
            except Exception:  # a locked or full disk: the rows stay, the next round links them
                log.exception("the chain keeper could not extend the chain of %s; retrying", self.path)
