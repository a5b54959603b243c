"""What a session needs before it runs: the scenario checked against the rules, and the sandbox's city."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from alerts import load_rules
from alerts.rules.model import Kind, RuleSet
from feeds.inventory import Asset, Inventory
from feeds.scenario import RuleCheck, Scenario, ScenarioError, load_scenario


def rule_check(ruleset: RuleSet, inventory: Inventory) -> RuleCheck:
    """Whether an expectation's alarm can exist: its rule is loaded and watches that asset (or district)."""

    def check(rule_id: str, asset_id: str) -> str | None:
        rule = ruleset.get(rule_id)
        if rule is None:
            return f"no loaded rule has the id {rule_id!r}"
        if asset_id.startswith("district:"):
            district = asset_id.removeprefix("district:")
            if rule.kind != Kind.GROUP or rule.over != "district":
                return f"rule {rule_id!r} watches assets, not districts; name an asset"
            if district not in inventory.districts():
                return f"unknown district {district!r}"
            return None
        asset = inventory.get(asset_id)
        if asset is None:
            return f"asset {asset_id!r} is not in the inventory"
        if rule.kind == Kind.GROUP and rule.over == "district":
            return f"rule {rule_id!r} raises one alarm per district: name it 'district:{asset.district}'"
        if not rule.target.matches(asset):
            return f"rule {rule_id!r} does not watch {asset_id} (a {asset.kind})"
        return None

    return check


def check_scenario(path: Path, inventory: Inventory,
                   rule_paths: Sequence[Path]) -> tuple[Scenario | None, list[ScenarioError]]:
    """Load a scenario and check its expected alarms against the rules the sandbox will run."""
    ruleset, rule_errors = load_rules(rule_paths)
    scenario, errors = load_scenario(path, inventory, rule_check(ruleset, inventory))
    errors += [ScenarioError(e.file, e.line, e.rule_id, e.field, e.message) for e in rule_errors]
    return (scenario if not errors else None), errors


def sandbox_inventory(inventory: Inventory, area: Sequence[str]) -> Inventory:
    """The assets of the drill's districts, with the parents they hang from; the whole city without an area."""
    if not area:
        return inventory
    wanted = set(area)
    kept: dict[str, Asset] = {a.id: a for a in inventory if a.district in wanted}
    for asset in list(kept.values()):
        parent = asset.parent
        while parent is not None and parent not in kept:
            kept[parent] = inventory[parent]
            parent = kept[parent].parent
    return Inventory(a for a in inventory if a.id in kept)
