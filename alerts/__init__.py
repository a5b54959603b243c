"""Alarms: rule files, evaluation, the ISA-18.2 state machine, operator commands and flood detection.

No Qt here; the engine wiring publishes what this package decides.
"""

from alerts.commands import Command, CommandResult, Verb
from alerts.engine import AlarmEngine
from alerts.flood import FloodChange, FloodDetector
from alerts.records import AlarmEvent, AlarmRecord, AlarmState, Priority
from alerts.rules import Rule, RuleFileError, RuleSet, load_rules

__all__ = [
    "AlarmEngine", "AlarmEvent", "AlarmRecord", "AlarmState", "Command", "CommandResult", "FloodChange",
    "FloodDetector", "Priority", "Rule", "RuleFileError", "RuleSet", "Verb", "load_rules",
]
