"""Operator console benchmark: map frames, GUI-thread stalls, publish-to-painted latency, idle CPU, memory.

    python -m benchmarks.console                 # everything, about four minutes
    python -m benchmarks.console demo            # the real `hypervisor` process: start-up, idle CPU, memory
    python -m benchmarks.console maps            # only the map frames
    python -m benchmarks.console console         # only the live console figures (on a broker)

``HV_BENCH_WARMUP`` and ``HV_BENCH_IDLE`` (seconds, default 10 and 30) shorten the quiet-city phase
while working on the code; the published figures use the defaults. The live console runs first so that
its memory figure is not inflated by the 250,000-asset map frames.

The live figures run the real console window (offscreen) in this process on a private mosquitto, with
``hypervisor engine`` and ``hypervisor simulate`` (speed 1, no random faults) as separate processes on
the full Dijon inventory and the default rules, as a control room deploys them. Floods and alarms are
published by a child process of this module (``publish-flood``, ``publish-alarms``), so this process
only ever does the console's own work. Prints one ``name=value`` per line; docs/benchmarks-console.md
explains each figure.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QElapsedTimer, QEvent, QObject, QSettings, Qt, QTimer

FLOOD_MESSAGES = 50_000
FLOOD_ALARMS = 2_000
FLOOD_SECONDS = 10.0
LATENCY_SAMPLES = 200
LATENCY_SPACING_S = 0.25
IDLE_WARMUP_S = float(os.environ.get("HV_BENCH_WARMUP", "10"))
IDLE_SECONDS = float(os.environ.get("HV_BENCH_IDLE", "30"))
QUIET_MESSAGES_PER_S = 100.0
"""The full Dijon city at speed 1 averages ~48 messages/s once its first full report is out."""
TICK_MS = 5
FIRE_C = 85.0
"""Container temperature above the default ``container_fire`` threshold (70 °C, no on-delay)."""

_CLI = "import sys; from hypervisor.cli import main; sys.exit(main(sys.argv[1:]))"


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile (share in 0..1) of a non-empty list."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


# -- map frames ------------------------------------------------------------------------------------


def map_figures() -> dict[str, float]:
    """Full map frames at three inventory sizes and the naive pyqtgraph scatter, in the same run."""
    from benchmarks.map_frame import time_map_frame, time_naive_frame, time_pan_frame

    figures = {f"map_frame_ms_{n // 1000}k": time_map_frame(n) for n in (35_000, 100_000, 250_000)}
    figures["naive_frame_ms_100k"] = time_naive_frame(100_000)
    figures["naive_to_map_ratio_100k"] = figures["naive_frame_ms_100k"] / figures["map_frame_ms_100k"]
    figures["map_pan_frame_ms_100k"] = time_pan_frame(100_000)
    figures["map_zoom_frame_ms_100k"] = time_zoom_frame(100_000)
    return figures


def time_zoom_frame(n_assets: int, repeats: int = 9) -> float:
    """Median ms of a frame right after a +/- key zoom: the worst case, every path of the basemap is drawn."""
    from PySide6.QtGui import QImage

    from benchmarks.map_frame import FRAME_H, FRAME_W, _city_map, _key_event

    widget, data = _city_map(n_assets)
    widget.set_states(data["priority"], data["unacked"], data["stale"])
    image = QImage(FRAME_W, FRAME_H, QImage.Format.Format_ARGB32_Premultiplied)
    widget.render_frame(image)
    times = []
    for k in range(repeats):
        start = time.perf_counter()
        widget.keyPressEvent(_key_event("Plus" if k % 2 else "Minus"))
        widget.render_frame(image)
        times.append((time.perf_counter() - start) * 1e3)
    return statistics.median(times)


# -- publishers (child processes) ------------------------------------------------------------------


def _asset_ids() -> tuple[list[str], list[str]]:
    """Containers and luminaires of the Dijon inventory, in inventory order."""
    from feeds.inventory import load_inventory
    from hypervisor import paths

    inventory = load_inventory(paths.DIJON_INVENTORY)
    return [a.id for a in inventory.assets if a.kind == "container"], [
        a.id for a in inventory.assets if a.kind == "luminaire"
    ]


def _publisher(url: str) -> object:
    import paho.mqtt.client as mqtt

    host, port = url.split("://", 1)[1].rsplit(":", 1)
    client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=f"hv-bench-{os.getpid()}")
    client.max_queued_messages_set(0)
    client.connect(host, int(port))
    client.loop_start()
    return client


def _telemetry(domain: str, asset_id: str, metrics: dict[str, object]) -> tuple[str, bytes]:
    body = {"ts": int(time.time() * 1000), "metrics": metrics}
    return f"hv/v1/{domain}/{asset_id}/telemetry", json.dumps(body).encode()


def publish_flood(url: str) -> None:
    """50,000 telemetry messages in 10 s, of which 2,000 container fires, evenly interleaved."""
    containers, luminaires = _asset_ids()
    client = _publisher(url)
    every = FLOOD_MESSAGES // FLOOD_ALARMS
    start = time.monotonic()
    for k in range(FLOOD_MESSAGES):
        if k % every == every - 1:
            topic, payload = _telemetry("waste", containers[k // every], {"temp_c": FIRE_C, "fill_pct": 40.0})
        else:
            lamp = {"on": True, "dim_pct": 80.0, "power_w": 41.5, "fault": False}
            topic, payload = _telemetry("lighting", luminaires[k % len(luminaires)], lamp)
        client.publish(topic, payload, qos=0)
        ahead = start + (k + 1) * FLOOD_SECONDS / FLOOD_MESSAGES - time.monotonic()
        if ahead > 0.002:
            time.sleep(ahead)
    client.loop_stop()
    client.disconnect()


def publish_alarms(url: str) -> None:
    """One fresh container fire every 250 ms; prints {asset_id: publish epoch s} when done."""
    containers, _ = _asset_ids()
    client = _publisher(url)
    sent: dict[str, float] = {}
    for asset_id in containers[FLOOD_ALARMS : FLOOD_ALARMS + LATENCY_SAMPLES]:
        topic, payload = _telemetry("waste", asset_id, {"temp_c": FIRE_C, "fill_pct": 40.0})
        sent[asset_id] = time.time()
        client.publish(topic, payload, qos=1).wait_for_publish()
        time.sleep(LATENCY_SPACING_S)
    client.loop_stop()
    client.disconnect()
    print(json.dumps(sent))


# -- the live console ------------------------------------------------------------------------------


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _child(*args: str, stdout: int | None = subprocess.DEVNULL) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, *args], stdout=stdout, stderr=subprocess.DEVNULL,
                            cwd=Path(__file__).resolve().parents[1])


class ConsoleRun:
    """Drives one console through idle, flood and latency phases with timers; never pumps the loop."""

    def __init__(self, url: str, work: Path) -> None:
        from feeds.inventory import load_inventory
        from feeds.links import Links
        from hypervisor import paths
        from hypervisor.app import build_console, make_application
        from hypervisor.deployment import BrokerDeployment

        self.app = make_application("en")
        self.url = url
        self.figures: dict[str, float] = {}
        inventory = load_inventory(paths.DIJON_INVENTORY)
        settings = QSettings(str(work / "layout.ini"), QSettings.Format.IniFormat)
        deployment = BrokerDeployment(Links(), url.replace("://", "://bench@"))
        self.window, self.source = build_console(deployment, inventory, "bench", settings=settings)
        self.window.resize(1600, 960)
        self._ticker = QTimer()
        self._ticker.setTimerType(Qt.TimerType.PreciseTimer)
        self._ticker.setInterval(TICK_MS)
        self._ticker.timeout.connect(self._tick)
        self._clock = QElapsedTimer()
        self._gaps: list[float] = []
        self._last_tick = 0.0
        self._unpainted: list[str] = []
        self._painted: dict[str, float] = {}
        self._paint_watch = PaintWatch(self._on_paint)

    # phases ----------------------------------------------------------------------------------------

    def run(self) -> dict[str, float]:
        self.window.show()
        self.source.start()
        self._wait(self._engine_online, 60.0, self._warm_up)
        self.app.exec()
        self.source.stop()
        return self.figures

    def _engine_online(self) -> bool:
        snap = self.window.last_snapshot
        return snap is not None and snap.link.engine_online and snap.link.state == "connected"

    def _warm_up(self) -> None:
        """The simulator first publishes every asset's state at once; the city is quiet after that."""
        QTimer.singleShot(int(IDLE_WARMUP_S * 1000), lambda: self._wait(self._quiet, 120.0, self._measure_idle))

    def _quiet(self) -> bool:
        snap = self.window.last_snapshot
        return snap is not None and snap.link.messages_per_s < QUIET_MESSAGES_PER_S

    def _measure_idle(self) -> None:
        cpu, wall = time.process_time(), time.monotonic()

        def done() -> None:
            used = (time.process_time() - cpu) / (time.monotonic() - wall)
            self.figures["broker_console_idle_cpu_pct"] = 100.0 * used
            self.figures["broker_console_rss_mb"] = _rss_mb()
            self._flood()

        QTimer.singleShot(int(IDLE_SECONDS * 1000), done)

    def _flood(self) -> None:
        model = self.window.alarms.model
        before = model.rowCount()
        publisher = _child("-m", "benchmarks.console", "publish-flood", self.url)
        self._start_ticks()
        flood_started = time.monotonic()

        def finished() -> None:
            self._ticker.stop()
            self.figures["gui_stall_max_ms"] = max(self._gaps)
            self.figures["gui_stall_p99_ms"] = percentile(self._gaps, 0.99)
            self.figures["flood_alarms_listed"] = model.rowCount() - before
            self.figures["flood_all_listed_s"] = time.monotonic() - flood_started
            self._latency()

        self._wait(lambda: publisher.poll() is not None and model.rowCount() - before >= FLOOD_ALARMS,
                   60.0, finished)

    def _latency(self) -> None:
        model = self.window.alarms.model
        model.rowsInserted.connect(self._rows_arrived)
        for view in (self.window.alarms.table, self.window.alarms.tree):
            view.viewport().installEventFilter(self._paint_watch)
        publisher = _child("-m", "benchmarks.console", "publish-alarms", self.url, stdout=subprocess.PIPE)

        def finished() -> None:
            sent = json.loads(publisher.communicate()[0])
            latencies = [(self._painted[a] - t) * 1e3 for a, t in sent.items() if a in self._painted]
            self.figures["paint_latency_p50_ms"] = statistics.median(latencies)
            self.figures["paint_latency_p99_ms"] = percentile(latencies, 0.99)
            self.figures["paint_latency_samples"] = len(latencies)
            self.app.quit()

        self._wait(lambda: publisher.poll() is not None, 120.0,
                   lambda: self._wait(lambda: len(self._painted) >= LATENCY_SAMPLES, 10.0, finished, finished))

    # measurements ----------------------------------------------------------------------------------

    def _start_ticks(self) -> None:
        self._gaps.clear()
        self._clock.start()
        self._last_tick = 0.0
        self._ticker.start()

    def _tick(self) -> None:
        now = self._clock.nsecsElapsed() / 1e6
        self._gaps.append(max(0.0, now - self._last_tick - TICK_MS))
        self._last_tick = now

    def _rows_arrived(self, parent: object, first: int, last: int) -> None:
        model = self.window.alarms.model
        self._unpainted.extend(model.row(position).asset_id for position in range(first, last + 1))

    def _on_paint(self) -> None:
        """The first paint of the shown alarm view after a row arrived is when the operator can see it."""
        now = time.time()
        for asset_id in self._unpainted:
            self._painted.setdefault(asset_id, now)
        self._unpainted.clear()

    def _wait(self, condition: Callable[[], bool], timeout_s: float, then: Callable[[], None],
              otherwise: Callable[[], None] | None = None) -> None:
        """Check ``condition`` every 50 ms from the event loop; ``then`` once true, ``otherwise`` on timeout."""
        deadline = time.monotonic() + timeout_s

        def check() -> None:
            if condition():
                then()
            elif time.monotonic() <= deadline:
                QTimer.singleShot(50, check)
            elif otherwise is not None:
                otherwise()
            else:
                print(f"benchmark phase timed out after {timeout_s} s", file=sys.stderr)
                self.app.quit()

        check()


