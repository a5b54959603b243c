"""Nuisance benchmark: alarms per hour per domain on a normal simulated day, and faults detected.

Drives the city simulator and the alarm engine directly (no transport) over the full Dijon inventory,
stepping simulated time. A normal day must stay under EEMUA 191's "manageable" six alarms per hour per
domain; the same day with faults of every kind injected must raise an alarm for each fault.

    python -m benchmarks.nuisance                      # winter weekday, Thursday 15 January 2026
    python -m benchmarks.nuisance --date 2026-06-16    # a summer Tuesday
    python benchmarks/nuisance.py --summer             # both

An alarm counts when it reaches operators: a transition to ``unack`` (a raise, or a re-raise after it
returned to normal unacknowledged). Nobody acknowledges during the run, as in an unattended night.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from alerts import AlarmEngine, AlarmEvent, AlarmState, RuleSet, load_rules  # noqa: E402
from feeds.clock import CITY_ZONE  # noqa: E402
from feeds.inventory import Asset, Inventory, load_inventory  # noqa: E402
from feeds.simulator import FAULT_KINDS, CitySimulator, Fault  # noqa: E402
from feeds.simulator.faults import affected_assets  # noqa: E402

INVENTORY = ROOT / "assets" / "dijon" / "inventory.geojson"
RULES = ROOT / "assets" / "rules" / "default.toml"
CITY_TZ = ZoneInfo(CITY_ZONE)
WINTER_DAY = date(2026, 1, 15)
"""A Thursday in the heating season with a 16-hour night: lighting and heating rules at their busiest."""
SUMMER_DAY = date(2026, 6, 16)
"""A Tuesday near the solstice: short nights, no heating."""
DOMAINS = ("lighting", "heating", "waste", "water")
EEMUA_MANAGEABLE_PER_HOUR = 6
HOUR_MS = 3_600_000
MINUTE_MS = 60_000
WARM_UP_MS = HOUR_MS
"""Simulated before the measured day so that start-up (first reports, rate windows) is not counted."""
DETECTION_GRACE_MS = 10 * MINUTE_MS
"""A fault counts as detected by an alarm raised up to this long after it ended (off-delays, last report)."""
FAULT_DURATION_MS = {
    "cabinet_power_loss": 45 * MINUTE_MS,
    "lamp_fault": 2 * HOUR_MS,
    "boiler_failure": 2 * HOUR_MS,
    "container_fire": HOUR_MS,
    "main_burst": HOUR_MS,
    "pressure_drop": HOUR_MS,
    "sensor_silence": 4 * HOUR_MS,
}
"""Long enough for each rule's on-delay; silence must outlast the longest stale limit (5 x 30 min)."""
FAULTS_PER_KIND = 3
FAULT_TARGETS = {"cabinet_power_loss": ("cabinet",), "lamp_fault": ("luminaire",),
                 "boiler_failure": ("boiler", "substation"), "container_fire": ("container",),
                 "main_burst": ("flow_meter",), "pressure_drop": ("pressure_sensor",)}
"""Kinds of asset each fault is injected on (silence: ``SILENCED_KINDS``)."""
SILENCED_KINDS = ("luminaire", "cabinet", "boiler", "container", "pressure_sensor")
"""Silence is injected once on each of these, so every domain's stale rule is exercised."""


