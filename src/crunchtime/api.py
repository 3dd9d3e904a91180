"""The public Python API: the one door every shell (CLI, web app, notebooks) goes through.

Load beliefs (`load_scenario`) and plans (`load_plan`), run them (`simulate`, `compare`), keep the
results with their provenance (`save_run`, `load_run`, `list_runs`, `delete_run`), write reports
(`write_report`), test the essays' claims (`run_claims`), run the analyses (`table1`, `optimize`,
`discover`, `sensitivity`) and use the stand-alone calculators (`effective_years`, `solve_schedule`,
`exchange_rate`, `weak_proxy_evidence`, `simulate_sie`). Errors are `InputError`s whose message is one
line; a bad argument of a function here is an `ArgumentError` naming the argument (`samples: ...`).
See docs/api.md for a notebook session and docs/architecture.md for where each name lives.

This module does no work of its own: it names each public object's home in the layer that owns it
(`PUBLIC`) and imports that home on first use, so `import crunchtime` and `crunchtime --help` load no
numerics, plotting, storage or web library (PEP 562 module attributes).
"""

from __future__ import annotations

import importlib
import warnings
from typing import TYPE_CHECKING, Any

from crunchtime._version import __version__
from crunchtime.errors import ArgumentError, CrunchtimeError, InputError

#: each public name's home, by the module that owns it (model -> engine -> results -> report -> uses)
PUBLIC: dict[str, tuple[str, ...]] = {
    "crunchtime.model.catalog": ("list_plans", "list_scenarios", "load_plan", "load_scenario", "parameters"),
    "crunchtime.model.design": ("Parameter",),
    "crunchtime.model.knobs": ("KNOBS",),
    "crunchtime.model.plans": ("Plan", "parse_plan"),
    "crunchtime.model.scenario": ("Scenario",),
    "crunchtime.model.state": ("MILESTONES", "OUTCOMES", "SOURCES"),
    "crunchtime.model.validate": ("validate_file",),
    "crunchtime.engine.backends": ("BACKENDS",),
    "crunchtime.engine.sizes": ("BLOCK", "DEFAULT_CHUNK", "MAX_SAMPLES", "MAX_WORKERS"),
    "crunchtime.results.result": ("OUTCOME_ORDER", "ComparisonResult", "SimulationResult"),
    "crunchtime.results.saved": ("delete_run", "list_runs", "load_run", "save_run"),
    "crunchtime.results.simulation": ("Progress", "check_jit", "compare", "jit_device", "simulate"),
    "crunchtime.results.store": ("RunInfo", "RunStore", "StoredRun"),
    "crunchtime.results.view": ("BELIEFS_NOTE", "format_probability"),
    "crunchtime.report": ("write_report",),
    # the names and colours reports use for outcomes, milestones and risk sources (for shells that draw their own)
    "crunchtime.report.style": ("MILESTONE_LABELS", "OUTCOME_COLORS", "OUTCOME_LABELS", "SOURCE_COLORS",
                                "SOURCE_LABELS"),
    "crunchtime.analysis.claims": ("VANISH_TOLERANCE", "Claim", "ClaimsResult", "format_paired_difference",
                                   "load_claims", "run_claims", "select_claims", "write_claims_report"),
    "crunchtime.analysis.discover": ("discover",),
    "crunchtime.analysis.optimize": ("optimize",),
    "crunchtime.analysis.result": ("AnalysisResult", "save_analysis"),
    "crunchtime.analysis.sensitivity": ("sensitivity",),
    "crunchtime.analysis.table1": ("table1",),
    "crunchtime.analysis.table1_essay": ("TABLE1_STEP",),
    "crunchtime.crunch.calculators": ("EXCHANGE_ARGUMENTS", "ExchangeInputs", "ProxyExperiment", "Segment",
                                      "effective_rate", "effective_years", "effective_years_from_run",
                                      "example_projects", "exchange_rate", "load_projects", "parse_segment",
                                      "parse_window", "solve_schedule", "weak_proxy_evidence"),
    "crunchtime.takeoff.sizes": ("MAX_SIE_SAMPLES",),
    "crunchtime.takeoff.calculators": ("PAPER_CONDITIONS", "PAPER_REPORTED", "Condition",
                                       "SIEParams", "SIEResult", "parse_range", "simulate_sie"),
}
#: the module that owns each public name (derived from PUBLIC)
HOME: dict[str, str] = {name: module for module, names in PUBLIC.items() for name in names}

