"""Training scenarios: the drill file's schema, its loader with line-precise errors, and what it injects."""

from feeds.scenario.loader import RuleCheck, ScenarioError, load_scenario
from feeds.scenario.model import Conditions, Expectation, Injection, Scenario, format_offset, parse_offset

__all__ = ["Conditions", "Expectation", "Injection", "RuleCheck", "Scenario", "ScenarioError", "format_offset",
           "load_scenario", "parse_offset"]
