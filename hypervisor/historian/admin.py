"""``hypervisor historian info|compact|backup|check|import|rekey``: administering a historian file (its
command line is in ``admin_parser``)."""

from __future__ import annotations

import argparse
import itertools
import sqlite3
import sys
from typing import Any

from tqdm import tqdm

from hypervisor.historian.codec import BlockError, decode_block
from hypervisor.historian.compaction import CompactionResult, closed_hours, compact_hour
from hypervisor.historian.import_file import ImportFileError, import_file
from hypervisor.historian.keyframes import AssetKeys, KeyframeWriter
from hypervisor.historian.maintenance import file_bytes
from hypervisor.historian.rekey import needs_rekey, rekey
from hypervisor.historian.retention import apply_retention
from hypervisor.historian.schema import TELEMETRY_HOUR_MS, connect
from hypervisor.historian.settings import HistorySettings

BACKUP_PAGES_PER_STEP = 4096


def run(args: argparse.Namespace) -> int:
    """Run one action; 0 on success, 1 when ``check`` finds a problem, 2 on bad input."""
    if args.action != "import" and not args.historian.is_file():
        print(f"hypervisor historian: no historian file at {args.historian}", file=sys.stderr)
        return 2
    try:
        return {"info": info, "compact": compact, "backup": backup, "check": check, "import": import_,
                "rekey": rekey_}[args.action](args)
    except ImportFileError as exc:
        print(f"hypervisor historian import: {exc}", file=sys.stderr)
        return 2


def _scalar(db: Any, sql: str, params: list[Any] | None = None) -> Any:
    return db.execute(sql, params or []).fetchone()[0]


def info(args: argparse.Namespace) -> int:
    db = connect(args.historian)
    try:
        sizes = dict(db.execute("SELECT name, sum(pgsize) FROM dbstat GROUP BY name ORDER BY 2 DESC").fetchall())
        raw = _scalar(db, "SELECT count(*) FROM telemetry")
        compacted = _scalar(db, "SELECT coalesce(sum(readings), 0) FROM telemetry_blocks")
        first = min((t for t in (_scalar(db, "SELECT min(ts_ms) FROM telemetry"),
                                 _scalar(db, "SELECT min(first_ms) FROM telemetry_blocks")) if t is not None),
                    default=None)
        last = max((t for t in (_scalar(db, "SELECT max(ts_ms) FROM telemetry"),
                                _scalar(db, "SELECT max(last_ms) FROM telemetry_blocks")) if t is not None),
                   default=None)
        keyframes = _scalar(db, "SELECT count(*) FROM keyframes")
    finally:
        db.close()
    total = file_bytes(args.historian)
    print(f"file: {args.historian} ({total / 1e6:.1f} MB with its WAL)")
    if first is not None:
        span_days = (last - first) / 86_400_000
        print(f"time span: {_iso(first)} to {_iso(last)} ({span_days:.1f} days)")
    print(f"readings: {raw + compacted} ({raw} raw, {compacted} compacted); keyframes: {keyframes}")
    raw_bytes = sizes.get("telemetry", 0) + sum(v for k, v in sizes.items() if k.startswith("idx_telemetry_"))
    block_bytes = sizes.get("telemetry_blocks", 0) + sum(v for k, v in sizes.items()
                                                        if "telemetry_blocks" in k and k != "telemetry_blocks")
    if raw:
        print(f"raw: {raw_bytes / raw:.1f} bytes per reading")
    if compacted:
        print(f"compacted: {block_bytes / compacted:.2f} bytes per reading")
        if raw:
            print(f"compression ratio: {raw_bytes / raw / (block_bytes / compacted):.0f}x")
    print("size by table and index:")
    for name, size in sizes.items():
        print(f"  {name:<40} {size / 1e6:10.2f} MB")
    return 0


def _iso(ms: int) -> str:
    import datetime as dt

    return dt.datetime.fromtimestamp(ms / 1000, dt.UTC).isoformat(timespec="seconds")


