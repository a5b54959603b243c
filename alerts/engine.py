"""The alarm engine: readings in, alarm state transitions out (ISA-18.2), operator commands applied.

Single-threaded by design: the engine wiring calls it from one asyncio task.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from operator import is_

from alerts import states
from alerts.commands import Command, CommandRefused, CommandResult, perform
from alerts.evaluate import composite_raw, describe, explain, group_raw, schedule_raw
from alerts.gates import GateBoard, SunElevation
from alerts.index import Index, build_index
from alerts.records import AlarmEvent, AlarmRecord, AlarmState
from alerts.rules.model import Kind, RuleSet
from alerts.slots import UNSEEN, AssetEntry, MemberLink, Orphan, Slot
from feeds.inventory import Inventory
from feeds.model import Measurement, StatusUpdate

STALE_CHECK_MS = 5_000
"""Silence is checked every few seconds; stale limits are minutes long."""


class AlarmEngine:
    """Evaluates rules on readings and time, keeps one record per alarm, and applies commands."""

    def __init__(self, inventory: Inventory, ruleset: RuleSet, now_ms: Callable[[], int],
                 sun_elevation_deg: SunElevation | None = None) -> None:
        self._inventory = inventory
        self._now = now_ms
        self._sun = sun_elevation_deg
        start = now_ms()
        self._entries = {asset.id: AssetEntry(asset.id, start) for asset in inventory}
        self._events: list[AlarmEvent] = []
        self._pending: dict[Slot, int] = {}
        self._open: dict[str, Slot | Orphan] = {}
        """Every alarm not in normal: live slots, and orphans whose rule left or changed."""
        self._next_stale_ms = start + STALE_CHECK_MS
        self._install(ruleset, start)

    def _install(self, ruleset: RuleSet, now_ms: int) -> None:
        self.ruleset = ruleset
        self._board = GateBoard(self._sun)
        self._index: Index = build_index(self._inventory, ruleset, self._board, self._entries)
        self._slots = self._index.slots
        self._board.refresh(now_ms, force=True)

    # -- readings and time -------------------------------------------------------------------------

    def on_readings(self, readings: Sequence[Measurement | StatusUpdate]) -> list[AlarmEvent]:
        """Evaluate the rules watching each reading's asset and metrics; returns the transitions."""
        now = self._now()
        events = self._events = []
        entries = self._entries
        for reading in readings:
            entry = entries.get(reading.asset_id)
            if entry is None:
                continue
            entry.last_seen_ms = now
            if type(reading) is StatusUpdate:
                entry.online = reading.online
                self._check_stale(entry.stale, now)
                continue
            entry.online = True
            if entry.silent:
                self._check_stale(entry.stale, now)
            metrics = reading.metrics
            pick = entry.pick
            values = None
            if pick is not None:
                try:
                    values = pick(metrics)
                except KeyError:  # the asset leaves out a watched metric: evaluate it metric by metric
                    entry.pick = None
                else:
                    # The same objects (booleans, small integers) as last time: no check can change.
                    seen = entry.seen
                    if values == seen and all(map(is_, values, seen)):
                        continue
            watch = entry.watch
            if not watch:
                continue
            ts = reading.ts_ms
            changed: list[tuple[Slot, bool | str]] = []
            # Only the metrics the asset's rules watch (a luminaire: 2 of the 4 it reports); never None.
            for name, links in watch.items():
                value = metrics.get(name)
                if value is None:
                    continue
                for link in links:
                    raw = link.check(link, value, ts)
                    if raw is not None and raw != link.target.raw:
                        changed.append((link.target, raw))
            if changed:
                self._conditions_changed(changed, now)
            if values is not None:
                entry.seen = values
        return events

    def on_heard(self, asset_ids: Iterable[str]) -> list[AlarmEvent]:
        """Assets heard from by readings that drive no rule (older than one already evaluated: delivered
        again, or from a device whose clock went back): they are reporting, so none is silent."""
        now = self._now()
        events = self._events = []
        for asset_id in asset_ids:
            entry = self._entries.get(asset_id)
            if entry is None:
                continue
            entry.last_seen_ms = now
            if entry.silent:
                self._check_stale(entry.stale, now)
        return events

    def _conditions_changed(self, changed: list[tuple[Slot, bool | str]], now: int) -> None:
        """Apply the conditions one reading changed, so that neither the payload's order nor the rules'
        matters: clearing ones first, consequences before their causes (a cause clearing must not bring
        back a consequence that clears in the same reading), then rising ones, causes first (so that
        their consequences rise suppressed)."""
        if len(changed) > 1:
            depth = self._index.depth
            changed.sort(key=lambda c: (1, depth[c[0].rule.id]) if c[1] is not False else (0, -depth[c[0].rule.id]))
        for slot, raw in changed:
            if raw != slot.raw:
                self._raw_changed(slot, raw, now)

    def tick(self, now_ms: int) -> list[AlarmEvent]:
        """Time-driven changes: delays elapsing, shelving expiring, day/night and occupancy, silence."""
        events = self._events = []
        if self._pending:
            due = [slot for slot, at in self._pending.items() if at <= now_ms]
            for slot in due:
                del self._pending[slot]
                self._set_active(slot, bool(slot.raw), now_ms)
        expired = [s for s in self._open.values() if s.record is not None
                   and s.record.shelved_until_ms is not None and s.record.shelved_until_ms <= now_ms]
        for slot in expired:
            self._apply(slot, states.unshelve, now_ms, comment="shelving expired")
        for gid in self._board.refresh(now_ms):
            for slot in self._index.gated[gid]:
                self._regate(slot, now_ms)
        if now_ms >= self._next_stale_ms:
            self._next_stale_ms = now_ms + STALE_CHECK_MS
            self._check_stale(self._index.stale, now_ms)
        return events

    def _check_stale(self, slots: Iterable[Slot], now: int) -> None:
        for slot in slots:
            entry = slot.entry
            if entry is None:
                continue
            raw = (slot.rule.offline and not entry.online) or now - entry.last_seen_ms > slot.limit_ms
            if raw != slot.raw:
                slot.value = (now - entry.last_seen_ms) // 1000
                self._raw_changed(slot, raw, now)
                entry.note_silence()

    def _regate(self, slot: Slot, now: int) -> None:
        raw = group_raw(slot) if slot.rule.kind == Kind.GROUP else schedule_raw(slot)
        if raw != slot.raw:
            self._raw_changed(slot, raw, now)

    # -- conditions to states -----------------------------------------------------------------------

    def _raw_changed(self, slot: Slot, raw: bool | str, now: int) -> None:
        slot.raw = raw
        on = raw is not False
        if on == slot.active:
            self._pending.pop(slot, None)
            if on:
                self._level_changed(slot, now)
            return
        rule = slot.rule
        delay = rule.on_delay_s if on else rule.off_delay_s
        if delay:
            self._pending[slot] = now + int(delay * 1000)
        else:
            self._set_active(slot, on, now)

    def _level_changed(self, slot: Slot, now: int) -> None:
        rec = slot.record
        if rec is None or not rec.active:
            return
        rec.value = slot.value
        self._explain(rec, slot, now)
        priority = slot.rule.priority_of(slot.raw if isinstance(slot.raw, str) else None)
        if priority == rec.priority:
            return
        before = rec.state
        raised = priority.rank > rec.priority.rank
        rec.priority = priority
        if raised:
            states.escalate(rec)
        self._commit(slot, before, now, comment=f"priority {'raised' if raised else 'lowered'} to {priority}",
                     always=True)

    @staticmethod
    def _explain(rec: AlarmRecord, slot: Slot, now: int) -> None:
        rec.detail = explain(slot, now)
        rec.message = describe(rec.detail)

    def _set_active(self, slot: Slot, on: bool, now: int) -> None:
        slot.active = on
        rec = slot.record
        if rec is not None or on:
            rec = rec or self._new_record(slot)
            before = rec.state
            rec.value = slot.value
            if on:
                rec.priority = slot.rule.priority_of(slot.raw if isinstance(slot.raw, str) else None)
                self._explain(rec, slot, now)
            states.set_condition(rec, on, slot.rule.latching, now)
            # A latched alarm keeps its state when its condition clears, but consoles must learn it can be reset.
            self._commit(slot, before, now, always=rec.latched and not on)
        for dependent in slot.dependents:
            raw = composite_raw(dependent)
            if raw != dependent.raw:
                self._raw_changed(dependent, raw, now)
        child_rules = self._index.suppressing.get(slot.rule.id)
        if child_rules:
            self._propagate_suppression(slot, on, child_rules, now)

    def _new_record(self, slot: Slot) -> AlarmRecord:
        rule = slot.rule
        orphan = self._open.get(slot.alarm_id)
        if type(orphan) is Orphan and orphan.record is not None:
            # The new rule raises the alarm its earlier version left: the same alarm, still unacknowledged.
            rec = orphan.record
            rec.orphaned = None
            rec.description, rec.descriptions = rule.description, dict(rule.descriptions)
        else:
            rec = AlarmRecord(alarm_id=slot.alarm_id, rule_id=rule.id, asset_id=slot.asset_id, domain=slot.domain,
                              district=slot.district, asset_kind=slot.asset_kind, priority=rule.priority,
                              description=rule.description, descriptions=dict(rule.descriptions))
        suppressor = self._suppressor(slot)
        if suppressor is not None:
            states.suppress(rec, suppressor.alarm_id)
        slot.record = rec
        return rec

    def _suppressor(self, slot: Slot) -> Slot | None:
        """The active alarm that suppresses this one: its parent asset's, or another on the same asset."""
        rule = slot.rule
        if rule.suppressed_by is not None:
            same = self._slots.get(f"{rule.suppressed_by}:{slot.asset_id}")
            if same is not None and same.active:
                return same
        asset = self._inventory.get(slot.asset_id)
        if rule.suppressed_by_parent is None or asset is None or asset.parent is None:
            return None
        parent = self._slots.get(f"{rule.suppressed_by_parent}:{asset.parent}")
        return parent if parent is not None and parent.active else None

    def _propagate_suppression(self, parent: Slot, on: bool, rules: list[tuple[str, bool]], now: int) -> None:
        children = self._inventory.children(parent.asset_id)
        for rule_id, same_asset in rules:
            for child_id in (parent.asset_id,) if same_asset else children:
                child = self._slots.get(f"{rule_id}:{child_id}")
                if child is None or child.record is None:
                    continue
                if on:
                    self._apply(child, lambda r: states.suppress(r, parent.alarm_id), now,
                                comment=f"suppressed by {parent.alarm_id}")
                elif self._suppressor(child) is None:
                    self._apply(child, states.release, now, comment=f"released by {parent.alarm_id}")

    def _apply(self, slot: Slot | Orphan, change: Callable[[AlarmRecord], object], now: int, comment: str) -> None:
        rec = slot.record
        assert rec is not None
        before = rec.state
        change(rec)
        self._commit(slot, before, now, comment=comment)

    def _commit(self, slot: Slot | Orphan, before: AlarmState, now: int, user: str | None = None,
                console: str | None = None, comment: str | None = None, request_id: str | None = None,
                always: bool = False) -> None:
        rec = slot.record
        assert rec is not None
        state = rec.state = states.derive_state(rec)
        if state == before and not always:
            return
        rec.changed_ms = now
        if user:
            rec.last_event_user = user
        if state == AlarmState.NORMAL:
            self._open.pop(slot.alarm_id, None)
        else:
            self._open[slot.alarm_id] = slot
        self._events.append(AlarmEvent(
            ts_ms=now, alarm_id=rec.alarm_id, rule_id=rec.rule_id, asset_id=rec.asset_id, priority=rec.priority,
            from_state=before, to_state=state, value=rec.value, user=user, console=console, comment=comment,
            request_id=request_id, message=rec.message, domain=rec.domain, district=rec.district,
            record=rec.to_json(),
        ))

    # -- operators, restart, reload -------------------------------------------------------------------

    def command(self, cmd: Command) -> CommandResult:
        """Apply an operator command; refused commands say why in a sentence, repeated ones change nothing."""
        now = self._now()
        self._events = []
        slot = self._open.get(cmd.alarm_id) or self._slots.get(cmd.alarm_id)
        if slot is None:
            return CommandResult(False, f"Unknown alarm {cmd.alarm_id!r}: no loaded rule watches that asset.",
                                 [], cmd.request_id, "unknown_alarm")
        rec = slot.record or self._new_record(slot)  # an orphan always has its record
        before = rec.state
        try:
            changed, note = perform(rec, cmd, now)
        except (CommandRefused, states.IllegalTransition) as exc:
            return CommandResult(False, str(exc), [], cmd.request_id, exc.code)
        if changed:
            self._commit(slot, before, now, user=cmd.user, console=cmd.console or None,
                         comment=cmd.comment or f"{cmd.verb}", request_id=cmd.request_id or None, always=True)
        return CommandResult(True, note, self._events, cmd.request_id)

    def records(self) -> dict[str, AlarmRecord]:
        """Copies of the records of every alarm that is not normal."""
        return {alarm_id: slot.record.copy() for alarm_id, slot in self._open.items() if slot.record}

    def record(self, alarm_id: str) -> AlarmRecord | None:
        """A copy of one alarm's record, or None when it is normal or unknown (cheaper than ``records()``)."""
        slot = self._open.get(alarm_id)
        return slot.record.copy() if slot is not None and slot.record is not None else None

    def open_count(self) -> int:
        """How many alarms are not normal (active, awaiting acknowledgement, shelved, ...)."""
        return sum(1 for slot in self._open.values() if slot.record is not None)

    def restore(self, records: Iterable[AlarmRecord]) -> None:
        """Take back the records saved before a restart; no events, and a still-true condition is no new alarm.

        A record whose rule is gone, or that was already orphaned, is kept as an orphan.
        """
        now = self._now()
        for saved in records:
            slot = self._slots.get(saved.alarm_id)
            rec = saved.copy()
            if slot is None or rec.orphaned:
                if not rec.orphaned:
                    states.orphan(rec, "removed")
                rec.state = states.derive_state(rec)
                if rec.state != AlarmState.NORMAL:
                    self._open[rec.alarm_id] = Orphan(rec)
                continue
            slot.record, slot.active, slot.raw = rec, rec.active, rec.active
            slot.value = rec.value
            self._pending.pop(slot, None)
            if rec.active and slot.rule.kind == Kind.STALE and slot.entry is not None:
                slot.entry.last_seen_ms = min(slot.entry.last_seen_ms, (rec.raised_ms or now) - slot.limit_ms)
            rec.state = states.derive_state(rec)
            if rec.state == AlarmState.NORMAL:
                self._open.pop(rec.alarm_id, None)
            else:
                self._open[rec.alarm_id] = slot
        for slot in list(self._open.values()):
            rec = slot.record
            if type(slot) is Slot and rec is not None and rec.suppressed_by and self._suppressor(slot) is None:
                states.release(rec)
                rec.state = states.derive_state(rec)
        self._resync_entries()

    def reload(self, ruleset: RuleSet) -> list[AlarmEvent]:
        """Run a new rule set in one step. Alarms of unchanged rules keep their state; a standing alarm whose
        rule left or changed becomes an orphan (an event says so), never normal by itself."""
        now = self._now()
        self._events = []
        old_slots, old_pending = self._slots, self._pending
        members = {(link.target.alarm_id, link.member_id): link.matching
                   for entry in self._entries.values() for links in entry.watch.values()
                   for link in links if type(link) is MemberLink}
        self._install(ruleset, now)
        self._pending = {}
        self._open = {alarm_id: o for alarm_id, o in self._open.items() if type(o) is Orphan}
        for alarm_id, old in old_slots.items():
            new = self._slots.get(alarm_id)
            if new is None or not new.rule.same_condition(old.rule):
                if old.record is not None and old.record.state != AlarmState.NORMAL:
                    why = "removed" if ruleset.get(old.rule.id) is None else "changed"
                    before = old.record.state
                    states.orphan(old.record, why)
                    self._commit(Orphan(old.record), before, now, always=True,
                                 comment=f"rule {why} in the rule set: acknowledge (and reset) to clear")
                continue
            new.record, new.raw, new.active, new.value, new.history = (
                old.record, old.raw, old.active, old.value, old.history)
            if new.record is not None and new.record.state != AlarmState.NORMAL:
                self._open[alarm_id] = new
            if old in old_pending:
                self._pending[new] = old_pending[old]
        for entry in self._entries.values():
            for links in entry.watch.values():
                for link in links:
                    if type(link) is MemberLink and members.get((link.target.alarm_id, link.member_id)):
                        link.matching = True
                        link.target.count += 1
        self._resync_entries()
        for gated in self._index.gated.values():
            for slot in gated:
                self._regate(slot, now)
        return self._events

    def _resync_entries(self) -> None:
        """After conditions were set from outside the readings: no reading may be skipped as a repeat."""
        for entry in self._entries.values():
            entry.seen = UNSEEN
            entry.note_silence()
