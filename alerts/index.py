"""Compile a rule set against the inventory: a slot per (rule, asset) and, per asset, the slots per metric.

A reading then costs only the rules that watch that asset and metric.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from alerts.evaluate import CHECKS, VALUE_ONLY_CHECKS, check_member, check_member_above, check_member_below
from alerts.gates import GateBoard, GateId, occupancy_text
from alerts.rules.model import AttrLimit, Kind, Rule, RuleSet
from alerts.slots import UNSEEN, AssetEntry, MemberLink, Slot, pick_of
from feeds.inventory import Asset, Inventory

_HIGH = {"hihi": True, "hi": True, "lo": False, "lolo": False}
_RANK = {"hihi": 2, "hi": 1, "lo": 1, "lolo": 2}


@dataclass
class Index:
    """Every slot by alarm id, plus the lists the engine walks on time-driven checks."""

    slots: dict[str, Slot] = field(default_factory=dict)
    stale: list[Slot] = field(default_factory=list)
    gated: dict[GateId, list[Slot]] = field(default_factory=lambda: defaultdict(list))
    suppressing: dict[str, list[tuple[str, bool]]] = field(default_factory=lambda: defaultdict(list))
    """Rule id -> (rule id, same asset?) of the alarms its alarms suppress (on children or the same asset)."""
    depth: dict[str, int] = field(default_factory=dict)
    """Rule id -> how many suppressing rules stand above it (0 for a rule nothing suppresses)."""


def build_index(inventory: Inventory, ruleset: RuleSet, board: GateBoard,
                entries: dict[str, AssetEntry]) -> Index:
    """Fill ``entries`` (cleared first) and return the index; assets a rule cannot apply to are skipped."""
    for entry in entries.values():
        entry.watch.clear()
        entry.stale.clear()
    index = Index(depth=_suppression_depth(ruleset))
    by_kind: dict[str | None, list[Asset]] = defaultdict(list)
    for asset in inventory:
        by_kind[asset.kind].append(asset)
    # Composites last: they refer to the slots of the rules they combine.
    for rule in sorted(ruleset, key=lambda r: r.kind == Kind.COMPOSITE):
        if rule.suppressed_by_parent is not None:
            index.suppressing[rule.suppressed_by_parent].append((rule.id, False))
        if rule.suppressed_by is not None:
            index.suppressing[rule.suppressed_by].append((rule.id, True))
        assets = by_kind.get(rule.target.kind, []) if rule.target.kind else inventory.assets
        matched = [a for a in assets if rule.target.matches(a)]
        if rule.kind == Kind.COMPOSITE:
            _composites(rule, matched, index)
        elif rule.kind == Kind.GROUP and rule.over == "district":
            _district_groups(rule, matched, index, board, entries)
        elif rule.kind == Kind.GROUP:
            _parent_groups(rule, matched, inventory, index, board, entries)
        else:
            for asset in matched:
                _asset_slot(rule, asset, inventory, index, board, entries)
    for entry in entries.values():
        _arm_repeat_skip(entry)
    return index


def _arm_repeat_skip(entry: AssetEntry) -> None:
    """Let readings that repeat an asset's watched values skip its rules, when only values decide them."""
    entry.seen = UNSEEN
    watch = entry.watch
    value_only = all(link.check in VALUE_ONLY_CHECKS for links in watch.values() for link in links)
    entry.pick = pick_of(list(watch)) if watch and "" not in watch and value_only else None


def _suppression_depth(ruleset: RuleSet) -> dict[str, int]:
    causes = {r.id: [c for c in (r.suppressed_by, r.suppressed_by_parent) if c is not None] for r in ruleset}
    depth: dict[str, int] = {}

    def of(rule_id: str, path: frozenset[str]) -> int:
        if rule_id not in depth:
            above = [c for c in causes.get(rule_id, ()) if c not in path]
            depth[rule_id] = 1 + max((of(c, path | {c}) for c in above), default=-1)
        return depth[rule_id]

    for rule_id in causes:
        of(rule_id, frozenset({rule_id}))
    return depth


def _new_slot(rule: Rule, asset: Asset, index: Index, board: GateBoard, gates: tuple[GateId, ...]) -> Slot:
    slot = Slot(rule, asset.id, asset.domain, asset.district, asset.kind, board.values)
    slot.gates = gates
    slot.lon, slot.lat = asset.lon, asset.lat
    index.slots[slot.alarm_id] = slot
    for gid in gates:
        index.gated[gid].append(slot)
    return slot


