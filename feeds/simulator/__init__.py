"""The city simulator: readings of every asset of an inventory, with faults to inject.

Qt-free and vectorized per kind of asset, so a step over a whole city costs little.
"""

from feeds.simulator.city import CitySimulator
from feeds.simulator.faults import FAULT_KINDS, Fault

__all__ = ["FAULT_KINDS", "CitySimulator", "Fault"]
