"""``hypervisor report incident|alarms``: PDF (and CSV) reports drawn offscreen, no display needed."""

from __future__ import annotations

import argparse

from hypervisor.incident.scope import parse_instant


def run_report(args: argparse.Namespace) -> int:
    from hypervisor.reports.pdf import ensure_application

    ensure_application(args.lang)
    if args.action == "incident":
        from hypervisor.incident.keys import load_public_key
        from hypervisor.reports.incident_data import load_incident, write_csv
        from hypervisor.reports.incident_report import render_incident

        if not args.file.is_file():
            raise FileNotFoundError(f"no incident file at {args.file}")
        data = load_incident(args.file, load_public_key(args.key) if args.key else None)
        render_incident(data, args.output, args.tz)
        if args.csv:
            write_csv(data, args.csv)
        print(f"wrote {args.output}" + (f" and CSV files in {args.csv}" if args.csv else ""))
        print(data.verdict.summary().splitlines()[0])
        return 0
    from hypervisor.reports.alarm_figures import compute
    from hypervisor.reports.alarm_history import load_events, standing_before
    from hypervisor.reports.alarm_report import figures_csv, render_alarm_report

    if not args.historian.is_file():
        raise FileNotFoundError(f"no historian file at {args.historian}")
    since, until = parse_instant(args.since), parse_instant(args.until)
    if until <= since:
        raise ValueError("--to must come after --from")
    figures = compute(load_events(args.historian, since, until), since, until, args.positions,
                      standing_before(args.historian, since))
    render_alarm_report(figures, args.output, args.tz)
    if args.csv:
        figures_csv(figures, args.csv)
    print(f"wrote {args.output}: {figures.total} alarms, {figures.per_hour:.2f} per hour per position")
    return 0