def _gates(rule: Rule, asset: Asset, parent: Asset | None, board: GateBoard) -> tuple[GateId, ...] | None:
    gates = []
    for name in rule.when:
        gid = board.gate(name, asset.lon, asset.lat, occupancy_text(asset, parent), rule.sun_margin_deg,
                         rule.timezone)
        if gid is None:
            return None
        gates.append(gid)
    return tuple(gates)


def _limits(rule: Rule, asset: Asset) -> tuple[tuple[str, float, bool, int], ...] | None:
    resolved = dict(rule.limits)
    out = []
    for level in ("hihi", "hi", "lolo", "lo"):
        limit = resolved.get(level)
        if limit is None:
            continue
        value = limit.resolve(asset) if isinstance(limit, AttrLimit) else limit
        if value is None:
            return None
        out.append((level, float(value), _HIGH[level], _RANK[level]))
    return tuple(out)


def _asset_slot(rule: Rule, asset: Asset, inventory: Inventory, index: Index, board: GateBoard,
                entries: dict[str, AssetEntry]) -> None:
    parent = inventory.get(asset.parent) if asset.parent else None
    gates = _gates(rule, asset, parent, board)
    limits = _limits(rule, asset) if rule.limits else ()
    if gates is None or limits is None:
        return
    slot = _new_slot(rule, asset, index, board, gates)
    slot.limits = limits
    entry = entries[asset.id]
    slot.entry = entry
    if rule.kind == Kind.STALE:
        period_s = rule.after_s if rule.after_s is not None else (rule.periods or 3.0) * asset.report_period_s
        slot.limit_ms = int(period_s * 1000)
        entry.stale.append(slot)
        index.stale.append(slot)
    else:
        slot.check = CHECKS[rule.kind]
        entry.watch.setdefault(rule.metric or "", []).append(slot)


def _link_members(slot: Slot, rule: Rule, members: list[Asset], entries: dict[str, AssetEntry]) -> None:
    slot.total = len(members)
    if rule.below is not None:
        check, reference = check_member_below, rule.below
    elif rule.above is not None:
        check, reference = check_member_above, rule.above
    else:
        check, reference = check_member, rule.equals
    for member in members:
        link = MemberLink(slot, member.id, reference, check)
        entries[member.id].watch.setdefault(rule.metric or "", []).append(link)


def _parent_groups(rule: Rule, owners: list[Asset], inventory: Inventory, index: Index, board: GateBoard,
                   entries: dict[str, AssetEntry]) -> None:
    for owner in owners:
        members = [inventory[c] for c in inventory.children(owner.id)]
        members = [m for m in members if rule.member_kind is None or m.kind == rule.member_kind]
        gates = _gates(rule, owner, None, board)
        if not members or gates is None:
            continue
        _link_members(_new_slot(rule, owner, index, board, gates), rule, members, entries)


def _district_groups(rule: Rule, members: list[Asset], index: Index, board: GateBoard,
                     entries: dict[str, AssetEntry]) -> None:
    by_district: dict[str, list[Asset]] = defaultdict(list)
    for member in members:
        by_district[member.district].append(member)
    for district, group in by_district.items():
        lon = sum(m.lon for m in group) / len(group)
        lat = sum(m.lat for m in group) / len(group)
        centre = Asset(f"district:{district}", group[0].domain, "district", district, lon, lat,
                       attrs={"occupancy": group[0].attrs.get("occupancy")})
        gates = _gates(rule, centre, None, board)
        if gates is None:
            continue
        _link_members(_new_slot(rule, centre, index, board, gates), rule, group, entries)


def _composites(rule: Rule, assets: list[Asset], index: Index) -> None:
    for asset in assets:
        refs = [index.slots.get(f"{ref}:{asset.id}") for ref in rule.all_of or rule.any_of]
        if any(ref is None for ref in refs):
            continue
        slot = Slot(rule, asset.id, asset.domain, asset.district, asset.kind, {})
        slot.refs = [ref for ref in refs if ref is not None]
        for ref in slot.refs:
            ref.dependents.append(slot)
        index.slots[slot.alarm_id] = slot

