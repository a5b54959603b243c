"""Alarm system performance figures (ISA-18.2 §16, EEMUA 191) from a period's alarm events. No Qt.

Definitions used throughout (and printed in the reports):

- an *annunciation* is an event that raises an alarm to the operators (``to_state`` unack from any other
  state, as ``AlarmEvent.raised``); rates count annunciations;
- a 10-minute period is *in flood* when more than 10 annunciations per operator position fall in it;
  consecutive flood periods make one flood;
- an alarm *chatters* when it is raised 3 times or more within 60 s; an annunciation is *fleeting* when the
  alarm returns to normal (``rtn_unack`` or ``normal``) less than 60 s after it was raised;
- an alarm is *stale* when it stands (raised, not returned) more than 24 h;
- time to acknowledge runs from the annunciation to the first acknowledgement after it (``acked``, or an
  acknowledged return from ``rtn_unack``); time to return to normal, to the first return after it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from alerts.flood import FLOOD_THRESHOLD, FLOOD_WINDOW_MS
from alerts.records import PRIORITY_ORDER

PERIOD_MS = FLOOD_WINDOW_MS
HOUR_MS = 3_600_000
FLOOD_PER_PERIOD = FLOOD_THRESHOLD
EEMUA_PER_10_MIN = 1.0
EEMUA_PER_HOUR = 6.0
CHATTER_COUNT, CHATTER_WINDOW_MS = 3, 60_000
FLEETING_MS = 60_000
STALE_MS = 24 * HOUR_MS
PRIORITY_TARGETS = {"critical": None, "high": 0.05, "medium": 0.15, "low": 0.80}
"""ISA-18.2's rough split for three priorities; critical is counted with high against the 5 %."""
PRIORITIES = list(PRIORITY_ORDER)


def annunciations(events: pd.DataFrame) -> pd.Series:
    """Mask of the events that raise an alarm."""
    return (events["to_state"] == "unack") & (events["from_state"] != "unack")


