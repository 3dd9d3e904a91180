"""`crunchtime optimize`: tune a plan's params (and optionally its knob defaults), then test it out of sample.

Method (docs/analysis.md, "Optimize"):

1. Search. Every trial simulates one candidate plan on the *same* seed (common random numbers: the same
   sampled worlds and shocks for every candidate), so trials differ only by the plan. The objective is
   the mean of a smooth per-trajectory quantity: `catastrophe_risk` (each world's summed monthly chance
   of catastrophe, an unbiased estimate of P(catastrophe) with less noise than the 0/1 outcome), or the
   mean utility of outcomes (`utility`, the essay's preference order by default). Trial 0 is the start
   plan, so the best trial is never worse in sample than where the search began. With `pareto`, two
   objectives: safety (mean `catastrophe_risk`, lower is better) and staying at the frontier (the share
   of trajectories in which Magma never self-destructs, i.e. never stops scaling for good or is
   overtaken after slowing: `1 - events["self_destruction"]`, higher is better).
2. Out-of-sample check. The best in-sample plan is selected on the search's worlds, so its in-sample
   score is biased in its favour (the winner's curse). The claim is made on a fresh seed
   (`validation_seed(seed)`): tuned and start plans on `validation_samples` paired trajectories
   (`sim.compare`), the paired difference of P(catastrophe) (0/1 outcomes, tuned - start) with a 95%
   interval.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from crunchtime.analysis.common import (
    Progress,
    Stopwatch,
    check_whole,
    mean_ci,
    package,
    per_trajectory,
    utility_weights,
)
from crunchtime.analysis.optimize_plans import plan_from, tuned_yaml
from crunchtime.analysis.optimize_search import SAMPLER_STREAM, run_search, trial_objective
from crunchtime.analysis.optimize_trials import select_trial, start_trial, trial_history, trials_table
from crunchtime.analysis.search_space import Dimension, build_space, parse_space, parse_weights
from crunchtime.analysis.studies import (
    check_sampler,
    fingerprint,
    open_study,
    optuna_module,
    sub_seed,
)
from crunchtime.engine.backends import check_backend
from crunchtime.errors import ArgumentError

__all__ = [
    "AT_BOUND_SHARE",
    "MAX_TRIALS",
    "MIN_VALIDATION_SAMPLES",
    "OBJECTIVES",
    "SAMPLER_STREAM",
    "TUNED_SUFFIX",
    "VALIDATION_FACTOR",
    "VALIDATION_STREAM",
    "optimize",
    "tuned_yaml",
    "validation_seed",
]

OBJECTIVES = ("catastrophe", "utility")
MAX_TRIALS = 100_000
#: out-of-sample trajectories per plan when not given: four times the search's, and at least
#: MIN_VALIDATION_SAMPLES, so the check's interval is narrower than any one trial's noise
VALIDATION_FACTOR, MIN_VALIDATION_SAMPLES = 4, 2000
#: the sub-stream of --seed that the out-of-sample check draws from (see validation_seed)
VALIDATION_STREAM = 1
TUNED_SUFFIX = "-tuned"
#: a tuned value within this share of its range's width from a bound is reported as at the bound (the
#: optimum may lie beyond it: widen the range with --space); 2% is finer than 40 trials can resolve
AT_BOUND_SHARE = 0.02


def validation_seed(seed: int) -> int:
    """The out-of-sample seed: the first 63 bits of numpy's SeedSequence((seed, VALIDATION_STREAM)).

    Examples
    --------
    >>> validation_seed(1) != 1
    True
    """
    return sub_seed(seed, VALIDATION_STREAM)


def optimize(
    scenario: Any,
    plan: Any,
    trials: int = 40,
    samples: int = 500,
    seed: int = 1,
    objective: str = "catastrophe",
    utility: Mapping[str, float] | str | None = None,
    tune_knobs: bool = False,
    space: Mapping[str, Any] | str | None = None,
    sampler: str | None = None,
    pareto: bool = False,
    validation_samples: int | None = None,
    timeout: float | None = None,
    workers: int = 1,
    progress: Progress | None = None,
    resume: str | None = None,
    home: str | Path | None = None,
    on_study: Any = None,
    backend: str = "local",
    address: str | None = None,
):
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
    from crunchtime.results import simulation as sim

    clock = Stopwatch()
    a = _check_arguments(
        sim,
        trials,
        samples,
        seed,
        backend,
        address,
        validation_samples,
        objective,
        timeout,
        sampler,
        pareto,
        utility,
        space,
    )
    sc = scenario if isinstance(scenario, sim.Scenario) else sim.load_scenario(scenario)
    start = sim.load_plan(plan)
    start_data = start.to_dict()
    dims = build_space(start_data, sim.KNOBS, tune_knobs, a.space)
    tuned_name = start.name + TUNED_SUFFIX
    directions = ["minimize", "maximize"] if pareto else ["minimize" if objective == "catastrophe" else "maximize"]
    settings = _study_settings(sc, start, a, objective, dims, pareto)
    study, study_id, resumed = open_study(resume, home, settings, directions)
    if on_study is not None:
        on_study(study_id)

    score = _trial_scorer(sim, sc, start_data, tuned_name, a, workers, backend, address)
    objective_fn = trial_objective(score, dims, pareto, objective)
    done, stopped = run_search(study, objective_fn, dims, a.trials, a.sampler, a.seed, pareto, timeout, clock, progress)

    history = trial_history(done, dims, pareto, objective)
    best = select_trial(history, pareto, objective)
    best_values = history[best]["params"]
    tuned = plan_from(sim, start_data, best_values, tuned_name)
    out = _out_of_sample(sim, sc, start, tuned, a, objective, workers, backend, address)
    if progress:
        progress(a.trials + 1, a.trials + 1)

    data: dict[str, Any] = {
        **out,
        "verdict": _verdict(out["out_of_sample"]["ci95"]),
        "start_plan": start.name,
        "tuned_plan": tuned_name,
        "objective": objective,
        "direction": directions,
        "utility_weights": a.weights if objective == "utility" else None,
        "sampler": a.sampler,
        "pareto": pareto,
        "study": study_id,
        "resumed": resumed,
        "trials_requested": a.trials,
        "trials_completed": len(done),
        "stopped": stopped,
        "validation_seed": validation_seed(a.seed),
        **_search_summary(dims, history, best),
    }
    if pareto:
        data["pareto_front"] = _pareto_front(history)
    data["tuned_plan_yaml"] = tuned_yaml(start, start_data, best_values, tuned_name, sc, a.seed, a.samples, data)
    table = trials_table(history, dims)
    return package("optimize", sc, [start, tuned], a.seed, a.samples, data, {"trials": table}, clock)


def _study_settings(sc: Any, start: Any, a: Any, objective: str, dims: Any, pareto: bool) -> dict[str, Any]:
    """What a resumed study must share with this call: the beliefs' and plan's texts, sizes and the search."""
    return {
        "scenario": fingerprint({"text": sc.source_text}),
        "plan": fingerprint({"text": start.source_text}),
        "samples": a.samples,
        "seed": a.seed,
        "objective": objective,
        "utility": a.weights,
        "space": {d.name: [d.low, d.high] for d in dims},
        "sampler": a.sampler,
        "pareto": pareto,
    }


def _verdict(ci95: Sequence[float]) -> str:
    """'better' when the out-of-sample difference (tuned - start) is surely negative, 'worse' when surely positive."""
    return "better" if ci95[1] < 0 else "worse" if ci95[0] > 0 else "inconclusive"


def _pareto_front(history: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The trials on the Pareto front of (catastrophe risk, frontier), with their params."""
    keys = ("trial", "catastrophe_risk", "frontier", "params")
    return [{k: h[k] for k in keys} for h in history if h["on_front"]]


