"""The public Python API: the one door every shell (CLI, web app, notebooks) goes through.

Load beliefs (`load_scenario`) and plans (`load_plan`), run them (`simulate`, `compare`), keep the
results with their provenance (`save_run`, `load_run`, `list_runs`, `delete_run`), write reports
(`write_report`), test the essays' claims (`run_claims`), run the analyses (`table1`, `optimize`,
`discover`, `sensitivity`) and use the stand-alone calculators (`effective_years`, `solve_schedule`,
`exchange_rate`, `weak_proxy_evidence`, `simulate_sie`) and turn control evaluations into beliefs and plans
(`control_evidence`, `update_control`). Errors are `InputError`s whose message is one
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

from crunchtime._version import __version__ as __version__
from crunchtime.errors import ArgumentError as ArgumentError
from crunchtime.errors import CrunchtimeError as CrunchtimeError
from crunchtime.errors import InputError as InputError

#: each public name's home, by the module that owns it (model -> engine -> results -> report -> uses)
PUBLIC: dict[str, tuple[str, ...]] = {
    "crunchtime.model.catalog": ("list_plans", "list_scenarios", "load_plan", "load_scenario", "parameters"),
    "crunchtime.model.design": ("Parameter",),
    "crunchtime.model.knobs": ("KNOBS",),
    "crunchtime.model.plans": ("Plan", "parse_plan"),
    "crunchtime.model.scenario": ("Scenario",),
    # the world's outcome and Magma's path are two classifications (docs/model.md, "Two classifications")
    "crunchtime.model.state": (
        "MAGMA_PATHS",
        "MILESTONES",
        "OUTCOMES",
        "PATH_ORDER",
        "SOURCES",
        "WORLD_ORDER",
        "WORLD_OUTCOMES",
    ),
    "crunchtime.model.validate": ("validate_file",),
    "crunchtime.engine.backends": ("BACKENDS",),
    "crunchtime.engine.backends.pool": ("RunCancelled", "WorkerPool", "default_workers"),
    "crunchtime.engine.sizes": ("BLOCK", "DEFAULT_CHUNK", "MAX_SAMPLES", "MAX_WORKERS"),
    "crunchtime.results.result": ("HORIZON_RISK_MONTHS", "OUTCOME_ORDER", "SimulationResult"),
    "crunchtime.results.comparison": ("ComparisonResult",),
    "crunchtime.results.saved": ("delete_run", "list_runs", "load_run", "save_run"),
    "crunchtime.results.simulation": (
        "Progress",
        "check_jit",
        "compare",
        "jit_device",
        "jit_on_cpu",
        "jit_ready",
        "refine",
        "simulate",
    ),
    "crunchtime.results.store": ("RunInfo", "RunStore", "StoredRun"),
    "crunchtime.results.workers": ("worker_pool",),
    "crunchtime.results.view": ("BELIEFS_NOTE", "format_probability"),
    "crunchtime.report": ("write_report",),
    # the names and colours reports use for outcomes, milestones and risk sources (for shells that draw their own)
    "crunchtime.report.style": (
        "MILESTONE_LABELS",
        "OUTCOME_COLORS",
        "OUTCOME_LABELS",
        "PATH_COLORS",
        "PATH_LABELS",
        "SOURCE_COLORS",
        "SOURCE_LABELS",
        "WORLD_COLORS",
        "WORLD_LABELS",
    ),
    "crunchtime.analysis.claims": (
        "VANISH_TOLERANCE",
        "Claim",
        "ClaimsResult",
        "format_paired_difference",
        "load_claims",
        "run_claims",
        "select_claims",
        "write_claims_report",
    ),
    "crunchtime.analysis.discover": ("discover",),
    "crunchtime.analysis.optimize": ("optimize",),
    "crunchtime.analysis.result": ("AnalysisResult", "save_analysis"),
    "crunchtime.analysis.sensitivity": ("sensitivity",),
    "crunchtime.analysis.table1": ("table1",),
    "crunchtime.analysis.table1_essay": ("TABLE1_STEP",),
    "crunchtime.crunch.calculators": (
        "EXCHANGE_ARGUMENTS",
        "ExchangeInputs",
        "ProxyExperiment",
        "Segment",
        "effective_rate",
        "effective_years",
        "effective_years_from_run",
        "example_projects",
        "exchange_rate",
        "load_projects",
        "parse_segment",
        "parse_window",
        "solve_schedule",
        "weak_proxy_evidence",
    ),
    "crunchtime.crunch.control": ("ControlComparison", "ControlEvidence", "control_evidence", "example_control_logs"),
    "crunchtime.crunch.control_logs": ("ProtocolMeasure",),
    "crunchtime.crunch.control_update": ("ControlMeasurement", "ControlPosterior", "update_control"),
    "crunchtime.envs": ("MagmaEnv", "RaceEnv"),
    "crunchtime.takeoff.sizes": ("MAX_SIE_SAMPLES",),
    "crunchtime.takeoff.calculators": (
        "PAPER_CONDITIONS",
        "PAPER_REPORTED",
        "Condition",
        "SIEParams",
        "SIEResult",
        "parse_range",
        "simulate_sie",
    ),
}
#: the module that owns each public name (derived from PUBLIC)
HOME: dict[str, str] = {name: module for module, names in PUBLIC.items() for name in names}

__all__ = sorted(["ArgumentError", "CrunchtimeError", "InputError", "__version__", *HOME])

if TYPE_CHECKING:  # what a type checker and the import contract see; at run time `__getattr__` imports these
    # `from m import x as x` marks x as re-exported (PEP 484), for type checkers and linters alike
    from crunchtime.analysis.claims import VANISH_TOLERANCE as VANISH_TOLERANCE
    from crunchtime.analysis.claims import Claim as Claim
    from crunchtime.analysis.claims import ClaimsResult as ClaimsResult
    from crunchtime.analysis.claims import format_paired_difference as format_paired_difference
    from crunchtime.analysis.claims import load_claims as load_claims
    from crunchtime.analysis.claims import run_claims as run_claims
    from crunchtime.analysis.claims import select_claims as select_claims
    from crunchtime.analysis.claims import write_claims_report as write_claims_report
    from crunchtime.analysis.discover import discover as discover
    from crunchtime.analysis.optimize import optimize as optimize
    from crunchtime.analysis.result import AnalysisResult as AnalysisResult
    from crunchtime.analysis.result import save_analysis as save_analysis
    from crunchtime.analysis.sensitivity import sensitivity as sensitivity
    from crunchtime.analysis.table1 import table1 as table1
    from crunchtime.analysis.table1_essay import TABLE1_STEP as TABLE1_STEP
    from crunchtime.crunch.calculators import EXCHANGE_ARGUMENTS as EXCHANGE_ARGUMENTS
    from crunchtime.crunch.calculators import ExchangeInputs as ExchangeInputs
    from crunchtime.crunch.calculators import ProxyExperiment as ProxyExperiment
    from crunchtime.crunch.calculators import Segment as Segment
    from crunchtime.crunch.calculators import effective_rate as effective_rate
    from crunchtime.crunch.calculators import effective_years as effective_years
    from crunchtime.crunch.calculators import effective_years_from_run as effective_years_from_run
    from crunchtime.crunch.calculators import example_projects as example_projects
    from crunchtime.crunch.calculators import exchange_rate as exchange_rate
    from crunchtime.crunch.calculators import load_projects as load_projects
    from crunchtime.crunch.calculators import parse_segment as parse_segment
    from crunchtime.crunch.calculators import parse_window as parse_window
    from crunchtime.crunch.calculators import solve_schedule as solve_schedule
    from crunchtime.crunch.calculators import weak_proxy_evidence as weak_proxy_evidence
    from crunchtime.crunch.control import ControlComparison as ControlComparison
    from crunchtime.crunch.control import ControlEvidence as ControlEvidence
    from crunchtime.crunch.control import control_evidence as control_evidence
    from crunchtime.crunch.control import example_control_logs as example_control_logs
    from crunchtime.crunch.control_logs import ProtocolMeasure as ProtocolMeasure
    from crunchtime.crunch.control_update import ControlMeasurement as ControlMeasurement
    from crunchtime.crunch.control_update import ControlPosterior as ControlPosterior
    from crunchtime.crunch.control_update import update_control as update_control
    from crunchtime.engine.backends import BACKENDS as BACKENDS
    from crunchtime.engine.backends.pool import RunCancelled as RunCancelled
    from crunchtime.engine.backends.pool import WorkerPool as WorkerPool
    from crunchtime.engine.backends.pool import default_workers as default_workers
    from crunchtime.engine.sizes import BLOCK as BLOCK
    from crunchtime.engine.sizes import DEFAULT_CHUNK as DEFAULT_CHUNK
    from crunchtime.engine.sizes import MAX_SAMPLES as MAX_SAMPLES
    from crunchtime.engine.sizes import MAX_WORKERS as MAX_WORKERS
    from crunchtime.envs import MagmaEnv as MagmaEnv
    from crunchtime.envs import RaceEnv as RaceEnv
    from crunchtime.model.catalog import list_plans as list_plans
    from crunchtime.model.catalog import list_scenarios as list_scenarios
    from crunchtime.model.catalog import load_plan as load_plan
    from crunchtime.model.catalog import load_scenario as load_scenario
    from crunchtime.model.catalog import parameters as parameters
    from crunchtime.model.design import Parameter as Parameter
    from crunchtime.model.knobs import KNOBS as KNOBS
    from crunchtime.model.plans import Plan as Plan
    from crunchtime.model.plans import parse_plan as parse_plan
    from crunchtime.model.scenario import Scenario as Scenario
    from crunchtime.model.state import MAGMA_PATHS as MAGMA_PATHS
    from crunchtime.model.state import MILESTONES as MILESTONES
    from crunchtime.model.state import OUTCOMES as OUTCOMES
    from crunchtime.model.state import PATH_ORDER as PATH_ORDER
    from crunchtime.model.state import SOURCES as SOURCES
    from crunchtime.model.state import WORLD_ORDER as WORLD_ORDER
    from crunchtime.model.state import WORLD_OUTCOMES as WORLD_OUTCOMES
    from crunchtime.model.validate import validate_file as validate_file
    from crunchtime.report import write_report as write_report
    from crunchtime.report.style import MILESTONE_LABELS as MILESTONE_LABELS
    from crunchtime.report.style import OUTCOME_COLORS as OUTCOME_COLORS
    from crunchtime.report.style import OUTCOME_LABELS as OUTCOME_LABELS
    from crunchtime.report.style import PATH_COLORS as PATH_COLORS
    from crunchtime.report.style import PATH_LABELS as PATH_LABELS
    from crunchtime.report.style import SOURCE_COLORS as SOURCE_COLORS
    from crunchtime.report.style import SOURCE_LABELS as SOURCE_LABELS
    from crunchtime.report.style import WORLD_COLORS as WORLD_COLORS
    from crunchtime.report.style import WORLD_LABELS as WORLD_LABELS
    from crunchtime.results.comparison import ComparisonResult as ComparisonResult
    from crunchtime.results.result import HORIZON_RISK_MONTHS as HORIZON_RISK_MONTHS
    from crunchtime.results.result import OUTCOME_ORDER as OUTCOME_ORDER
    from crunchtime.results.result import SimulationResult as SimulationResult
    from crunchtime.results.saved import delete_run as delete_run
    from crunchtime.results.saved import list_runs as list_runs
    from crunchtime.results.saved import load_run as load_run
    from crunchtime.results.saved import save_run as save_run
    from crunchtime.results.simulation import Progress as Progress
    from crunchtime.results.simulation import check_jit as check_jit
    from crunchtime.results.simulation import compare as compare
    from crunchtime.results.simulation import jit_device as jit_device
    from crunchtime.results.simulation import jit_on_cpu as jit_on_cpu
    from crunchtime.results.simulation import jit_ready as jit_ready
    from crunchtime.results.simulation import refine as refine
    from crunchtime.results.simulation import simulate as simulate
    from crunchtime.results.store import RunInfo as RunInfo
    from crunchtime.results.store import RunStore as RunStore
    from crunchtime.results.store import StoredRun as StoredRun
    from crunchtime.results.view import BELIEFS_NOTE as BELIEFS_NOTE
    from crunchtime.results.view import format_probability as format_probability
    from crunchtime.results.workers import worker_pool as worker_pool
    from crunchtime.takeoff.calculators import PAPER_CONDITIONS as PAPER_CONDITIONS
    from crunchtime.takeoff.calculators import PAPER_REPORTED as PAPER_REPORTED
    from crunchtime.takeoff.calculators import Condition as Condition
    from crunchtime.takeoff.calculators import SIEParams as SIEParams
    from crunchtime.takeoff.calculators import SIEResult as SIEResult
    from crunchtime.takeoff.calculators import parse_range as parse_range
    from crunchtime.takeoff.calculators import simulate_sie as simulate_sie
    from crunchtime.takeoff.sizes import MAX_SIE_SAMPLES as MAX_SIE_SAMPLES


def __getattr__(name: str) -> Any:
    """Import a public name's home on first use and keep the name here (PEP 562)."""
    if name == "web_app":
        # deprecated: the arcade is a shell above this facade (crunchtime.web.web_app, also `crunchtime.web_app`);
        # the old name still works, looked up at first use, until it is removed (docs/architecture.md)
        warnings.warn(
            "crunchtime.api.web_app is deprecated: use crunchtime.web.web_app (or crunchtime.web_app)",
            DeprecationWarning,
            stacklevel=2,
        )
        return importlib.import_module("crunchtime.web").web_app
    elif name in HOME:
        value = getattr(importlib.import_module(HOME[name]), name)
    else:
        raise AttributeError(f"module 'crunchtime.api' has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
