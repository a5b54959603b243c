"""REPLAY benchmark: first frame, seek to painted frame, playback speed and GUI stalls, on a month of the city.

    python -m benchmarks.replay --file MONTH.sqlite      # a historian file already built
    python -m benchmarks.replay --days 3                 # build one with benchmarks.historian_month first

The real REPLAY window runs offscreen in this process on the full Dijon inventory. Figures:

- ``replay_first_frame_ms``: from opening the file to the first frame painted (window, map and list);
- ``replay_seek_paint_ms_p50`` / ``_p99``: 100 random instants of the period, from the seek to the
  window painted at that instant;
- ``replay_max_speed``: the highest of 1×, 10×, 60×, 600×, 3,600× (then doubling) at which playback with
  the whole city keeps up with wall time (at least 90 % of the asked speed over ``PLAY_SECONDS``);
- ``replay_gui_stall_max_ms``: the longest the GUI thread went without running a 5 ms timer, during
  ``PLAY_SECONDS`` of playback at 600×.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QElapsedTimer, QEventLoop, QSettings, QTimer

from benchmarks.common import dijon
from hypervisor.app import build_replay, make_application
from hypervisor.feed.address import ReplayAddress

SEEKS = 100
PLAY_SECONDS = 5.0
KEEP_UP = 0.9
SPEEDS = (1.0, 10.0, 60.0, 600.0, 3600.0, 7200.0, 14_400.0, 28_800.0)
TICK_MS = 5


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def spin(condition: Callable[[], bool], timeout_s: float = 60.0) -> None:
    """Run the Qt event loop until ``condition()`` holds."""
    deadline = time.monotonic() + timeout_s
    loop = QEventLoop()
    timer = QTimer()
    timer.setInterval(1)
    timer.timeout.connect(lambda: loop.quit() if condition() or time.monotonic() > deadline else None)
    timer.start()
    if not condition():
        loop.exec()
    timer.stop()
    if not condition():
        raise TimeoutError("condition not met in time")


class StallWatch:
    """The longest gap between runs of a 5 ms GUI timer."""

    def __init__(self) -> None:
        self.max_ms = 0.0
        self._clock = QElapsedTimer()
        self._timer = QTimer()
        self._timer.setInterval(TICK_MS)
        self._timer.timeout.connect(self._tick)

    def start(self) -> None:
        self.max_ms = 0.0
        self._clock.start()
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    def _tick(self) -> None:
        gap = self._clock.nsecsElapsed() / 1e6
        self._clock.restart()
        self.max_ms = max(self.max_ms, gap - TICK_MS)


def measure(path: Path, seed: int = 0, count: int = SEEKS) -> dict[str, float]:
    make_application("en")
    inventory = dijon()
    with tempfile.TemporaryDirectory(prefix="hv-replay-bench-") as tmp:
        settings = QSettings(str(Path(tmp) / "bench.ini"), QSettings.Format.IniFormat)
        started = time.perf_counter()
        window, source = build_replay(ReplayAddress(path), inventory, "director", settings)
        window.resize(1600, 960)
        window.show()
        source.start()
        spin(lambda: window.last_snapshot is not None)
        window.repaint()
        figures = {"replay_first_frame_ms": (time.perf_counter() - started) * 1000}
        print(f"# first frame after {figures['replay_first_frame_ms']:.0f} ms", flush=True)
        try:
            figures |= seeks(window, source, random.Random(seed), count)
            figures |= playback(window, source)
        finally:
            window.close()
            source.stop()
    return figures


def seeks(window: object, source: object, rng: random.Random, count: int = SEEKS) -> dict[str, float]:
    times = []
    for _ in range(count):
        at = rng.randint(source.start_ms, source.end_ms)
        started = time.perf_counter()
        source.seek(at)
        spin(lambda at=at: window.last_snapshot.now_ms == at)
        window.repaint()
        times.append((time.perf_counter() - started) * 1000)
        if len(times) % 20 == 0:
            print(f"# {len(times)} seeks, last {times[-1]:.0f} ms", flush=True)
    return {"replay_seek_paint_ms_p50": statistics.median(times), "replay_seek_paint_ms_p99": percentile(times, 0.99)}


def play(window: object, source: object, speed: float, watch: StallWatch | None = None) -> float:
    """Data seconds played per wall second at ``speed``, from the period's start."""
    source.pause()
    source.seek(source.start_ms)
    spin(lambda: window.last_snapshot.now_ms == source.start_ms)
    source.set_speed(speed)
    if watch is not None:
        watch.start()
    started = time.perf_counter()
    source.play()
    # The slope between 1 s in and the end: the painted instant lags by the GUI's latency, a constant.
    spin(lambda: time.perf_counter() - started >= 1.0 or not source.playing, 30)
    t1, n1 = time.perf_counter(), window.last_snapshot.now_ms
    spin(lambda: time.perf_counter() - started >= PLAY_SECONDS or not source.playing, PLAY_SECONDS + 30)
    t2, n2 = time.perf_counter(), window.last_snapshot.now_ms
    source.pause()
    if watch is not None:
        watch.stop()
    return (n2 - n1) / 1000 / (t2 - t1)


def playback(window: object, source: object) -> dict[str, float]:
    watch = StallWatch()
    play(window, source, 600.0, watch)
    figures = {"replay_gui_stall_max_ms": watch.max_ms}
    best = 0.0
    period_s = (source.end_ms - source.start_ms) / 1000
    for speed in SPEEDS:
        if speed * PLAY_SECONDS > period_s:
            break
        achieved = play(window, source, speed)
        print(f"# {speed:g}x: {achieved:.0f} data s per s", flush=True)
        if achieved < KEEP_UP * speed:
            break
        best = speed
    figures["replay_max_speed"] = best
    return figures


def month_file(days: int, seed: int = 0, faults_per_hour: float = 2.0) -> Path:
    """The month ``benchmarks.historian_month`` builds (and caches), built here if it is not there yet."""
    from benchmarks import historian_month

    cache = Path.home() / ".cache" / "hypervisor-bench"
    path, meta_path = historian_month.cached_month(cache, days, seed, faults_per_hour)
    if not meta_path.exists():
        cache.mkdir(parents=True, exist_ok=True)
        print(f"# building {days} days of the city into {path}", flush=True)
        meta = historian_month.build(path, days, seed, faults_per_hour)
        meta_path.write_text(json.dumps(meta))
    historian_month.current_layout(path)
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--file", type=Path, help="historian file to replay (default: build one)")
    parser.add_argument("--days", type=int, default=30, help="days of city history to build without --file")
    parser.add_argument("--seeks", type=int, default=SEEKS, help="random instants to seek to")
    args = parser.parse_args()
    path = args.file or month_file(args.days)
    for name, value in measure(path, count=args.seeks).items():
        print(f"{name}={value:.1f}" if "speed" not in name else f"{name}={value:.0f}", flush=True)


if __name__ == "__main__":
    main()