@dataclass(frozen=True)
class _Checked:
    """The checked (and defaulted) arguments of `optimize`."""

    trials: int
    samples: int
    seed: int
    validation_samples: int
    sampler: str
    weights: dict[str, float]
    space: Mapping[str, Any] | None


def _check_arguments(
    sim: Any,
    trials: Any,
    samples: Any,
    seed: Any,
    backend: str,
    address: str | None,
    validation_samples: Any,
    objective: Any,
    timeout: Any,
    sampler: str | None,
    pareto: bool,
    utility: Mapping[str, float] | str | None,
    space: Mapping[str, Any] | str | None,
) -> _Checked:
    """Check every argument before any study or simulation exists (a bad flag leaves nothing behind)."""
    trials = check_whole("trials", trials, 1, MAX_TRIALS)
    samples = check_whole("samples", samples, 1, sim.MAX_SAMPLES)
    seed = check_whole("seed", seed, 0, 2**63 - 1)
    check_backend(backend, address)  # before the study exists, so a bad flag leaves nothing behind
    n_val = (
        check_whole("validation_samples", validation_samples, 2, sim.MAX_SAMPLES)
        if validation_samples is not None
        else max(VALIDATION_FACTOR * samples, MIN_VALIDATION_SAMPLES)
    )
    if objective not in OBJECTIVES:
        raise ArgumentError("objective", f"must be one of {', '.join(OBJECTIVES)}, got {objective!r}")
    if timeout is not None and (
        isinstance(timeout, bool)
        or not isinstance(timeout, (int, float))
        or not timeout > 0
        or not math.isfinite(timeout)
    ):
        raise ArgumentError("timeout", f"must be a positive number of seconds, got {timeout!r}")
    sampler = check_sampler(sampler or ("nsga2" if pareto else "tpe"), pareto)
    weights = utility_weights(parse_weights(utility) if isinstance(utility, str) else utility)
    space = parse_space(space) if isinstance(space, str) else space
    optuna_module()  # a missing extra fails before any simulation
    return _Checked(trials, samples, seed, n_val, sampler, weights, space)