__all__ = sorted(["ArgumentError", "CrunchtimeError", "InputError", "__version__", *HOME])

if TYPE_CHECKING:  # what a type checker and the import contract see; at run time `__getattr__` imports these
    from crunchtime.analysis.claims import (VANISH_TOLERANCE, Claim, ClaimsResult, format_paired_difference,
                                            load_claims, run_claims, select_claims, write_claims_report)
    from crunchtime.analysis.discover import discover
    from crunchtime.analysis.optimize import optimize
    from crunchtime.analysis.result import AnalysisResult, save_analysis
    from crunchtime.analysis.sensitivity import sensitivity
    from crunchtime.analysis.table1 import table1
    from crunchtime.analysis.table1_essay import TABLE1_STEP
    from crunchtime.crunch.calculators import (EXCHANGE_ARGUMENTS, ExchangeInputs, ProxyExperiment, Segment,
                                               effective_rate, effective_years, effective_years_from_run,
                                               example_projects, exchange_rate, load_projects, parse_segment,
                                               parse_window, solve_schedule, weak_proxy_evidence)
    from crunchtime.engine.backends import BACKENDS
    from crunchtime.engine.sizes import BLOCK, DEFAULT_CHUNK, MAX_SAMPLES, MAX_WORKERS
    from crunchtime.model.catalog import list_plans, list_scenarios, load_plan, load_scenario, parameters
    from crunchtime.model.design import Parameter
    from crunchtime.model.knobs import KNOBS
    from crunchtime.model.plans import Plan, parse_plan
    from crunchtime.model.scenario import Scenario
    from crunchtime.model.state import MILESTONES, OUTCOMES, SOURCES
    from crunchtime.model.validate import validate_file
    from crunchtime.report import write_report
    from crunchtime.report.style import (MILESTONE_LABELS, OUTCOME_COLORS, OUTCOME_LABELS, SOURCE_COLORS,
                                         SOURCE_LABELS)
    from crunchtime.results.result import OUTCOME_ORDER, ComparisonResult, SimulationResult
    from crunchtime.results.saved import delete_run, list_runs, load_run, save_run
    from crunchtime.results.simulation import Progress, check_jit, compare, jit_device, simulate
    from crunchtime.results.store import RunInfo, RunStore, StoredRun
    from crunchtime.results.view import BELIEFS_NOTE, format_probability
    from crunchtime.takeoff.calculators import (PAPER_CONDITIONS, PAPER_REPORTED, Condition, SIEParams, SIEResult,
                                                parse_range, simulate_sie)
    from crunchtime.takeoff.sizes import MAX_SIE_SAMPLES


def __getattr__(name: str) -> Any:
    """Import a public name's home on first use and keep the name here (PEP 562)."""
    if name == "web_app":
        # deprecated: the arcade is a shell above this facade (crunchtime.web.web_app, also `crunchtime.web_app`);
        # the old name still works, looked up at first use, until it is removed (docs/architecture.md)
        warnings.warn("crunchtime.api.web_app is deprecated: use crunchtime.web.web_app (or crunchtime.web_app)",
                      DeprecationWarning, stacklevel=2)
        return importlib.import_module("crunchtime.web").web_app
    elif name in HOME:
        value = getattr(importlib.import_module(HOME[name]), name)
    else:
        raise AttributeError(f"module 'crunchtime.api' has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
