"""The real ``hypervisor`` process as a user starts it: first frame, first values, idle CPU and memory.

    python -m benchmarks.console demo

Starts ``python -m hypervisor --lang en`` (the embedded demo: simulator, engine and console in one
process) with a fresh data directory, reads the two start-up lines the console logs, lets the city settle,
then measures the process's CPU (in % of one core) and resident memory with psutil. Targets: first frame
and first values within 3,000 ms, idle CPU under 3 %, memory under 600 MB.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

from hypervisor.console.startup import FIRST_FRAME, FIRST_VALUES

START_TIMEOUT_S = 300.0
SETTLE_S = float(os.environ.get("HV_BENCH_DEMO_SETTLE", "60"))
"""After the first values: the first full report of the city is digested before idling is measured."""
IDLE_S = float(os.environ.get("HV_BENCH_IDLE", "30"))


class _StartupLines:
    """Reads the process's log and notes when each start-up line arrives."""

    def __init__(self, process: subprocess.Popen[str], started: float) -> None:
        self.seen: dict[str, float] = {}
        self._started = started
        self._process = process
        self._thread = threading.Thread(target=self._read, name="bench-demo-log", daemon=True)
        self._thread.start()

    def _read(self) -> None:
        assert self._process.stderr is not None
        for line in self._process.stderr:
            for marker in (FIRST_FRAME, FIRST_VALUES):
                if marker in line and marker not in self.seen:
                    self.seen[marker] = (time.monotonic() - self._started) * 1000

    def wait(self, marker: str, timeout_s: float) -> float:
        deadline = time.monotonic() + timeout_s
        while marker not in self.seen:
            if time.monotonic() > deadline or self._process.poll() is not None:
                raise RuntimeError(f"the demo did not log {marker!r} within {timeout_s:.0f} s")
            time.sleep(0.05)
        return self.seen[marker]


def demo_figures() -> dict[str, float]:
    """Time to first frame and values from the process's start, then its idle CPU and memory."""
    with tempfile.TemporaryDirectory(prefix="hv-bench-demo-") as home:
        env = {**os.environ, "XDG_DATA_HOME": home, "XDG_CONFIG_HOME": home,
               "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}
        started = time.monotonic()
        process = subprocess.Popen([sys.executable, "-m", "hypervisor", "--lang", "en", "--log-level", "INFO"],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env,
                                   cwd=Path(__file__).resolve().parents[1])
        lines = _StartupLines(process, started)
        try:
            figures = {"first_frame_ms": lines.wait(FIRST_FRAME, START_TIMEOUT_S),
                       "first_values_ms": lines.wait(FIRST_VALUES, START_TIMEOUT_S)}
            time.sleep(SETTLE_S)
            measured = psutil.Process(process.pid)
            measured.cpu_percent(None)
            time.sleep(IDLE_S)
            figures["idle_cpu_pct"] = measured.cpu_percent(None)
            figures["rss_mb"] = measured.memory_info().rss / 2**20
            return figures
        finally:
            process.terminate()
            process.wait(timeout=30)
