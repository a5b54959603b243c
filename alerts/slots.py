"""Per-asset evaluation state: one ``Slot`` per (rule, asset) alarm, links from readings to slots."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Mapping
from operator import itemgetter
from typing import Any

from alerts.records import AlarmRecord
from alerts.rules.model import Rule
from feeds.model import MetricValue

Check = Callable[[Any, MetricValue, int], Any]
"""``check(link, value, ts_ms)``: the slot's new raw condition, or None when it cannot have changed."""


Pick = Callable[[Mapping[str, MetricValue]], tuple[MetricValue, ...]]
"""The watched values of a reading's metrics, as a tuple; raises KeyError when one is missing."""

UNSEEN: tuple[MetricValue, ...] = ()
"""``AssetEntry.seen`` before any complete reading: matches no tuple of values."""


class AssetEntry:
    """What the engine watches on one asset: slots per metric, stale slots, and when it was last heard.

    ``pick`` and ``seen`` let a reading that repeats the last one skip the rules: when every check of the
    asset depends on its value alone (``pick`` is then set), the same values cannot change anything.
    ``silent`` says whether one of its stale alarms is raised, so that a reading clears it.
    """

    __slots__ = ("asset_id", "last_seen_ms", "online", "pick", "seen", "silent", "stale", "watch")

    def __init__(self, asset_id: str, now_ms: int) -> None:
        self.asset_id = asset_id
        self.watch: dict[str, list[Slot | MemberLink]] = {}
        self.stale: list[Slot] = []
        self.last_seen_ms = now_ms
        self.online = True
        self.silent = False
        self.pick: Pick | None = None
        self.seen = UNSEEN

    def note_silence(self) -> None:
        """Recompute ``silent`` after a stale slot's condition changed."""
        self.silent = any(slot.raw for slot in self.stale)


def pick_of(names: list[str]) -> Pick:
    """A ``Pick`` for these metric names (``itemgetter`` returns a bare value for a single name)."""
    if len(names) == 1:
        return itemgetter(names[0], names[0])
    return itemgetter(*names)


class Slot:
    """One alarm's evaluation: raw condition (a level name for limits), debounced ``active``, record.

    ``raw`` is False when the condition is false, True or the violated level name when true.
    """

    __slots__ = (
        "active", "alarm_id", "asset_id", "asset_kind", "board", "check", "count", "dependents", "district",
        "domain", "entry", "gates", "history", "lat", "limit_ms", "limits", "lon", "raw", "record", "refs",
        "rule", "target", "total", "value",
    )

    def __init__(self, rule: Rule, asset_id: str, domain: str, district: str, asset_kind: str,
                 board: dict[Any, bool]) -> None:
        self.rule = rule
        self.asset_id = asset_id
        self.alarm_id = f"{rule.id}:{asset_id}"
        self.domain, self.district, self.asset_kind = domain, district, asset_kind
        self.board = board
        self.target = self
        self.check: Check = _never
        self.raw: bool | str = False
        self.active = False
        self.value: MetricValue | None = None
        self.record: AlarmRecord | None = None
        self.limits: tuple[tuple[str, float, bool, int], ...] = ()
        self.gates: tuple[Any, ...] = ()
        self.dependents: list[Slot] = []
        self.refs: list[Slot] = []
        self.history: deque[tuple[int, float]] | None = None
        self.entry: AssetEntry | None = None
        self.limit_ms = 0
        self.count = self.total = 0
        self.lon = self.lat = 0.0

    def gates_open(self) -> bool:
        """Whether every time condition (day, night, occupancy, season) of the rule holds now.

        ``map`` rather than a generator, whose frame costs more than the test: groups ask on members'
        first readings, thousands at a time.
        """
        return all(map(self.board.__getitem__, self.gates))

    def __repr__(self) -> str:
        return f"Slot({self.alarm_id}, raw={self.raw!r}, active={self.active})"


class Orphan:
    """An alarm whose rule left or changed: its record alone, listed until operators clear it, or taken
    back by the new rule's slot of the same id when that raises."""

    __slots__ = ("alarm_id", "record")

    def __init__(self, record: AlarmRecord) -> None:
        self.alarm_id = record.alarm_id
        self.record: AlarmRecord | None = record


class MemberLink:
    """One member of a group (a luminaire of a cabinet); ``target`` is the group's slot."""

    __slots__ = ("check", "equals", "matching", "member_id", "target")

    def __init__(self, target: Slot, member_id: str, equals: MetricValue, check: Check) -> None:
        self.target = target
        self.member_id = member_id
        self.equals = equals
        self.matching = False
        self.check = check


def _never(link: Any, value: MetricValue, ts_ms: int) -> None:
    return None
