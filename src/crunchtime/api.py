"""The public Python API: the one door every shell (CLI, report, web app, notebooks) goes through.

Load beliefs (`load_scenario`) and plans (`load_plan`), run them (`simulate`, `compare`), keep the
results with their provenance (`save_run`, `load_run`, `list_runs`, `delete_run`), write reports
(`write_report`) and use the stand-alone calculators (`effective_years`, `solve_schedule`,
`exchange_rate`, `weak_proxy_evidence`, `simulate_sie`). Errors are `InputError`s whose message is one
line; a bad argument of a function here is an `ArgumentError` naming the argument (`samples: ...`).
See docs/api.md for a notebook session.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from crunchtime._version import __version__
from crunchtime.analysis import claims as _claims
from crunchtime.analysis.claims import VANISH_TOLERANCE, Claim, ClaimsResult
from crunchtime.analysis.result import AnalysisResult
from crunchtime.analysis.table1 import DEFAULT_STEP as TABLE1_STEP
from crunchtime.api_calculators import (
    EXCHANGE_ARGUMENTS,
    MAX_SIE_SAMPLES,
    PAPER_CONDITIONS,
    PAPER_REPORTED,
    Condition,
    ExchangeInputs,
    ProxyExperiment,
    Segment,
    SIEParams,
    SIEResult,
    effective_rate,
    effective_years,
    effective_years_from_run,
    example_projects,
    exchange_rate,
    load_projects,
    parse_range,
    parse_segment,
    parse_window,
    simulate_sie,
    solve_schedule,
    weak_proxy_evidence,
)
from crunchtime import design as _design
from crunchtime.design import Parameter
from crunchtime.backends import BACKENDS, check_backend
from crunchtime.engine import BLOCK, DEFAULT_CHUNK, run_chunks
from crunchtime.errors import ArgumentError, CrunchtimeError, InputError
from crunchtime.model.knobs import KNOBS
from crunchtime.model.state import MAGMA_PATHS, MILESTONES, OUTCOMES, SOURCES, WORLD_OUTCOMES
from crunchtime.plans import Plan, list_builtin_plans
from crunchtime.plans import load_plan as _load_plan
from crunchtime.plans import parse_plan
from crunchtime.result import (HORIZON_RISK_MONTHS, OUTCOME_ORDER, PATH_ORDER, WORLD_ORDER, ComparisonResult,
                               SimulationResult, assemble)
from crunchtime.report.style import (MILESTONE_LABELS, OUTCOME_COLORS, OUTCOME_LABELS, PATH_COLORS, PATH_LABELS,
                                     SOURCE_COLORS, SOURCE_LABELS, WORLD_COLORS, WORLD_LABELS)
from crunchtime.resultview import BELIEFS_NOTE, format_probability
from crunchtime.scenario import Scenario, builtin_scenarios
from crunchtime.scenario import load_scenario as _load_scenario
from crunchtime.store import RunInfo, RunStore, StoredRun, make_provenance
from crunchtime.validate import validate_file

MAX_SAMPLES = 10_000_000
MAX_WORKERS = 256

__all__ = [
    "BACKENDS", "BELIEFS_NOTE", "BLOCK", "DEFAULT_CHUNK", "EXCHANGE_ARGUMENTS", "KNOBS", "MAX_SAMPLES", "MAX_SIE_SAMPLES",
    "MILESTONES", "OUTCOMES", "OUTCOME_ORDER", "PAPER_CONDITIONS", "PAPER_REPORTED", "SOURCES",
    "VANISH_TOLERANCE", "Claim", "ClaimsResult", "load_claims", "run_claims", "select_claims", "format_paired_difference",
    "AnalysisResult", "ArgumentError", "ComparisonResult", "Parameter", "parameters", "save_analysis", "Condition", "CrunchtimeError", "ExchangeInputs", "InputError", "Plan",
    "ProxyExperiment", "RunInfo", "RunStore", "SIEParams", "SIEResult", "Scenario", "Segment", "SimulationResult",
    "StoredRun", "__version__", "compare", "delete_run", "effective_rate", "effective_years",
    "effective_years_from_run", "example_projects", "exchange_rate", "format_probability", "list_plans",
    "list_runs", "list_scenarios", "load_plan", "load_projects", "load_run", "load_scenario", "parse_plan",
    "parse_range", "parse_segment", "parse_window", "save_run", "simulate", "simulate_sie", "solve_schedule",
    "validate_file", "weak_proxy_evidence", "write_claims_report", "write_report",
    "web_app", "jit_device",
]
__all__ += ["TABLE1_STEP", "optimize", "table1"]
__all__ += ["discover", "sensitivity"]
# the names and colours reports use for outcomes, milestones and risk sources (for shells that draw their own)
__all__ += ["MILESTONE_LABELS", "OUTCOME_COLORS", "OUTCOME_LABELS", "SOURCE_COLORS", "SOURCE_LABELS"]
# the world's outcome and Magma's path (docs/model.md, "Two classifications")
__all__ += ["HORIZON_RISK_MONTHS", "MAGMA_PATHS", "PATH_COLORS", "PATH_LABELS", "PATH_ORDER", "WORLD_COLORS",
            "WORLD_LABELS", "WORLD_ORDER", "WORLD_OUTCOMES"]

Progress = Callable[[int, int], None]


# ----------------------------------------------------------------------------- inputs


def load_scenario(name_or_path: str | Path) -> Scenario:
    """Load beliefs: a built-in scenario by name or a scenario YAML file, validated.

    Parameters
    ----------
    name_or_path : str or Path
        A built-in name (see `list_scenarios`) or a YAML file; a file may `extends:` another.

    Returns
    -------
    Scenario
        Start month, horizon, world parameters and actors, each a distribution.

    Examples
    --------
    >>> sc = load_scenario("default")
    >>> sc.actor_names[0]
    'Magma'
    """
    return _load_scenario(name_or_path)


def list_scenarios() -> list[tuple[str, str]]:
    """The built-in scenarios.

    Returns
    -------
    list of (name, description)

    Examples
    --------
    >>> "default" in dict(list_scenarios())
    True
    """
    return builtin_scenarios()


def load_plan(name_or_path: str | Path | Plan) -> Plan:
    """Load a plan: a built-in plan by name or a plan YAML file (which may `extends:` another plan).

    Parameters
    ----------
    name_or_path : str, Path or Plan
        A built-in name (see `list_plans`), a YAML file, or a Plan (returned as is). Any object with a
        `name` and a `decide(observables) -> knobs` method is also returned as is (a plan written in
        Python; it runs in one process only, since workers rebuild plans from their YAML text).

    Returns
    -------
    Plan
        The validated plan; `plan.decide(observables)` gives its knobs.

    Examples
    --------
    >>> load_plan("clymer").params["lagging_months"]
    6.0
    """
    return _load_plan(name_or_path) if isinstance(name_or_path, (str, Path)) else name_or_path


def list_plans() -> list[tuple[str, str]]:
    """The built-in plans.

    Returns
    -------
    list of (name, description)

    Examples
    --------
    >>> "clymer" in dict(list_plans())
    True
    """
    return list_builtin_plans()


# ----------------------------------------------------------------------------- simulation


def _check_run_args(samples: Any, seed: Any, chunk_size: Any, workers: Any) -> None:
    def whole(x: Any) -> bool:
        return isinstance(x, int) and not isinstance(x, bool)

    if not whole(samples) or not 1 <= samples <= MAX_SAMPLES:
        raise ArgumentError("samples", f"must be a whole number in 1..{MAX_SAMPLES}, got {samples!r}")
    if not whole(seed) or not 0 <= seed < 2**63:
        raise ArgumentError("seed", f"must be a non-negative whole number below 2**63, got {seed!r}")
    if not whole(chunk_size) or chunk_size <= 0 or chunk_size % BLOCK:
        raise ArgumentError("chunk_size", f"must be a positive multiple of {BLOCK}, got {chunk_size!r}")
    if not whole(workers) or not 1 <= workers <= MAX_WORKERS:
        raise ArgumentError("workers", f"must be a whole number in 1..{MAX_WORKERS}, got {workers!r}")


def _check_jit(jit: Any) -> None:
    """Refuse a non-boolean `jit`, or jit=True without JAX (naming the extra)."""
    if not isinstance(jit, bool):
        raise ArgumentError("jit", f"must be True or False, got {jit!r}")
    if jit:
        from crunchtime import jit as compiled

        if not compiled.available():
            raise ArgumentError("jit", f"needs JAX, which is not installed: {compiled.INSTALL}")


def compare(scenario: Scenario | str | Path, plans: Sequence[Plan | str | Path], samples: int = 2000, seed: int = 0,
            chunk_size: int = DEFAULT_CHUNK, workers: int = 1, progress: Progress | None = None,
            design: Mapping[str, Any] | None = None, backend: str = "local",
            address: str | None = None, jit: bool = False) -> ComparisonResult:
    """Simulate several plans on identical sampled worlds and shocks (common random numbers).

    Parameters
    ----------
    scenario : Scenario, str or Path
        Beliefs: a Scenario, a built-in scenario name or a YAML file.
    plans : sequence of Plan, str or Path
        Plans or plan names/files; their names must be distinct.
    samples : int
        Trajectories per plan, 1..MAX_SAMPLES.
    seed : int
        Random seed; the same inputs and seed give identical results.
    chunk_size : int
        Trajectories per work unit (a multiple of BLOCK); results do not depend on it.
    workers : int
        Processes; results do not depend on it.
    progress : callable(done, total), optional
        Called after each chunk.
    design : mapping of parameter name to array, optional
        Given belief values, one per trajectory (`samples` long), in place of the scenario's draws of those
        parameters: world parameters by name, actor fields as `ACTOR.FIELD` (see `parameters`). Trajectory
        i keeps the shocks of index i, so designs are compared on common random numbers.
    backend : {'local', 'ray'}
        Where the chunks run: 'local' (this process, or `workers` processes) or 'ray' (one Ray task per
        chunk; needs `pip install "crunchtime[ray]"`, see docs/scale.md). Results do not depend on it.
    address : str, optional
        With backend 'ray': the cluster, "auto" (the one `ray start --head` started on this machine) or
        "HOST:PORT"; None joins $RAY_ADDRESS or the cluster this process already joined, else starts Ray here.
    jit : bool
        Simulate with the engine compiled by JAX/XLA (`crunchtime.jit`; needs `pip install "crunchtime[jit]"`)
        instead of numpy: the same model functions, faster on a GPU or for repeated calls of the same plans
        (the first call for new plan rules compiles, seconds). Values agree with numpy's to about 1e-12, not
        bit for bit (docs/performance.md).

    Returns
    -------
    ComparisonResult
        One SimulationResult per plan; `differences()` pairs them trajectory by trajectory.

    Examples
    --------
    >>> cmp = compare("default", ["clymer", "stop-now"], samples=256)
    >>> cmp.plans
    ['clymer', 'stop-now']
    """
    _check_run_args(samples, seed, chunk_size, workers)
    check_backend(backend, address)
    _check_jit(jit)
    sc = scenario if isinstance(scenario, Scenario) else load_scenario(scenario)
    if isinstance(plans, (str, Path, Plan)) or not plans:
        raise ArgumentError("plans", "give a non-empty list of plans")
    plan_objs = [load_plan(p) for p in plans]
    names = [p.name for p in plan_objs]
    if len(set(names)) != len(names):
        dup = next(n for n in names if names.count(n) > 1)
        raise ArgumentError("plans", f"plan names must be distinct ({dup!r} appears twice)")
    grid = _design.validate(sc, design, samples)
    started, t0 = datetime.now(timezone.utc), time.perf_counter()
    chunks = run_chunks(sc, plan_objs, samples, seed, chunk_size, workers, progress, design=grid, backend=backend,
                        address=address, jit=jit)
    wall = time.perf_counter() - t0
    results = {}
    for i, plan in enumerate(plan_objs):
        res = assemble(sc, plan.name, seed, [c[i] for c in chunks])
        res.extra.update(plan_source_text=plan.source_text, started_at=started, wall_time_s=wall)
        results[plan.name] = res
    return ComparisonResult(results)


def simulate(scenario: Scenario | str | Path, plan: Plan | str | Path, samples: int = 2000, seed: int = 0,
             chunk_size: int = DEFAULT_CHUNK, workers: int = 1, progress: Progress | None = None,
             design: Mapping[str, Any] | None = None, backend: str = "local",
             address: str | None = None, jit: bool = False) -> SimulationResult:
    """Run one plan on a scenario: outcome probabilities with standard errors, milestones, risk, quantiles.

    Parameters
    ----------
    scenario : Scenario, str or Path
        Beliefs: a Scenario, a built-in scenario name or a YAML file.
    plan : Plan, str or Path
        A Plan, a built-in plan name or a plan YAML file.
    samples, seed, chunk_size, workers, progress, design, backend, address, jit
        As for `compare`.

    Returns
    -------
    SimulationResult
        `summary()` is the JSON of `crunchtime run --json`; `to_pandas()` gives its tables.

    Examples
    --------
    >>> res = simulate("default", "clymer", samples=256, seed=1)
    >>> sorted(res.summary()["outcomes"])[:2]
    ['catastrophe', 'coordinated_pause']
    """
    if isinstance(plan, (list, tuple)):
        raise ArgumentError("plan", "give one plan (use compare for several)")
    return next(iter(compare(scenario, [plan], samples, seed, chunk_size, workers, progress, design, backend,
                             address, jit).results.values()))


def parameters(scenario: Scenario | str | Path, uncertain_only: bool = False) -> list[Parameter]:
    """The parameters a design may set: world parameters by name, actor fields as `ACTOR.FIELD`.

    Parameters
    ----------
    scenario : Scenario, str or Path
    uncertain_only : bool
        Leave out those the scenario states as constants.

    Returns
    -------
    list of Parameter
        Each with `.name`, `.distribution` (the belief), `.spec` (unit, valid range) and `.ppf(u)`.

    Examples
    --------
    >>> [p.name for p in parameters("default")][:2]
    ['algorithmic_progress', 'returns_r']
    """
    sc = scenario if isinstance(scenario, Scenario) else load_scenario(scenario)
    return _design.parameters(sc, uncertain_only)


# ----------------------------------------------------------------------------- the run store


def save_run(result: SimulationResult | ComparisonResult, home: str | Path | None = None) -> str:
    """Save a result in the run store with its provenance (exact inputs, seed, samples, version, timing).

    Parameters
    ----------
    result : SimulationResult or ComparisonResult
        What `simulate` or `compare` returned.
    home : str or Path, optional
        The store's folder (default: $CRUNCHTIME_HOME, else the per-user data folder).

    Returns
    -------
    str
        The new run id (`load_run(run_id)` reads it back; `crunchtime report ID` renders it).

    Examples
    --------
    >>> run_id = save_run(simulate("default", "clymer", samples=256))  # doctest: +SKIP
    """
    if isinstance(result, ComparisonResult):
        kind, res = "compare", result.results
    elif isinstance(result, SimulationResult):
        kind, res = "run", {result.plan_name: result}
    else:
        raise ArgumentError("result", f"expected a SimulationResult or ComparisonResult, got {type(result).__name__}")
    first = next(iter(res.values()))
    prov = make_provenance(scenario_name=first.scenario.name, scenario_text=first.scenario.source_text,
                           plans={k: v.extra.get("plan_source_text") for k, v in res.items()},
                           seed=first.seed, samples=first.samples, started_at=first.extra.get("started_at"),
                           wall_time_s=first.extra.get("wall_time_s"))
    return RunStore(home).save(kind, prov, result.summary(), result.tables())


def save_analysis(result: AnalysisResult, home: str | Path | None = None) -> str:
    """Save an analysis (optimize, sensitivity, discover, table1) in the run store with its provenance.

    Parameters
    ----------
    result : AnalysisResult
        What `optimize`, `sensitivity`, `discover` or `table1` returned.
    home : str or Path, optional
        The store's folder (default as for `save_run`).

    Returns
    -------
    str
        The new run id; `load_run(run_id).summary` is `result.to_dict()`, `crunchtime report ID` renders it.

    Examples
    --------
    >>> run_id = save_analysis(sensitivity("default", "clymer", base_samples=8))  # doctest: +SKIP
    """
    if not isinstance(result, AnalysisResult):
        raise ArgumentError("result", f"expected an AnalysisResult, got {type(result).__name__}")
    prov = make_provenance(scenario_name=result.scenario_name, scenario_text=result.scenario_text,
                           plans=result.plans, seed=result.seed, samples=result.samples,
                           started_at=result.started_at, wall_time_s=result.wall_time_s)
    return RunStore(home).save(result.kind, prov, result.to_dict(), result.tables)


def load_run(run_id: str, home: str | Path | None = None) -> StoredRun:
    """Read a saved run.

    Parameters
    ----------
    run_id : str
        A run id or a unique prefix of one.
    home : str or Path, optional
        The store's folder (default as for `save_run`).

    Returns
    -------
    StoredRun
        `.summary`, `.provenance`, `.info` and `.table(name)` (pyarrow).

    Examples
    --------
    >>> load_run(run_id).summary["kind"]  # doctest: +SKIP
    'run'
    """
    return RunStore(home).load(run_id)


def list_runs(home: str | Path | None = None) -> list[RunInfo]:
    """Every saved run, oldest first.

    Parameters
    ----------
    home : str or Path, optional
        The store's folder (default as for `save_run`).

    Returns
    -------
    list of RunInfo

    Examples
    --------
    >>> [info.run_id for info in list_runs()]  # doctest: +SKIP
    """
    return RunStore(home).list()


def delete_run(run_id: str, home: str | Path | None = None) -> RunInfo:
    """Delete a saved run (its folder and catalogue entry).

    Parameters
    ----------
    run_id : str
        A run id or a unique prefix of one.
    home : str or Path, optional
        The store's folder (default as for `save_run`).

    Returns
    -------
    RunInfo
        What was deleted.

    Examples
    --------
    >>> delete_run(run_id).run_id  # doctest: +SKIP
    """
    return RunStore(home).delete(run_id)


def write_report(run: StoredRun | str, path: str | Path, home: str | Path | None = None,
                 progress: Progress | None = None) -> Path:
    """Write the self-contained HTML report of a saved run (figures inline, no network needed).

    Two reports of one run are byte-identical.

    Parameters
    ----------
    run : StoredRun or str
        A stored run or its id (or a unique prefix).
    path : str or Path
        The HTML file to write (atomically).
    home : str or Path, optional
        The store's folder when `run` is an id.
    progress : callable(done, total), optional
        Called as each figure is drawn.

    Returns
    -------
    Path
        The absolute path written.

    Examples
    --------
    >>> write_report(save_run(result), "report.html")  # doctest: +SKIP
    """
    from crunchtime.report import write_report as _write

    stored = run if isinstance(run, StoredRun) else load_run(run, home)
    return _write(stored, path, progress=progress)


# ----------------------------------------------------------------------------- the essays' claims


def load_claims(path: str | Path | None = None) -> list[Claim]:
    """The essays' claims as paired experiments, validated and ready to run.

    Parameters
    ----------
    path : str or Path, optional
        A claims YAML file (default: crunchtime's own claims.yaml, see docs/claims.md).

    Returns
    -------
    list of Claim
        In file order; each names its plans, scenario, metric, expected sign and flip.

    Examples
    --------
    >>> [c.id for c in load_claims()][:2]  # doctest: +SKIP
    """
    return _claims.load_claims(path)


def select_claims(claims: Sequence[Claim], only: str | Sequence[str] | None) -> list[Claim]:
    """The claims whose ids are in `only`, in file order (all of them when `only` is None).

    Parameters
    ----------
    claims : sequence of Claim
        From `load_claims`.
    only : str, sequence of str or None
        Claim ids: comma-separated text or a list.

    Returns
    -------
    list of Claim

    Examples
    --------
    >>> select_claims(load_claims(), "heuristic-1-scale")  # doctest: +SKIP
    """
    return _claims.select_claims(claims, only)


def run_claims(samples: int = 4000, seed: int = 1, only: str | Sequence[str] | None = None, workers: int = 1,
               progress: Progress | None = None, claims: Sequence[Claim] | None = None, backend: str = "local",
               address: str | None = None) -> ClaimsResult:
    """Run every claim (or those in `only`) and its flip as paired experiments.

    Parameters
    ----------
    samples : int
        Trajectories per side.
    seed : int
        Run seed; the same seed gives identical results.
    only : str or sequence of str, optional
        Claim ids to run; all by default.
    workers : int
        Processes per simulation; results do not depend on it.
    progress : callable(done, total), optional
        Called as simulated chunks finish.
    claims : sequence of Claim, optional
        Claims to run instead of the shipped ones.
    backend, address
        Where the simulations run, as for `compare`; results do not depend on it.

    Returns
    -------
    ClaimsResult

    Examples
    --------
    >>> run_claims(samples=512, only="heuristic-1-scale")  # doctest: +SKIP
    """
    check_backend(backend, address)
    return _claims.run_claims(samples=samples, seed=seed, only=only, workers=workers, progress=progress,
                              claims=claims, backend=backend, address=address)


def write_claims_report(result: ClaimsResult, path: str | Path) -> Path:
    """Write the claims as a self-contained HTML page: summary, forest plot, table, sources and flips.

    Parameters
    ----------
    result : ClaimsResult
        What `run_claims` returned.
    path : str or Path
        The HTML file to write (atomically).

    Returns
    -------
    Path
        The absolute path written.

    Examples
    --------
    >>> write_claims_report(run_claims(samples=512), "claims.html")  # doctest: +SKIP
    """
    from crunchtime.report.claims import write_claims_report as _write

    return _write(result.to_dict(), path)


def format_paired_difference(measured: Any) -> str:
    """A measured paired difference in percentage points with its 95% interval.

    Parameters
    ----------
    measured : Measured or dict
        A measured difference or its JSON dict (`diff`, `ci95`).

    Returns
    -------
    str
        E.g. '+3.1 [+1.2, +5.0]'.

    Examples
    --------
    >>> format_paired_difference({"diff": 0.031, "ci95": [0.012, 0.05]})
    '+3.1 [+1.2, +5.0]'
    """
    return _claims.format_pp(measured)


# ----------------------------------------------------------------------------- analyses: Table 1


def table1(scenario: Scenario | str | Path = "default", plan: Plan | str | Path = "clymer", samples: int = 2000,
           seed: int = 1, step: float = TABLE1_STEP, workers: int = 1,
           progress: Progress | None = None, backend: str = "local", address: str | None = None) -> AnalysisResult:
    """The essay's Table 1 computed by the model: three marginal paired experiments per intervention category.

    Each category (nonproliferation, safety distribution, governance and communication, AI defense, and
    alignment, control and evaluation research) gets `step` more of Magma's resources, taken from capability
    work, always, only before 3x AI R&D speed-up, or only after it; every variant runs on the base plan's
    worlds and shocks (common random numbers). See docs/analysis.md, "Table 1".

    Parameters
    ----------
    scenario : Scenario, str or Path
        Beliefs: a Scenario, a built-in scenario name or a YAML file.
    plan : Plan, str or Path
        The base plan; its safety knobs are rewritten as data, its other knobs kept exactly.
    samples : int
        Trajectories per plan (the base and each of the 15 variants).
    seed : int
        Random seed; the same inputs and seed give identical results.
    step : float
        The extra share of Magma's resources, in (0, 0.2].
    workers : int
        Processes; results do not depend on it.
    progress : callable(done, total), optional
        Called after each chunk.
    backend, address
        Where the simulations run ('local' or 'ray', and the Ray cluster), as for `compare`; results do not
        depend on them.

    Returns
    -------
    AnalysisResult
        Kind "table1"; `to_dict()["rows"]` has one row per category with `safety_per_cost`,
        `use_to_other_developers` and `benefit_of_acting_early` (each `value`, `ci95`, in percentage points of
        P(catastrophe) per percentage-point-year of resources) and the essay's ratings (`essay`).

    Examples
    --------
    >>> res = table1("default", "clymer", samples=256, seed=1)  # doctest: +SKIP
    >>> [r["category"] for r in res.to_dict()["rows"]][:2]  # doctest: +SKIP
    ['nonproliferation', 'safety_distribution']
    """
    from crunchtime.analysis.table1 import table1 as _table1

    return _table1(scenario, plan, samples=samples, seed=seed, step=step, workers=workers, progress=progress,
                   backend=backend, address=address)


# ----------------------------------------------------------------------------- analyses: optimize


def optimize(scenario: Scenario | str | Path, plan: Plan | str | Path, trials: int = 40, samples: int = 500,
             seed: int = 1, objective: str = "catastrophe", utility: Mapping[str, float] | str | None = None,
             tune_knobs: bool = False, space: Mapping[str, tuple[float, float]] | str | None = None,
             sampler: str | None = None, pareto: bool = False, validation_samples: int | None = None,
             timeout: float | None = None, workers: int = 1, progress: Progress | None = None,
             resume: str | None = None, home: str | Path | None = None,
             on_study: Callable[[str], None] | None = None, backend: str = "local", address: str | None = None) -> AnalysisResult:
    """Tune a plan's params (and optionally its knob defaults), then test the tuned plan out of sample.

    Every trial simulates a candidate on the same seed (common random numbers) and scores the mean smooth
    `catastrophe_risk` (or mean utility); trial 0 is the start plan. The tuned plan is then compared with
    the start plan on a fresh seed (`validation_samples` paired trajectories): the paired difference of
    P(catastrophe), tuned - start, with a 95% interval. See docs/analysis.md ("Optimize").
    Needs the `optimize` extra (`pip install "crunchtime[optimize]"`).

    Parameters
    ----------
    scenario : Scenario, str or Path
        Beliefs.
    plan : Plan, str or Path
        The start plan; the tuned plan is named `<name>-tuned`.
    trials : int
        Candidate plans to evaluate in all (a resumed study counts those it already has).
    samples : int
        Trajectories per trial.
    seed : int
        The search's seed; the out-of-sample check uses a seed derived from it (`validation_seed` in
        `crunchtime.analysis.optimize`).
    objective : {"catastrophe", "utility"}
        Minimise mean catastrophe risk, or maximise mean utility of outcomes.
    utility : mapping or str, optional
        Outcome weights for "utility" (default: the essay's preference order); "pause=1,obsolescence=0.8".
    tune_knobs : bool
        Also tune the plan's constant knob defaults (as `defaults.KNOB`), within the knob table's ranges.
    space : mapping or str, optional
        Ranges replacing the default rule, {"name": (low, high)} or "name=low:high,...".
    sampler : {"tpe", "cmaes", "nsga2", "random"}, optional
        Optuna sampler (default: tpe; nsga2 with pareto).
    pareto : bool
        Two objectives: safety against staying at the frontier (1 - share of trajectories that self-destruct);
        reports the Pareto front.
    validation_samples : int, optional
        Paired trajectories of the out-of-sample check (default: max(4 * samples, 2000)).
    timeout : float, optional
        Seconds after which no new trial starts.
    workers : int
        Processes per simulation; results do not depend on it.
    progress : callable(done, total), optional
        Called after each trial and after the out-of-sample check.
    resume : str, optional
        A study id to continue (same settings required).
    home : str or Path, optional
        The run store whose `studies/` folder keeps the study (default as for `save_run`).
    on_study : callable(str), optional
        Called with the study id once the study exists.
    backend, address
        Where the simulations run ('local' or 'ray', and the Ray cluster), as for `compare`; results do not
        depend on them.

    Returns
    -------
    AnalysisResult
        Kind "optimize": `data["out_of_sample"]` = {start, tuned, diff, ci95, samples}, `best_params`,
        `trials` (history), `pareto_front` (with pareto), `tuned_plan_yaml`; table "trials".

    Examples
    --------
    >>> res = optimize("default", "clymer", trials=3, samples=128, validation_samples=256)  # doctest: +SKIP
    >>> sorted(res.data["out_of_sample"])  # doctest: +SKIP
    ['ci95', 'diff', 'samples', 'start', 'tuned']
    """
    from crunchtime.analysis.optimize import optimize as _optimize

    return _optimize(scenario, plan, trials=trials, samples=samples, seed=seed, objective=objective,
                     utility=utility, tune_knobs=tune_knobs, space=space, sampler=sampler, pareto=pareto,
                     validation_samples=validation_samples, timeout=timeout, workers=workers, progress=progress,
                     resume=resume, home=home, on_study=on_study, backend=backend, address=address)
# ----------------------------------------------------------------------------- the web app


def jit_device() -> str:
    """Where `jit=True` runs its compiled programs: JAX's default device.

    Parameters
    ----------
    None

    Returns
    -------
    str
        The device, e.g. 'cpu:0' or 'cuda:0'.

    Raises
    ------
    ArgumentError
        When JAX is not installed (naming the `jit` extra).

    Examples
    --------
    >>> jit_device()  # doctest: +SKIP
    'cpu:0'
    """
    _check_jit(True)
    from crunchtime import jit as compiled

    return compiled.device()


def web_app(home: str | Path | None = None, jit: bool = False) -> Any:
    """The arcade: the local web app's FastAPI application (needs `pip install "crunchtime[web]"`).

    Parameters
    ----------
    home : str or Path, optional
        The run store that its report downloads save into (default as for `save_run`).
    jit : bool
        Answer the sliders with the JAX-compiled engine (as `compare(jit=True)`; needs the `jit` extra).

    Returns
    -------
    fastapi.FastAPI
        Serve it with uvicorn (as `crunchtime serve` does) or test it with `fastapi.testclient.TestClient`.

    Raises
    ------
    CrunchtimeError
        When FastAPI is not installed (one line saying what to install).

    Examples
    --------
    >>> app = web_app()  # doctest: +SKIP
    """
    try:
        from crunchtime.web.app import create_app
    except ImportError as exc:
        from crunchtime.web import MISSING_MESSAGE

        raise CrunchtimeError(f"{MISSING_MESSAGE} ({exc.name} is missing)") from None
    _check_jit(jit)
    return create_app(home=None if home is None else str(home), jit=jit)


# ----------------------------------------------------------------------------- scenario discovery


def discover(scenario: Scenario | str | Path, plan: Plan | str | Path, versus: Plan | str | Path | None = None,
             samples: int = 2000, seed: int = 1, parameters: Sequence[str] | str | None = None,
             threshold: float | None = None, min_density: float = 0.5, peel_alpha: float = 0.05,
             min_mass: float = 0.05, max_boxes: int = 3, workers: int = 1,
             progress: Progress | None = None, backend: str = "local", address: str | None = None) -> AnalysisResult:
    """Find boxes in belief space where a plan fails, or loses to another plan (PRIM scenario discovery).

    Draws `samples` worlds as a Latin hypercube over the chosen beliefs, runs the plan (and `versus`, paired
    on common random numbers) on them, marks each world whose smooth catastrophe risk (or risk difference)
    is above `threshold` as a case of interest, and peels boxes with EMA Workbench's PRIM. A box is the step
    of the peeling trajectory with the largest coverage x density among those whose density reaches
    `min_density`, with restrictions that chance explains (quasi-p-value above 0.05) dropped; further boxes
    cover the remaining cases. See
    docs/analysis.md ("Scenario discovery"). Needs the `discover` extra (`pip install "crunchtime[discover]"`).

    Parameters
    ----------
    scenario : Scenario, str or Path
        Beliefs.
    plan : Plan, str or Path
        The plan whose failures (or losses) are sought.
    versus : Plan, str or Path, optional
        Seek the worlds where `plan` is riskier than this plan instead.
    samples : int
        Worlds (trajectories per plan), at least 100.
    seed : int
        Seed of the worlds' design and of the simulation; the same seed gives identical boxes.
    parameters : sequence of str or str, optional
        Beliefs to vary (names as in `parameters`; comma-separated text accepted); default: every uncertain
        one. The others are drawn from the scenario as usual.
    threshold : float, optional
        A world is a case when its score exceeds this: catastrophe risk (default 0.5), or with `versus` the
        paired risk difference plan - versus (default 0: strictly riskier).
    min_density : float
        The density a box should reach (share of its worlds that are cases), in (0, 1].
    peel_alpha : float
        Share of worlds peeled per PRIM step, in (0, 0.5].
    min_mass : float
        Smallest box as a share of the worlds, in (0, 1].
    max_boxes : int
        Boxes at most, 1..10.
    workers : int
        Processes; results do not depend on it.
    progress : callable(done, total), optional
        Called after each simulated chunk.
    backend, address
        Where the simulations run ('local' or 'ray', and the Ray cluster), as for `compare`; results do not
        depend on them.

    Returns
    -------
    AnalysisResult
        kind "discover"; `to_dict()["boxes"]` lists each box's `limits` ({parameter: [lo, hi]}, restricted
        parameters only), `coverage`, `density`, `mass` and per-parameter detail with quasi-p-values;
        `tables["peeling"]` holds the peeling trajectories, `tables["worlds"]` the worlds and their scores.

    Examples
    --------
    >>> res = discover("default", "clymer", samples=500, parameters=["safety_difficulty", "eval_noise"])  # doctest: +SKIP
    >>> res.to_dict()["boxes"][0]["limits"]  # doctest: +SKIP
    {'safety_difficulty': [0.9, 83.1]}
    """
    from crunchtime.analysis.discover import discover as _discover

    return _discover(scenario, plan, versus=versus, samples=samples, seed=seed, parameters=parameters,
                     threshold=threshold, min_density=min_density, peel_alpha=peel_alpha, min_mass=min_mass,
                     max_boxes=max_boxes, workers=workers, progress=progress, backend=backend, address=address)


# ----------------------------------------------------------------------------- analyses: sensitivity


def sensitivity(scenario: Scenario | str | Path, plan: Plan | str | Path, versus: Plan | str | Path | None = None,
                base_samples: int = 64, seed: int = 1, parameters: Sequence[str] | None = None,
                metric: str = "catastrophe_risk", replicates: int = 2, switch_top: int = 3, sweep_points: int = 9,
                sweep_samples: int = 512, sweep_range: Sequence[float] = (0.05, 0.95), workers: int = 1,
                progress: Progress | None = None, backend: str = "local", address: str | None = None) -> AnalysisResult:
    """Which beliefs decide the answer: Sobol' indices over the scenario's beliefs, and switch points.

    A Saltelli/Sobol' design (SALib) over the chosen parameters' belief quantiles, each matrix one paired
    `compare` on common random numbers; first-order (S1) and total (ST) indices with 95% bootstrap
    intervals, and the share of the variance no chosen belief decides (the simulator's own noise,
    estimated from replicates, in `noise`). With `versus`, the indices are of the paired difference plan - versus, and
    the top parameters are swept over their beliefs' 5%..95% quantiles to find where the preferred plan
    switches. Needs the extra `crunchtime[sensitivity]`. Method: docs/analysis.md, "Sensitivity".

    Parameters
    ----------
    scenario : Scenario, str or Path
        Beliefs: a Scenario, a built-in scenario name or a YAML file.
    plan : Plan, str or Path
        The plan whose metric (or difference with `versus`) is analysed.
    versus : Plan, str or Path, optional
        A second plan: analyse the paired difference plan - versus and find switch points.
    base_samples : int
        Sobol' base samples N (a power of two is best); the design has N * (parameters + 2) rows.
    seed : int
        Random seed; the same inputs and seed give identical results, whatever `workers`.
    parameters : sequence of str, optional
        Parameter names (world parameters by name, actor fields as `ACTOR.FIELD`); default: every
        uncertain parameter of the scenario (see `parameters`). The others are drawn as usual.
    metric : str
        `catastrophe_risk` (smooth, default), `catastrophe` (0/1) or `utility`.
    replicates : int
        Trajectories per design row, averaged (more lowers the noise share).
    switch_top : int
        With `versus`: how many top parameters (by ST) to sweep for a switch point (0: none).
    sweep_points, sweep_samples : int
        Grid points of each sweep and paired trajectories at each point.
    sweep_range : (float, float)
        The belief quantiles each sweep spans (default the central 90%: 5% to 95%).
    workers : int
        Processes; results do not depend on it.
    progress : callable(done, total), optional
        Called as trajectories finish.
    backend, address
        Where the simulations run ('local' or 'ray', and the Ray cluster), as for `compare`; results do not
        depend on them.

    Returns
    -------
    AnalysisResult
        kind "sensitivity"; `to_dict()` has `indices` ([{parameter, S1, S1_ci, ST, ST_ci}] sorted by ST),
        `noise`, and with `versus` `switch_points` ([{parameter, value, quantile, sweep: [...]}]); tables
        `indices`, `rows` (the design and each row's output) and `sweeps`.

    Examples
    --------
    >>> res = sensitivity("default", "clymer", base_samples=8, parameters=["safety_difficulty", "eval_noise"])
    >>> sorted(i["parameter"] for i in res.to_dict()["indices"])
    ['eval_noise', 'safety_difficulty']
    """
    from crunchtime.analysis.sensitivity import sensitivity as _sensitivity

    return _sensitivity(scenario, plan, versus=versus, base_samples=base_samples, seed=seed, parameters=parameters,
                        metric=metric, replicates=replicates, switch_top=switch_top, sweep_points=sweep_points,
                        sweep_samples=sweep_samples, sweep_range=sweep_range, workers=workers, progress=progress,
                        backend=backend, address=address)
