"""Which beliefs decide the answer: Sobol' indices over the scenario's beliefs, and where a preferred plan switches.

Method (docs/analysis.md, "Sensitivity"):

1. Saltelli's Sobol' design (SALib) on the unit cube of the chosen parameters, each column mapped through
   its belief's quantile function (`crunchtime.model.design.from_unit`), so the indices are with respect to the
   user's own beliefs. Each Saltelli matrix (A, AB_1..AB_d, B) is one `sim.compare` call on the same seed
   (both plans when `versus` is given: the output is then the paired difference plan - versus), so row j
   of every matrix keeps trajectory j's shocks and the beliefs left out of the design: A_j - AB_ij moves
   parameter i alone, and the simulator's own randomness is not read as an effect of every parameter.
2. The simulator is stochastic beyond the beliefs, so part of the output variance belongs to no belief.
   Each row is run `replicates` times (averaged) on different shocks; their spread (or, with one replicate,
   a probe of the A rows on a fresh seed) gives the noise variance and its share of the output variance
   (`noise.share`), reported beside the indices: the parameters' indices share the rest.
3. Switch points (with `versus`): for the top parameters by ST, a one-dimensional sweep over the belief's
   5%..95% quantiles, the other beliefs drawn as usual and common random numbers across grid points; the
   paired difference with its 95% interval at each point, and where it crosses zero.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from crunchtime.analysis.common import METRICS, Progress, Stopwatch, check_whole, package
from crunchtime.analysis.sensitivity_indices import (
    BOOTSTRAP_RESAMPLES,
    MIN_SIGNAL_SHARE,
    Z95,
    Sizes,
    noise_and_variance,
    result_data,
    result_tables,
    sobol_indices,
)
from crunchtime.analysis.sensitivity_runs import (
    INSTALL_HINT,
    PARALLEL_MIN,
    SALT_SAMPLE,
    Ticker,
    chunk_size,
    output,
    salib,
    stream,
)
from crunchtime.analysis.sensitivity_sweeps import SWEEP_RANGE, sweeps
from crunchtime.errors import ArgumentError
from crunchtime.model import design as _design
from crunchtime.results import simulation as sim

__all__ = [
    "BOOTSTRAP_RESAMPLES",
    "INSTALL_HINT",
    "MAX_BASE_SAMPLES",
    "MAX_REPLICATES",
    "MAX_SWEEP_POINTS",
    "MAX_SWEEP_SAMPLES",
    "MAX_SWITCH_TOP",
    "MIN_SIGNAL_SHARE",
    "PARALLEL_MIN",
    "SWEEP_RANGE",
    "Z95",
    "sensitivity",
]

#: limits of the arguments (each bounds memory and run time, not the method)
MAX_BASE_SAMPLES = 2**16
MAX_REPLICATES = 256
MAX_SWEEP_POINTS = 101
MAX_SWITCH_TOP = 100
MAX_SWEEP_SAMPLES = 1_000_000


def sensitivity(
    scenario: Any,
    plan: Any,
    versus: Any = None,
    base_samples: int = 64,
    seed: int = 1,
    parameters: Sequence[str] | None = None,
    metric: str = "catastrophe_risk",
    replicates: int = 2,
    switch_top: int = 3,
    sweep_points: int = 9,
    sweep_samples: int = 512,
    sweep_range: Sequence[float] = SWEEP_RANGE,
    workers: int = 1,
    progress: Progress | None = None,
    backend: str = "local",
    address: str | None = None,
) -> Any:
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
    clock = Stopwatch()
    sc, plan_obj, versus_obj, params = _load_inputs(scenario, plan, versus, parameters)
    _check(
        plan_obj,
        versus_obj,
        base_samples,
        seed,
        metric,
        replicates,
        switch_top,
        sweep_points,
        sweep_samples,
        len(params),
    )
    quantiles = _check_range(sweep_range)
    _check_uncertain(sc, params)
    sample, analyze = salib()
    size = Sizes.of(
        len(params), base_samples, replicates, switch_top if versus_obj is not None else 0, sweep_points, sweep_samples
    )
    problem, unit = _saltelli_design(sample, params, base_samples, seed)
    plans = [plan_obj] + ([versus_obj] if versus_obj is not None else [])
    ticker = Ticker(size.total, progress)
    run = _design_runner(sc, plans, params, metric, replicates, workers, ticker, backend, address)
    y, rep, y_rows = _run_matrices(run, unit, size, seed)
    if np.ptp(y_rows) <= 0:
        raise ArgumentError(
            "versus" if versus_obj else "metric",
            "the output is the same in every world; there is no variance to attribute",
        )
    var = noise_and_variance(run, unit, size, seed, y, rep, y_rows)
    raw, est, order = sobol_indices(analyze, problem, y_rows, var, seed)
    data = result_data(params, metric, plans, size, y, var, raw, est, order)
    tables = result_tables(params, size, unit, y_rows, raw, est, order)
    if size.n_sweep:
        top = [params[j] for j in order[: size.n_sweep]]
        data["switch_points"], tables["sweeps"] = sweeps(
            sc,
            plan_obj,
            versus_obj,
            top,
            seed,
            metric,
            sweep_points,
            sweep_samples,
            workers,
            ticker,
            quantiles,
            backend=backend,
            address=address,
        )
        data["sweep"] = {"points": sweep_points, "samples": sweep_samples, "range": list(quantiles)}
    data["wall_time_s"] = clock.seconds
    return package("sensitivity", sc, plans, seed, size.main_n, data, tables, clock)


# -- checking the arguments --------------------------------------------------------------------------------------


def _load_inputs(
    scenario: Any, plan: Any, versus: Any, parameters: Sequence[str] | str | None
) -> tuple[Any, Any, Any, list[Any]]:
    """The scenario, the plan, the versus plan (or None) and the chosen parameters (all uncertain by default)."""
    sc = scenario if isinstance(scenario, sim.Scenario) else sim.load_scenario(scenario)
    plan_obj = sim.load_plan(plan)
    versus_obj = sim.load_plan(versus) if versus is not None else None
    if isinstance(parameters, str):
        parameters = [s.strip() for s in parameters.split(",") if s.strip()]
    return sc, plan_obj, versus_obj, _design.select(sc, parameters)


def _check(
    plan: Any,
    versus: Any,
    base_samples: Any,
    seed: Any,
    metric: Any,
    replicates: Any,
    switch_top: Any,
    sweep_points: Any,
    sweep_samples: Any,
    n_params: int,
) -> None:
    if n_params < 1:
        raise ArgumentError("parameters", "give at least one uncertain parameter")
    check_whole("base_samples", base_samples, 1, MAX_BASE_SAMPLES)
    check_whole("seed", seed, 0, 2**63 - 1)
    check_whole("replicates", replicates, 1, MAX_REPLICATES)
    check_whole("switch_top", switch_top, 0, MAX_SWITCH_TOP)
    check_whole("sweep_points", sweep_points, 2, MAX_SWEEP_POINTS)
    check_whole("sweep_samples", sweep_samples, 2, MAX_SWEEP_SAMPLES)
    if metric not in METRICS:
        raise ArgumentError("metric", f"must be one of {', '.join(METRICS)}; got {metric!r}")
    if versus is not None and versus.name == plan.name:
        raise ArgumentError("versus", f"must be a different plan from {plan.name!r}")


def _check_range(sweep_range: Any) -> tuple[float, float]:
    """Two belief quantiles 0 < low < high < 1 (the tails 0 and 1 may be infinite)."""
    try:
        low, high = (float(x) for x in sweep_range)
    except (TypeError, ValueError):
        raise ArgumentError("sweep_range", f"give two quantiles low, high; got {sweep_range!r}") from None
    if not 0 < low < high < 1:
        raise ArgumentError("sweep_range", f"needs 0 < low < high < 1, got {low:g}, {high:g}")
    return low, high


def _check_uncertain(sc: Any, params: Sequence[Any]) -> None:
    """Every chosen parameter must vary in the scenario."""
    constant = [p.name for p in params if not p.uncertain]
    if constant:
        raise ArgumentError("parameters", f"{constant[0]!r} is a constant in scenario {sc.name!r}; nothing to vary")


# -- the Saltelli design and its runs ----------------------------------------------------------------------------


def _saltelli_design(
    sample: Any, params: Sequence[Any], base_samples: int, seed: int
) -> tuple[dict[str, Any], np.ndarray]:
    """SALib's problem and its Saltelli design on the unit cube, rows in SALib's order (row j*step + m)."""
    d = len(params)
    problem = {"num_vars": d, "names": [p.name for p in params], "bounds": [[0.0, 1.0]] * d}
    with warnings.catch_warnings():  # scipy warns when N is not a power of two; the estimates stay valid
        warnings.simplefilter("ignore")
        unit = sample.sample(problem, base_samples, calc_second_order=False, seed=stream(seed, SALT_SAMPLE))
    return problem, unit


def _design_runner(
    sc: Any,
    plans: list[Any],
    params: Sequence[Any],
    metric: str,
    replicates: int,
    workers: int,
    ticker: Ticker,
    backend: str,
    address: str | None,
) -> Callable[[np.ndarray, int], np.ndarray]:
    """A function running design points (on the unit cube) with a seed and returning their outputs."""
    versus_name = plans[1].name if len(plans) > 1 else None

    def run(points: np.ndarray, run_seed: int) -> np.ndarray:
        """Outputs at design points, each `replicates` times in a row (trajectory j*r+k: row j, replicate k)."""
        n = points.shape[0] * replicates
        cmp = sim.compare(
            sc,
            plans,
            samples=n,
            seed=run_seed,
            workers=workers,
            chunk_size=chunk_size(n, workers),
            design=_design.from_unit(params, np.repeat(points, replicates, axis=0)),
            progress=ticker(n),
            backend=backend,
            address=address,
        )
        return output(cmp, plans[0].name, versus_name, metric)

    return run


def _run_matrices(
    run: Callable[[np.ndarray, int], np.ndarray], unit: np.ndarray, size: Sizes, seed: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every matrix's outputs (step, N * r), by replicate (step, N, r), and row means in SALib's order."""
    step = size.step
    # one call per Saltelli matrix (A, AB_1..AB_d, B), all on the same seed: row j of every matrix keeps the
    # shocks (and the beliefs left out) of trajectory j, so A_j - AB_ij measures parameter i, not noise
    y = np.stack([run(unit[m::step], seed) for m in range(step)])  # (step, N * r)
    rep = y.reshape(step, size.base_samples, size.replicates)
    y_rows = rep.mean(axis=2).T.reshape(-1)  # SALib's order: row j*step + m
    return y, rep, y_rows


# -- the analysis ------------------------------------------------------------------------------------------------


# -- packaging the result ----------------------------------------------------------------------------------------