@dataclass
class DayRun:
    """What one simulated day raised: the events reaching operators, counted per domain, hour and rule."""

    start_ms: int
    raises: list[AlarmEvent] = field(default_factory=list)
    readings: int = 0
    wall_s: float = 0.0

    def per_hour(self, domain: str) -> np.ndarray:
        """Raises of ``domain`` in each hour of the measured day."""
        counts = np.zeros(24, dtype=int)
        for event in self.raises:
            if event.domain == domain:
                counts[min(23, (event.ts_ms - self.start_ms) // HOUR_MS)] += 1
        return counts

    def by_rule(self) -> Counter[str]:
        """Raises per rule id."""
        return Counter(event.rule_id for event in self.raises)


def day_start_ms(day: date) -> int:
    """Local midnight of ``day`` in Dijon, as epoch ms."""
    return int(datetime.combine(day, datetime.min.time(), CITY_TZ).timestamp() * 1000)


def raises_of(events: Iterable[AlarmEvent]) -> list[AlarmEvent]:
    """Events that put an alarm in front of operators (a new ``unack``)."""
    return [e for e in events if e.to_state == AlarmState.UNACK and e.from_state != AlarmState.UNACK]


def simulate_day(inventory: Inventory, ruleset: RuleSet, day: date, faults: Iterable[Fault] = (),
                 step_ms: int = 10_000, seed: int = 0, loss: float = 0.0) -> DayRun:
    """Step the simulator and the engine over ``day`` (after a warm-up hour); collect every raise.

    ``loss`` drops that share of messages at random, as a radio network (LoRaWAN, mesh) does.
    """
    lost = np.random.default_rng(seed + 1)
    start = day_start_ms(day)
    begin = start - WARM_UP_MS
    now = [begin]
    sim = CitySimulator(inventory, seed=seed, start_ms=begin)
    engine = AlarmEngine(inventory, ruleset, lambda: now[0])
    for fault in faults:
        sim.inject(fault)
    run = DayRun(start)
    wall = time.perf_counter()
    for t in range(begin, start + 24 * HOUR_MS + 1, step_ms):
        now[0] = t
        readings = sim.step(t)
        if loss and readings:
            kept = (lost.random(len(readings)) >= loss).tolist()
            readings = [r for r, keep in zip(readings, kept, strict=True) if keep]
        run.readings += len(readings)
        events = engine.on_readings(readings) + engine.tick(t)
        if t > start:
            run.raises += raises_of(events)
    run.wall_s = time.perf_counter() - wall
    return run


def fault_plan(inventory: Inventory, day: date, seed: int = 7) -> list[Fault]:
    """Faults of every kind on assets drawn across the city, starting at times spread over the day."""
    rng = np.random.default_rng(seed)
    start = day_start_ms(day)
    targets: list[tuple[str, Asset]] = []
    for kind in FAULT_KINDS:
        if kind == "sensor_silence":
            targets += [(kind, _draw(rng, inventory.of_kind(k))) for k in SILENCED_KINDS]
            continue
        pool = [asset for k in FAULT_TARGETS[kind] for asset in inventory.of_kind(k)]
        targets += [(kind, _draw(rng, pool)) for _ in range(FAULTS_PER_KIND)]
    latest = 24 * HOUR_MS - max(FAULT_DURATION_MS.values()) - DETECTION_GRACE_MS
    offsets = np.linspace(30 * MINUTE_MS, latest, len(targets)).astype(np.int64)
    rng.shuffle(offsets)
    return [Fault(kind, asset.id, start + int(offset), FAULT_DURATION_MS[kind])
            for (kind, asset), offset in zip(targets, offsets, strict=True)]


def _draw(rng: np.random.Generator, assets: list[Asset]) -> Asset:
    return assets[int(rng.integers(len(assets)))]


def related_assets(fault: Fault, inventory: Inventory) -> set[str]:
    """Where an alarm explains the fault: the assets it changes, their parent, children and district group."""
    asset = inventory[fault.asset_id]
    related = {f"district:{asset.district}", *affected_assets(fault, inventory), *inventory.children(asset.id)}
    if asset.parent is not None:
        related.add(asset.parent)
    return related


def detection(fault: Fault, inventory: Inventory, raises: list[AlarmEvent]) -> AlarmEvent | None:
    """The first alarm raised on an asset related to the fault while it lasted (plus a grace period)."""
    assert fault.start_ms is not None and fault.end_ms is not None
    related = related_assets(fault, inventory)
    return next((e for e in raises if e.asset_id in related
                 and fault.start_ms <= e.ts_ms <= fault.end_ms + DETECTION_GRACE_MS), None)


def report_normal_day(label: str, run: DayRun) -> bool:
    """Print the normal-day figures; True when every domain stays within EEMUA 191's manageable rate."""
    print(f"# {label}: {run.readings} readings, {run.wall_s:.0f} s wall")
    within = True
    for domain in DOMAINS:
        hours = run.per_hour(domain)
        mean = hours.sum() / 24
        within &= mean <= EEMUA_MANAGEABLE_PER_HOUR
        print(f"alarms_per_hour_{domain}={mean:.2f}")
        print(f"max_alarms_in_an_hour_{domain}={hours.max()}")
    for rule, count in sorted(run.by_rule().items(), key=lambda item: (-item[1], item[0])):
        print(f"normal_day_alarms_{rule}={count}")
    return within


def report_fault_day(run: DayRun, faults: list[Fault], inventory: Inventory) -> bool:
    """Print detections per fault kind; True when every injected fault raised an alarm."""
    print(f"# fault day: {run.readings} readings, {run.wall_s:.0f} s wall, {len(run.raises)} alarms raised")
    detected: Counter[str] = Counter()
    injected: Counter[str] = Counter(f.kind for f in faults)
    for fault in faults:
        hit = detection(fault, inventory, run.raises)
        assert fault.start_ms is not None
        if hit is None:
            print(f"# missed {fault.kind} on {fault.asset_id} at +{(fault.start_ms - run.start_ms) / HOUR_MS:.2f} h")
            continue
        detected[fault.kind] += 1
        print(f"# {fault.kind} on {fault.asset_id}: {hit.alarm_id} after {(hit.ts_ms - fault.start_ms) / 1000:.0f} s")
    explained = set().union(*(related_assets(f, inventory) for f in faults))
    unexplained = [e for e in run.raises if e.asset_id not in explained]
    for event in unexplained:
        print(f"# unexplained {event.alarm_id} at +{(event.ts_ms - run.start_ms) / HOUR_MS:.2f} h: {event.message}")
    for rule, count in sorted(run.by_rule().items(), key=lambda item: (-item[1], item[0])):
        print(f"fault_day_alarms_{rule}={count}")
    print(f"fault_day_unexplained_alarms={len(unexplained)}")
    print(f"faults_injected={len(faults)}")
    print(f"faults_detected={sum(detected.values())}")
    for kind in FAULT_KINDS:
        print(f"detected_{kind}={detected[kind]}/{injected[kind]}")
    return sum(detected.values()) == len(faults)


def main(argv: list[str] | None = None) -> int:
    """Run the normal day(s) and the fault day; exit status 1 when a budget is missed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--date", type=date.fromisoformat, default=WINTER_DAY, help="day to simulate (local)")
    parser.add_argument("--summer", action="store_true", help=f"also run a normal {SUMMER_DAY.isoformat()}")
    parser.add_argument("--rules", type=Path, nargs="+", default=[RULES])
    parser.add_argument("--step-s", type=float, default=10.0, help="simulated seconds per step")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--loss", type=float, default=0.0, help="share of messages lost in transit (0..1)")
    parser.add_argument("--no-faults", action="store_true", help="only the normal day(s)")
    args = parser.parse_args(argv)
    inventory = load_inventory(INVENTORY)
    ruleset, errors = load_rules(args.rules)
    for error in errors:
        print(f"# rule error: {error}")
    step_ms = int(args.step_s * 1000)
    print(f"assets={len(inventory)} rules={len(list(ruleset))} step_s={args.step_s:g} "
          f"day={args.date.isoformat()} loss={args.loss:g}")
    ok = report_normal_day(f"normal day {args.date.isoformat()}",
                           simulate_day(inventory, ruleset, args.date, step_ms=step_ms, seed=args.seed,
                                        loss=args.loss))
    if args.summer and args.date != SUMMER_DAY:
        ok &= report_normal_day(f"normal day {SUMMER_DAY.isoformat()}",
                                simulate_day(inventory, ruleset, SUMMER_DAY, step_ms=step_ms, seed=args.seed,
                                             loss=args.loss))
    if args.no_faults:
        print(f"within_budget={ok}")
        return 0 if ok else 1
    faults = fault_plan(inventory, args.date)
    fault_run = simulate_day(inventory, ruleset, args.date, faults, step_ms=step_ms, seed=args.seed,
                             loss=args.loss)
    ok &= report_fault_day(fault_run, faults, inventory)
    print(f"within_budget={ok}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
