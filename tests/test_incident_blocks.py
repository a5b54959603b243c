"""An incident file carries the source's readings over its window exactly, edges included."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from feeds.inventory import Asset, Inventory
from feeds.model import Measurement
from hypervisor.historian.codec import block_rows, decode_block, encode_rows, slice_block
from hypervisor.historian.reader import HistorianReader
from hypervisor.incident.export import ExportSources, export_incident
from hypervisor.incident.scope import ExportScope
from tests.test_historian_compaction import HOUR, T0, compact_all, odd_values, typed, write_raw

STEP = 420_000
ASSETS = ("A-0", "A-1", "A-2")


def test_a_cut_block_reads_back_as_the_source_rows_of_its_window() -> None:
    times = [T0 + n * 1_000 + (n * n) % 7 for n in range(23)]
    rows = [odd_values(n) for n in range(23)]
    blob = encode_rows(times, rows)
    source = typed(list(zip(times, rows, strict=True)))
    for start in range(len(times)):
        for stop in range(start + 1, len(times) + 1):
            since, until = times[start], times[stop] if stop < len(times) else times[-1] + 1
            first, last, count, cut = slice_block(blob, since, until)
            got = typed(block_rows(*decode_block(cut)))
            assert got == source[start:stop], (start, stop)
            assert (first, last, count) == (times[start], times[stop - 1], stop - start)
    assert slice_block(blob, times[0], times[-1] + 1) == (times[0], times[-1], len(times), blob), "kept as stored"
    assert slice_block(blob, times[-1] + 1, times[-1] + 10) is None
    assert slice_block(blob, times[3] + 1, times[4]) is None


def test_a_cut_keeps_wide_deltas_and_long_decimals_exact() -> None:
    rng = np.random.default_rng(7)
    times = np.cumsum(rng.integers(1, 90_000, 200)) + T0
    rows = [{"flow": round(float(v), 4), "total": int(t), "tiny": float(v) * 1e-9}
            for v, t in zip(rng.normal(0, 1e4, 200), rng.integers(-2**40, 2**40, 200), strict=True)]
    blob = encode_rows(times.tolist(), rows)
    since, until = int(times[57]), int(times[141])
    _, _, _, cut = slice_block(blob, since, until)
    assert typed(block_rows(*decode_block(cut))) == typed(list(zip(times[57:141].tolist(), rows[57:141], strict=True)))


def test_an_export_holds_the_source_readings_over_its_window_edges_included(tmp_path: Path) -> None:
    source, target = tmp_path / "history.db", tmp_path / "incident.db"
    write_raw(source, [Measurement(a, "lighting", T0 + n * STEP + k, odd_values(n + k))
                       for n in range(40) for k, a in enumerate(ASSETS)]
              + [Measurement("A-0", "lighting", T0 + 6 * HOUR, {"on": True})])
    compact_all(source)
    since, until = T0 + 9 * STEP + 1, T0 + 31 * STEP + 1  # two readings of A-1: the first kept, the last not
    inventory = Inventory(Asset(a, "lighting", "luminaire", "centre", 5.04, 47.32) for a in ASSETS)
    export_incident(source, target, ExportScope(since, until), inventory, ExportSources.shipped())
    theirs, ours = HistorianReader(source), HistorianReader(target)
    try:
        for asset_id in ASSETS:
            expected = typed(theirs.telemetry(asset_id, since, until))
            assert expected and typed(ours.telemetry(asset_id, since, until)) == expected, asset_id
            assert ours.telemetry(asset_id, until) == [], "nothing from the end of the window on"
        assert ours.telemetry("A-1", since)[0][0] == since and theirs.telemetry("A-1", until)[0][0] == until
    finally:
        theirs.close()
        ours.close()