class PaintWatch(QObject):
    """An event filter that reports paint events of the alarm views' viewports."""

    def __init__(self, on_paint: Callable[[], None]) -> None:
        super().__init__()
        self._on_paint = on_paint

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self._on_paint()
        return False


def console_figures() -> dict[str, float]:
    """Start broker, engine and simulator; run the console through its phases; stop everything."""
    from feeds.mosquitto import Mosquitto
    from hypervisor import paths

    with tempfile.TemporaryDirectory(prefix="hv-bench-console-") as tmp, Mosquitto() as broker:
        work = Path(tmp)
        engine = _child("-c", _CLI, "engine", "--broker", broker.url, "--historian", str(work / "h.sqlite"),
                        "--rules", str(paths.DEFAULT_RULES), "--log-level", "ERROR")
        simulator = _child("-c", _CLI, "simulate", "--broker", broker.url, "--speed", "1", "--log-level", "ERROR")
        try:
            return ConsoleRun(broker.url, work).run()
        finally:
            for process in (simulator, engine):
                process.terminate()
                process.wait(timeout=20)


def main(argv: list[str]) -> None:
    """Run the pieces asked for (``maps``, ``console``; both by default), or a publisher."""
    if argv[:1] == ["publish-flood"]:
        publish_flood(argv[1])
        return
    if argv[:1] == ["publish-alarms"]:
        publish_alarms(argv[1])
        return
    pieces = argv or ["demo", "console", "maps"]
    figures: dict[str, float] = {}
    if "demo" in pieces:
        from benchmarks.demo_process import demo_figures

        figures.update(demo_figures())
    if "console" in pieces:
        figures.update(console_figures())
    if "maps" in pieces:
        figures.update(map_figures())
    for name, value in figures.items():
        print(f"{name}={value:.2f}" if isinstance(value, float) else f"{name}={value}")


if __name__ == "__main__":
    main(sys.argv[1:])