def episodes(events: pd.DataFrame, until_ms: int, standing: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per annunciation (and per alarm standing at the start): when raised, acknowledged (by whom),
    returned to normal, shelved, and the times to acknowledge and to return in seconds."""
    columns = ["alarm_id", "priority", "raised_ms", "acked_ms", "acked_by", "cleared_ms", "tta_s", "ttr_s",
               "district", "domain", "description"]
    if events.empty and (standing is None or standing.empty):
        return pd.DataFrame({c: [] for c in columns})
    frame = events.sort_values(["alarm_id", "ts_ms"], kind="stable").copy()
    frame["raise"] = annunciations(frame)
    frame["episode"] = frame.groupby("alarm_id")["raise"].cumsum()
    if standing is not None and not standing.empty:
        frame = frame[(frame["episode"] > 0) | frame["alarm_id"].isin(standing["alarm_id"])]
    else:
        frame = frame[frame["episode"] > 0]
    acked = frame["to_state"].eq("acked") | (frame["from_state"].eq("rtn_unack") & frame["to_state"].eq("normal")
                                              & frame["user"].notna())
    cleared = frame["to_state"].isin(["rtn_unack", "normal"]) & frame["from_state"].isin(["unack", "acked"])
    keys = ["alarm_id", "episode"]
    raised = frame[frame["raise"]].groupby(keys).agg(raised_ms=("ts_ms", "first"), priority=("priority", "first"),
                                                     district=("district", "first"), domain=("domain", "first"),
                                                     description=("description", "first"))
    if standing is not None and not standing.empty:
        start = standing.assign(episode=0).set_index(keys)[["raised_ms", "priority", "district", "domain",
                                                            "description"]]
        raised = pd.concat([start, raised])
    first_ack = frame[acked].groupby(keys).agg(acked_ms=("ts_ms", "first"), acked_by=("user", "first"))
    first_clear = frame[cleared].groupby(keys).agg(cleared_ms=("ts_ms", "first"))
    out = raised.join(first_ack).join(first_clear).reset_index()
    out["tta_s"] = (out["acked_ms"] - out["raised_ms"]) / 1000
    out["ttr_s"] = (out["cleared_ms"] - out["raised_ms"]) / 1000
    out = out.sort_values(["raised_ms", "alarm_id"], kind="stable").reset_index(drop=True)
    return out[columns]


def period_counts(events: pd.DataFrame, since_ms: int, until_ms: int, period_ms: int = PERIOD_MS) -> pd.Series:
    """Annunciations per period (index: the period's start, epoch ms), empty periods included."""
    starts = np.arange(since_ms - since_ms % period_ms, until_ms, period_ms, dtype=np.int64)
    raised = events.loc[annunciations(events), "ts_ms"].to_numpy(np.int64)
    counts = np.bincount((raised - starts[0]) // period_ms, minlength=len(starts))[:len(starts)]
    return pd.Series(counts, index=starts, name="alarms")


def floods(counts: pd.Series, positions: int = 1, period_ms: int = PERIOD_MS) -> pd.DataFrame:
    """Each flood: start, end, length in minutes, annunciations and the peak 10-minute count."""
    flooded = (counts / positions) > FLOOD_PER_PERIOD
    rows = []
    run: list[int] = []
    for start, is_flood in zip(counts.index.tolist(), flooded.tolist(), strict=True):
        if is_flood:
            run.append(start)
            continue
        if run:
            rows.append(_flood_row(counts, run, period_ms))
            run = []
    if run:
        rows.append(_flood_row(counts, run, period_ms))
    return pd.DataFrame(rows, columns=["start_ms", "end_ms", "minutes", "alarms", "peak"])


def _flood_row(counts: pd.Series, run: list[int], period_ms: int) -> tuple[int, int, float, int, int]:
    part = counts.loc[run]
    return run[0], run[-1] + period_ms, len(run) * period_ms / 60_000, int(part.sum()), int(part.max())


def chattering(events: pd.DataFrame) -> pd.DataFrame:
    """Alarms raised ``CHATTER_COUNT`` times or more within ``CHATTER_WINDOW_MS``, with their annunciations."""
    raised = events[annunciations(events)].sort_values(["alarm_id", "ts_ms"], kind="stable")
    found = []
    for alarm_id, times in raised.groupby("alarm_id")["ts_ms"]:
        ts = times.to_numpy(np.int64)
        if len(ts) >= CHATTER_COUNT and (ts[CHATTER_COUNT - 1:] - ts[:1 - CHATTER_COUNT]).min() <= CHATTER_WINDOW_MS:
            found.append((alarm_id, len(ts)))
    return pd.DataFrame(found, columns=["alarm_id", "alarms"]).sort_values("alarms", ascending=False,
                                                                            kind="stable").reset_index(drop=True)


def shelving(events: pd.DataFrame, until_ms: int) -> pd.DataFrame:
    """Each shelving: alarm, by whom, from, to (the unshelve or the period's end) and minutes."""
    frame = events.sort_values(["alarm_id", "ts_ms"], kind="stable")
    rows = []
    for alarm_id, group in frame.groupby("alarm_id", sort=False):
        shelved_at: tuple[int, str | None] | None = None
        for ts, from_state, to_state, user in group[["ts_ms", "from_state", "to_state", "user"]].itertuples(
                index=False):
            if to_state == "shelved" and from_state != "shelved":
                shelved_at = (ts, user)
            elif from_state == "shelved" and to_state != "shelved" and shelved_at is not None:
                rows.append((alarm_id, shelved_at[1], shelved_at[0], ts))
                shelved_at = None
        if shelved_at is not None:
            rows.append((alarm_id, shelved_at[1], shelved_at[0], until_ms))
    out = pd.DataFrame(rows, columns=["alarm_id", "user", "start_ms", "end_ms"])
    out["minutes"] = (out["end_ms"] - out["start_ms"]) / 60_000
    return out.sort_values("start_ms", kind="stable").reset_index(drop=True)


@dataclass(slots=True)
class AlarmFigures:
    """Everything the alarm performance report shows, for one period."""

    since_ms: int
    until_ms: int
    positions: int
    total: int
    per_hour: float
    per_10_min: float
    flood_share: float
    peak: int
    peak_start_ms: int | None
    counts: pd.Series
    floods: pd.DataFrame
    bad_actors: pd.DataFrame
    chattering: pd.DataFrame
    fleeting: int
    stale: pd.DataFrame
    priorities: pd.DataFrame
    shelving: pd.DataFrame
    acknowledge: pd.DataFrame
    episodes: pd.DataFrame


def compute(events: pd.DataFrame, since_ms: int, until_ms: int, positions: int = 1,
            standing: pd.DataFrame | None = None) -> AlarmFigures:
    """The figures of a period from its alarm events (and the alarms standing at its start)."""
    if positions < 1:
        raise ValueError("there is at least one operator position")
    counts = period_counts(events, since_ms, until_ms)
    total = int(counts.sum())
    hours = (until_ms - since_ms) / HOUR_MS
    per_position = counts / positions
    eps = episodes(events, until_ms, standing)
    standing_ms = eps["cleared_ms"].fillna(until_ms) - eps["raised_ms"]
    stale = eps.loc[standing_ms > STALE_MS, ["alarm_id", "priority", "raised_ms", "cleared_ms"]].assign(
        hours=standing_ms[standing_ms > STALE_MS] / HOUR_MS).reset_index(drop=True)
    raised = events[annunciations(events)]
    top = raised.groupby("alarm_id").agg(alarms=("ts_ms", "size"), priority=("priority", "first"),
                                         description=("description", "first"))
    top = top.sort_values(["alarms"], ascending=False, kind="stable").head(10).reset_index()
    top["share"] = top["alarms"] / total if total else 0.0
    in_window = eps[eps["raised_ms"] >= since_ms]
    fleeting = int((in_window["ttr_s"] * 1000 < FLEETING_MS).sum())
    return AlarmFigures(
        since_ms, until_ms, positions, total,
        per_hour=total / hours / positions if hours else 0.0,
        per_10_min=float(per_position.mean()) if len(per_position) else 0.0,
        flood_share=float((per_position > FLOOD_PER_PERIOD).mean()) if len(per_position) else 0.0,
        peak=int(counts.max()) if len(counts) else 0,
        peak_start_ms=int(counts.idxmax()) if total else None,
        counts=counts, floods=floods(counts, positions), bad_actors=top, chattering=chattering(events),
        fleeting=fleeting, stale=stale, priorities=priority_split(raised), shelving=shelving(events, until_ms),
        acknowledge=acknowledge_times(in_window), episodes=eps)


def priority_split(raised: pd.DataFrame) -> pd.DataFrame:
    """Annunciations per priority, their share, and ISA-18.2's target share."""
    counts = raised["priority"].value_counts().reindex(PRIORITIES, fill_value=0)
    total = int(counts.sum())
    return pd.DataFrame({"priority": PRIORITIES, "alarms": counts.to_numpy(),
                         "share": counts.to_numpy() / total if total else np.zeros(len(PRIORITIES)),
                         "target": [PRIORITY_TARGETS[p] for p in PRIORITIES]})


def acknowledge_times(eps: pd.DataFrame) -> pd.DataFrame:
    """Median and 90th percentile of the time to acknowledge, in seconds, by priority (acknowledged ones)."""
    rows = []
    for priority in PRIORITIES:
        times = eps.loc[(eps["priority"] == priority) & eps["tta_s"].notna(), "tta_s"]
        unacked = int(((eps["priority"] == priority) & eps["tta_s"].isna()).sum())
        rows.append((priority, len(times), float(times.median()) if len(times) else None,
                     float(times.quantile(0.9)) if len(times) else None, unacked))
    return pd.DataFrame(rows, columns=["priority", "acknowledged", "median_s", "p90_s", "not_acknowledged"])
