"""Incident files and reports over a month of the simulated city.

Builds (or reuses) a month (``--days``) of the whole of simulated Dijon with ``benchmarks.historian_month``,
chains and signs its alarm events as the engine would, then times: the export of the 6 hours with the
most alarm events (the whole city), the export's verification, the incident report (PDF and CSV) and the
alarm performance report of the whole history.

    python -m benchmarks.incident [--days 30] [--seed 0] [--faults-per-hour 2] [--rebuild]
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import tempfile
import time
from pathlib import Path

from benchmarks import historian_month
from benchmarks.common import dijon
from feeds.clock import CITY_ZONE
from hypervisor import paths
from hypervisor.historian.schema import DAY_MS, connect
from hypervisor.incident.chain import Signer, ensure_tables, seal_history
from hypervisor.incident.export import ExportSources, export_incident
from hypervisor.incident.keys import deployment_key
from hypervisor.incident.scope import ExportScope
from hypervisor.incident.verify import verify_file

INCIDENT_MS = 6 * 3_600_000
HOUR_MS = 3_600_000


def history(cache: Path, days: int, seed: int, faults_per_hour: float, rebuild: bool) -> Path:
    """The month, built once into the cache (or copied from ``historian_month``'s cache) and sealed with a
    key of its own."""
    built = historian_month.month_name(days, seed, faults_per_hour)
    path, done = cache / f"incident-{built}.sqlite", cache / f"incident-{built}.json"
    if rebuild or not done.exists():
        for stale in (path, Path(f"{path}-wal"), Path(f"{path}-shm"), done):
            stale.unlink(missing_ok=True)
        theirs, their_meta = historian_month.cached_month(cache, days, seed, faults_per_hour)
        if not rebuild and their_meta.exists():
            shutil.copy(theirs, path)
            meta = json.loads(their_meta.read_text())
        else:
            meta = historian_month.build(path, days, seed, faults_per_hour)
        db = connect(path)
        try:
            ensure_tables(db)
            started = time.perf_counter()
            links, signatures = seal_history(db, Signer(deployment_key(cache / f"incident-{built}.pem")))
            meta.update(seal_s=round(time.perf_counter() - started, 2), links=links, signatures=signatures)
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            db.close()
        done.write_text(json.dumps(meta))
    else:
        print(f"# cached file {path}", flush=True)
        historian_month.current_layout(path)
    return path


def busiest_window(path: Path) -> tuple[int, int]:
    """The 6 hours (on whole hours) holding the most alarm events."""
    with sqlite3.connect(path) as db:
        hours = dict(db.execute("SELECT ts_ms / ? AS h, count(*) FROM alarm_events GROUP BY h", [HOUR_MS]))
    if not hours:
        raise SystemExit("the history holds no alarm event: nothing to export")
    first, last = min(hours), max(hours)
    best = max(range(first, max(first, last - 5) + 1), key=lambda h: sum(hours.get(h + k, 0) for k in range(6)))
    return best * HOUR_MS, best * HOUR_MS + INCIDENT_MS


def timed(label: str, action):  # type: ignore[no-untyped-def]
    """The action's result and wall time; the CPU time is printed too, as the wall time of a shared
    machine says more about its other users than about the action."""
    started, cpu = time.perf_counter(), time.process_time()
    result = action()
    elapsed = time.perf_counter() - started
    print(f"# {label}: {elapsed:.2f} s (cpu {time.process_time() - cpu:.2f} s)", flush=True)
    return result, elapsed


def main() -> None:
    parser = historian_month.month_arguments(__doc__)
    parser.add_argument("--keep", type=Path, help="folder to keep the export and the reports in")
    args = parser.parse_args()
    args.cache.mkdir(parents=True, exist_ok=True)
    path = history(args.cache, args.days, args.seed, args.faults_per_hour, args.rebuild)
    since, until = busiest_window(path)
    inventory = dijon()
    files = ExportSources(paths.DIJON_INVENTORY, (paths.DEFAULT_RULES,), paths.DIJON_BASEMAP)
    from hypervisor.reports.alarm_figures import compute
    from hypervisor.reports.alarm_history import load_events, standing_before
    from hypervisor.reports.alarm_report import render_alarm_report
    from hypervisor.reports.incident_data import load_incident, write_csv
    from hypervisor.reports.incident_report import render_incident
    from hypervisor.reports.pdf import ensure_application

    ensure_application("en")
    with tempfile.TemporaryDirectory(prefix="hv-incident-") as tmp:
        out = args.keep or Path(tmp)
        out.mkdir(parents=True, exist_ok=True)
        target = out / "incident.sqlite"
        target.unlink(missing_ok=True)
        result, export_s = timed("export", lambda: export_incident(path, target, ExportScope(since, until),
                                                                   inventory, files, "benchmark"))
        verdict, verify_s = timed("verify", lambda: verify_file(target))
        assert verdict.exit_code == 0, verdict.summary()

        def incident_report() -> None:
            data = load_incident(target)
            render_incident(data, out / "incident.pdf", CITY_ZONE)
            write_csv(data, out / "incident-csv")

        _, report_s = timed("incident report", incident_report)
        start = historian_month.START_MS
        end = start + args.days * DAY_MS

        def month_report() -> None:
            figures = compute(load_events(path, start, end), start, end, 1, standing_before(path, start))
            render_alarm_report(figures, out / "alarms.pdf", CITY_ZONE)

        _, month_s = timed("alarm report", month_report)
    print(f"# incident {since}..{until}: {result.events} alarm events, {result.blocks} blocks,"
          f" {result.keyframes} keyframes, {verdict.links} links")
    print(f"incident_export_s={export_s:.2f}")
    print(f"incident_file_mb={result.bytes / 1e6:.1f}")
    print(f"incident_verify_s={verify_s:.2f}")
    print(f"incident_report_s={report_s:.2f}")
    print(f"alarm_report_month_s={month_s:.2f}")


if __name__ == "__main__":
    main()
