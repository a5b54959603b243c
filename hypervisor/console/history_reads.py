"""Historian queries for a console, run one at a time on a worker thread of their own."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from hypervisor.historian.reader import HistorianReader

log = logging.getLogger(__name__)


class HistoryReads:
    """Opens the reader on first use, answers through ``on_answer`` and reports failures to ``on_problem``.

    ``guard`` (a lock, for instance) is held around each query.
    """

    def __init__(self, open_reader: Callable[[], HistorianReader], on_answer: Callable[[object], None],
                 on_problem: Callable[[str], None], guard: contextlib.AbstractContextManager[Any] | None = None,
                 thread_name: str = "hv-history") -> None:
        self._open = open_reader
        self._answer = on_answer
        self._problem = on_problem
        self._guard = guard or contextlib.nullcontext()
        self._executor = ThreadPoolExecutor(1, thread_name_prefix=thread_name)
        self._reader: HistorianReader | None = None
        self._closed = False

    def submit(self, query: Callable[[HistorianReader], object]) -> None:
        if self._closed:
            return

        def run() -> None:
            if self._reader is None:
                self._reader = self._open()
            with self._guard:
                answer = query(self._reader)
            self._answer(answer)

        self.run(run)

    def run(self, job: Callable[[], object]) -> None:
        """Any other job on the same thread (its failure reported like a query's)."""
        self._executor.submit(job).add_done_callback(self.report)

    def report(self, future: Future[Any]) -> None:
        if future.cancelled():
            return
        exc = future.exception()
        if exc is not None:
            log.error("console request failed: %s", exc, exc_info=exc)
            self._problem(str(exc))

    def close(self) -> None:
        """Drop the queries still waiting, let the running one finish, close the reader, stop the thread."""
        self._closed = True
        self._executor.shutdown(wait=True, cancel_futures=True)
        self._close_reader()

    def _close_reader(self) -> None:
        if self._reader is not None:
            self._reader.close()
            self._reader = None