def _trial_scorer(
    sim: Any,
    sc: Any,
    start_data: Mapping[str, Any],
    tuned_name: str,
    a: _Checked,
    workers: int,
    backend: str,
    address: str | None,
) -> Callable[[Mapping[str, float]], dict[str, float]]:
    """A function simulating a candidate's values on the search's seed and returning its mean scores."""

    def score(values: Mapping[str, float]) -> dict[str, float]:
        candidate = plan_from(sim, start_data, values, tuned_name)
        res = sim.simulate(
            sc, candidate, samples=a.samples, seed=a.seed, workers=workers, backend=backend, address=address
        )
        return {
            "catastrophe_risk": float(per_trajectory(res, "catastrophe_risk").mean()),
            "frontier": float(1.0 - res.events["self_destruction"].mean()),
            "utility": float(per_trajectory(res, "utility", a.weights).mean()),
        }

    return score


def _out_of_sample(
    sim: Any,
    sc: Any,
    start: Any,
    tuned: Any,
    a: _Checked,
    objective: str,
    workers: int,
    backend: str,
    address: str | None,
) -> dict[str, dict[str, Any]]:
    """Tuned against start plan on a fresh seed: paired differences of P(catastrophe), risk (and utility)."""
    n_val = a.validation_samples
    cmp = sim.compare(
        sc,
        [start, tuned],
        samples=n_val,
        seed=validation_seed(a.seed),
        workers=workers,
        backend=backend,
        address=address,
    )
    r0, r1 = cmp.results[start.name], cmp.results[tuned.name]
    metrics = [("out_of_sample", "catastrophe"), ("out_of_sample_risk", "catastrophe_risk")]
    if objective == "utility":
        metrics.append(("out_of_sample_utility", "utility"))
    out = {}
    for key, metric in metrics:
        weights = a.weights if metric == "utility" else None
        x, y = per_trajectory(r0, metric, weights), per_trajectory(r1, metric, weights)
        m = mean_ci(y - x)
        out[key] = {
            "start": float(x.mean()),
            "tuned": float(y.mean()),
            "diff": m["value"],
            "ci95": m["ci95"],
            "samples": n_val,
        }
    return out


def _search_summary(dims: list[Dimension], history: list[dict[str, Any]], best: int) -> dict[str, Any]:
    """The search's part of the result: space, start and best params, bounds reached, in-sample scores, trials."""
    best_values = history[best]["params"]
    return {
        "space": {d.name: d.to_dict() for d in dims},
        "start_params": {d.name: d.start for d in dims},
        "best_params": best_values,
        "best_trial": best,
        "at_bound": [d.name for d in dims if _at_bound(d, best_values[d.name])],
        "in_sample": {"start": history[start_trial(history)]["value"], "best": history[best]["value"]},
        "trials": history,
    }


def _at_bound(d: Dimension, value: float) -> bool:
    """A tuned (moved, continuous) value within AT_BOUND_SHARE of the range's width from a bound."""
    near = min(value - d.low, d.high - value) <= AT_BOUND_SHARE * (d.high - d.low)
    return d.high > d.low and not d.integer and value != d.start and near
