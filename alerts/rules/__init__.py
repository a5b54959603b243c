"""Rule files: model, TOML loading with line-precise errors, targets and kind-specific fields."""

from alerts.rules.loader import RuleFileError, load_rules
from alerts.rules.model import AttrLimit, Kind, Rule, RuleSet
from alerts.rules.targets import Target

__all__ = ["AttrLimit", "Kind", "Rule", "RuleFileError", "RuleSet", "Target", "load_rules"]