def compact(args: argparse.Namespace) -> int:
    settings = HistorySettings(raw_retention_days=args.raw_days, pause_s=0)
    db = connect(args.historian)
    try:
        keys = AssetKeys(db)
        writer = KeyframeWriter(db, settings.keyframe_interval_ms, settings.full_keyframe_every)
        newest = _scalar(db, "SELECT max(ts_ms) FROM telemetry")
        if newest is None:
            print("nothing raw to compact")
            return 0
        written = writer.build_from_raw(keys, newest - settings.keyframe_grace_ms)
        built = writer.last_ms if writer.last_ms is not None else -1
        before = min(newest // TELEMETRY_HOUR_MS, (built + 1) // TELEMETRY_HOUR_MS) * TELEMETRY_HOUR_MS
        result = CompactionResult()
        for hour in tqdm(closed_hours(db, before), desc="compacting", unit="hour"):
            compact_hour(db, hour, result)
        newest_block = _scalar(db, "SELECT max(last_ms) FROM telemetry_blocks") or newest
        dropped = apply_retention(db, max(newest, newest_block), settings.raw_retention_days,
                                  settings.rollup_retention_days)
    finally:
        db.close()
    print(f"{written} keyframes written; {result.hours} hours compacted ({result.readings} readings, "
          f"{result.duplicates} duplicates dropped); {dropped.blocks_dropped} day blocks past retention")
    return 0


def backup(args: argparse.Namespace) -> int:
    if args.dest.exists():
        print(f"hypervisor historian backup: {args.dest} exists; choose a new file", file=sys.stderr)
        return 2
    source = sqlite3.connect(args.historian)
    target = sqlite3.connect(args.dest)
    bar = tqdm(desc="backup", unit="page")
    try:
        def progress(_status: int, remaining: int, total: int) -> None:
            bar.total = total
            bar.n = total - remaining
            bar.refresh()

        source.backup(target, pages=BACKUP_PAGES_PER_STEP, progress=progress)
    finally:
        bar.close()
        target.close()
        source.close()
    print(f"backup written to {args.dest} ({args.dest.stat().st_size / 1e6:.1f} MB)")
    return 0


def check(args: argparse.Namespace) -> int:
    problems: list[str] = []
    db = connect(args.historian)
    try:
        verdict = _scalar(db, "PRAGMA integrity_check")
        if verdict != "ok":
            problems.append(f"integrity check: {verdict}")
        count = _scalar(db, "SELECT count(*) FROM telemetry_blocks")
        blocks = db.execute("SELECT asset_id, day, readings, data FROM telemetry_blocks")
        for asset_id, day, readings, blob in tqdm(blocks, total=count, desc="blocks", unit="block"):
            try:
                ts, _ = decode_block(blob)
            except BlockError as exc:
                problems.append(f"block {asset_id} day {day}: {exc}")
                continue
            if len(ts) != readings:
                problems.append(f"block {asset_id} day {day}: holds {len(ts)} readings, says {readings}")
        problems += _keyframe_chain(db)
    finally:
        db.close()
    for problem in problems:
        print(f"problem: {problem}")
    print("check passed" if not problems else f"{len(problems)} problems found")
    return 1 if problems else 0


def _keyframe_chain(db: Any) -> list[str]:
    rows = db.execute("SELECT ts_ms, full FROM keyframes ORDER BY ts_ms").fetchall()
    if not rows:
        return []
    problems = []
    if not rows[0][1]:
        problems.append(f"the first keyframe ({_iso(rows[0][0])}) holds no full frame")
    steps = {b[0] - a[0] for a, b in itertools.pairwise(rows)}
    if len(steps) > 1:
        problems.append(f"keyframes are not evenly spaced: gaps of {sorted(steps)} ms")
    return problems


def import_(args: argparse.Namespace) -> int:
    with tqdm(desc="importing", unit="reading") as bar:
        count = import_file(args.historian, args.file, args.domain, bar.update)
    print(f"{count} readings imported into {args.historian}; `hypervisor historian compact` compacts them now")
    return 0



def rekey_(args: argparse.Namespace) -> int:
    if args.full_every <= 0:
        print("hypervisor historian rekey: --full-every must be at least 1", file=sys.stderr)
        return 2
    db = connect(args.historian)
    try:
        if not needs_rekey(db, args.full_every):
            print(f"keyframes already have a full one every {args.full_every}")
            return 0
        with tqdm(desc="keyframes", unit="keyframe") as bar:
            def progress(done: int, total: int) -> None:
                bar.total = total
                bar.n = done
                bar.refresh()

            result = rekey(db, args.full_every, progress)
    finally:
        db.close()
    print(f"{result.keyframes} keyframes rewritten ({result.made_full} made full, {result.made_partial} made"
          " partial); the space they freed is reused by new data (VACUUM returns it to the disk)")
    return 0
