"""crunchtime: plan a frontier AI developer's safety strategy through crunch time.

Public API: `load_scenario`, `load_plan`, `simulate`, `compare` (see docs/model.md and docs/plans.md).
"""

from crunchtime._version import __version__
from crunchtime.api import compare, load_plan, simulate
from crunchtime.scenario import load_scenario

__all__ = ["__version__", "compare", "load_plan", "load_scenario", "simulate"]
