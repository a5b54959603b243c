"""REPLAY: a recorded period of the city, opened read-only, seen through the same console as LIVE."""

from hypervisor.replay.feed import ReplayFeed
from hypervisor.replay.history import HistoryMarks, ReplayFileError, recorded_period

__all__ = ["HistoryMarks", "ReplayFeed", "ReplayFileError", "recorded_period"]
