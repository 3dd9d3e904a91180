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
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import yaml

from crunchtime.analysis.common import (
    Progress,
    Stopwatch,
    check_whole,
    mean_ci,
    package,
    per_trajectory,
    utility_weights,
)
from crunchtime.analysis.search_space import KNOB_PREFIX, Dimension, build_space, parse_space, parse_weights
from crunchtime.analysis.studies import (
    check_sampler,
    complete_trials,
    fingerprint,
    make_sampler,
    open_study,
    optuna_module,
    sub_seed,
)
from crunchtime.engine.backends import check_backend
from crunchtime.errors import ArgumentError

OBJECTIVES = ("catastrophe", "utility")
MAX_TRIALS = 100_000
#: out-of-sample trajectories per plan when not given: four times the search's, and at least
#: MIN_VALIDATION_SAMPLES, so the check's interval is narrower than any one trial's noise
VALIDATION_FACTOR, MIN_VALIDATION_SAMPLES = 4, 2000
#: the sub-stream of --seed that the out-of-sample check draws from (see validation_seed)
VALIDATION_STREAM = 1
#: the sub-stream that seeds the optimiser's own random choices, mixed with the trials already done (so a
#: resumed search does not repeat the random draws it made before; numpy's legacy seeding takes 32 bits)
SAMPLER_STREAM = 2
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


def optimize(scenario: Any, plan: Any, trials: int = 40, samples: int = 500, seed: int = 1,
             objective: str = "catastrophe", utility: Mapping[str, float] | str | None = None,
             tune_knobs: bool = False, space: Mapping[str, Any] | str | None = None, sampler: str | None = None,
             pareto: bool = False,
             validation_samples: int | None = None, timeout: float | None = None, workers: int = 1,
             progress: Progress | None = None, resume: str | None = None, home: str | Path | None = None,
             on_study: Any = None, backend: str = "local", address: str | None = None):
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
    trials = check_whole("trials", trials, 1, MAX_TRIALS)
    samples = check_whole("samples", samples, 1, sim.MAX_SAMPLES)
    seed = check_whole("seed", seed, 0, 2**63 - 1)
    check_backend(backend, address)  # before the study exists, so a bad flag leaves nothing behind
    n_val = (check_whole("validation_samples", validation_samples, 2, sim.MAX_SAMPLES)
             if validation_samples is not None else max(VALIDATION_FACTOR * samples, MIN_VALIDATION_SAMPLES))
    if objective not in OBJECTIVES:
        raise ArgumentError("objective", f"must be one of {', '.join(OBJECTIVES)}, got {objective!r}")
    if timeout is not None and (isinstance(timeout, bool) or not isinstance(timeout, (int, float))
                                or not timeout > 0 or not math.isfinite(timeout)):
        raise ArgumentError("timeout", f"must be a positive number of seconds, got {timeout!r}")
    sampler = check_sampler(sampler or ("nsga2" if pareto else "tpe"), pareto)
    weights = utility_weights(parse_weights(utility) if isinstance(utility, str) else utility)
    space = parse_space(space) if isinstance(space, str) else space
    optuna_module()  # a missing extra fails before any simulation

    sc = scenario if isinstance(scenario, sim.Scenario) else sim.load_scenario(scenario)
    start = sim.load_plan(plan)
    start_data = start.to_dict()
    dims = build_space(start_data, sim.KNOBS, tune_knobs, space)
    tuned_name = start.name + TUNED_SUFFIX
    directions = (["minimize", "maximize"] if pareto
                  else ["minimize" if objective == "catastrophe" else "maximize"])
    settings = {"scenario": fingerprint({"text": sc.source_text}), "plan": fingerprint({"text": start.source_text}),
                "samples": samples, "seed": seed, "objective": objective, "utility": weights,
                "space": {d.name: [d.low, d.high] for d in dims}, "sampler": sampler, "pareto": pareto}
    study, study_id, resumed = open_study(resume, home, settings, directions)
    if on_study is not None:
        on_study(study_id)

    def evaluate(values: Mapping[str, float]) -> dict[str, float]:
        candidate = _plan_from(sim, start_data, values, tuned_name)
        res = sim.simulate(sc, candidate, samples=samples, seed=seed, workers=workers, backend=backend, address=address)
        return {"catastrophe_risk": float(per_trajectory(res, "catastrophe_risk").mean()),
                "frontier": float(1.0 - res.events["self_destruction"].mean()),
                "utility": float(per_trajectory(res, "utility", weights).mean())}

    def objective_fn(trial: Any) -> Any:
        values = {d.name: _suggest(trial, d) for d in dims}
        scores = evaluate(values)
        for k, v in scores.items():
            trial.set_user_attr(k, v)
        if pareto:
            return scores["catastrophe_risk"], scores["frontier"]
        return scores["catastrophe_risk"] if objective == "catastrophe" else scores["utility"]

    done = complete_trials(study)
    total_steps = trials + 1  # the last step is the out-of-sample check
    if progress:
        progress(min(len(done), trials), total_steps)
    stopped = "budget"
    if len(done) < trials:
        study.sampler = make_sampler(sampler, sub_seed(seed, SAMPLER_STREAM, len(done)) % 2**32,
                                     {d.name: _start_value(d) for d in dims}, trials, pareto)
        counter = {"n": len(done)}

        def tick(_study: Any, frozen: Any) -> None:
            if frozen.state.name == "COMPLETE":
                counter["n"] += 1
                if progress:
                    progress(min(counter["n"], trials), total_steps)

        def run(n: int, seconds: float | None) -> None:
            study.optimize(objective_fn, n_trials=n, timeout=seconds, callbacks=[tick], catch=(),
                           gc_after_trial=False, show_progress_bar=False)

        if not any(t.user_attrs.get("start") for t in done):  # the start plan first, whatever the timeout
            study.enqueue_trial({d.name: _start_value(d) for d in dims}, user_attrs={"start": True})
            run(1, None)
        done = complete_trials(study)
        left = None if timeout is None else timeout - clock.seconds
        if len(done) < trials and (left is None or left > 0):
            run(trials - len(done), left)
        done = complete_trials(study)
        if len(done) < trials:
            stopped = "timeout"

    history = _history(done, dims, pareto, objective)
    best = _select(history, pareto, objective)
    best_values = history[best]["params"]
    tuned = _plan_from(sim, start_data, best_values, tuned_name)
    cmp = sim.compare(sc, [start, tuned], samples=n_val, seed=validation_seed(seed), workers=workers,
                      backend=backend, address=address)
    r0, r1 = cmp.results[start.name], cmp.results[tuned_name]
    out = {}
    for key, metric in (("out_of_sample", "catastrophe"), ("out_of_sample_risk", "catastrophe_risk")):
        a, b = per_trajectory(r0, metric), per_trajectory(r1, metric)
        m = mean_ci(b - a)
        out[key] = {"start": float(a.mean()), "tuned": float(b.mean()), "diff": m["value"], "ci95": m["ci95"],
                    "samples": n_val}
    if objective == "utility":
        a, b = per_trajectory(r0, "utility", weights), per_trajectory(r1, "utility", weights)
        m = mean_ci(b - a)
        out["out_of_sample_utility"] = {"start": float(a.mean()), "tuned": float(b.mean()), "diff": m["value"],
                                        "ci95": m["ci95"], "samples": n_val}
    if progress:
        progress(total_steps, total_steps)

    oos = out["out_of_sample"]
    verdict = ("better" if oos["ci95"][1] < 0 else "worse" if oos["ci95"][0] > 0 else "inconclusive")
    data: dict[str, Any] = {
        **out,
        "verdict": verdict,
        "start_plan": start.name, "tuned_plan": tuned_name,
        "objective": objective, "direction": directions, "utility_weights": weights if objective == "utility" else None,
        "sampler": sampler, "pareto": pareto, "study": study_id, "resumed": resumed,
        "trials_requested": trials, "trials_completed": len(done), "stopped": stopped,
        "validation_seed": validation_seed(seed),
        "space": {d.name: d.to_dict() for d in dims},
        "start_params": {d.name: d.start for d in dims},
        "best_params": best_values,
        "best_trial": best,
        "at_bound": [d.name for d in dims if _at_bound(d, best_values[d.name])],
        "in_sample": {"start": history[_start_index(history)]["value"], "best": history[best]["value"]},
        "trials": history,
    }
    if pareto:
        data["pareto_front"] = [{"trial": h["trial"], "catastrophe_risk": h["catastrophe_risk"],
                                 "frontier": h["frontier"], "params": h["params"]}
                                for h in history if h["on_front"]]
    data["tuned_plan_yaml"] = tuned_yaml(start, start_data, best_values, tuned_name, sc, seed, samples, data)
    table = _history_table(history, dims)
    return package("optimize", sc, [start, tuned], seed, samples, data, {"trials": table}, clock)


def _suggest(trial: Any, d: Dimension) -> float:
    if d.integer:
        return float(trial.suggest_int(d.name, int(d.low), int(d.high)))
    return float(trial.suggest_float(d.name, d.low, d.high))


def _at_bound(d: Dimension, value: float) -> bool:
    """A tuned (moved, continuous) value within AT_BOUND_SHARE of the range's width from a bound."""
    near = min(value - d.low, d.high - value) <= AT_BOUND_SHARE * (d.high - d.low)
    return d.high > d.low and not d.integer and value != d.start and near


def _start_value(d: Dimension) -> float | int:
    return int(round(d.start)) if d.integer else d.start


def _plan_from(sim: Any, start_data: Mapping[str, Any], values: Mapping[str, float], name: str,
               description: str | None = None) -> Any:
    """The start plan with tuned params and knob defaults (a fresh, validated plan; the start is unchanged)."""
    return sim.parse_plan(_dump(_data_with(start_data, values, name, description)), source=f"<{name}>")


def _data_with(start_data: Mapping[str, Any], values: Mapping[str, float], name: str,
               description: str | None) -> dict[str, Any]:
    tuned = {k: float(v) for k, v in values.items() if not k.startswith(KNOB_PREFIX)}
    params = {**start_data.get("params", {}), **tuned}
    knobs = {k[len(KNOB_PREFIX):]: _number(v) for k, v in values.items() if k.startswith(KNOB_PREFIX)}
    return {**start_data, "name": name, "description": description or start_data["description"],
            "params": params, "defaults": {**start_data.get("defaults", {}), **knobs}}


def _number(v: float) -> float | int:
    return int(v) if float(v).is_integer() else float(v)


def _dump(data: Mapping[str, Any]) -> str:
    return yaml.safe_dump(dict(data), sort_keys=False, allow_unicode=True, width=120)


def _history(done: list[Any], dims: list[Dimension], pareto: bool, objective: str) -> list[dict[str, Any]]:
    """One entry per completed trial: its objective, best so far, all scores and params, Pareto membership."""
    key = "catastrophe_risk" if (pareto or objective == "catastrophe") else "utility"
    sign = 1.0 if key == "catastrophe_risk" else -1.0  # lower sign * value is better
    values = np.array([t.user_attrs[key] for t in done])
    best_so_far = sign * np.minimum.accumulate(sign * values)
    risk = np.array([t.user_attrs["catastrophe_risk"] for t in done])
    front = np.array([t.user_attrs["frontier"] for t in done])
    # on the front: no other trial at least as safe and as often at the frontier, and strictly better in one
    dominated = ((risk[None, :] <= risk[:, None]) & (front[None, :] >= front[:, None])
                 & ((risk[None, :] < risk[:, None]) | (front[None, :] > front[:, None]))).any(axis=1)
    return [{"trial": i, "value": float(values[i]), "best_so_far": float(best_so_far[i]),
             "catastrophe_risk": float(risk[i]), "frontier": float(front[i]),
             "utility": float(t.user_attrs["utility"]), "start": bool(t.user_attrs.get("start", False)),
             "on_front": bool(not dominated[i]), "params": {d.name: float(t.params[d.name]) for d in dims}}
            for i, t in enumerate(done)]


def _start_index(history: list[dict[str, Any]]) -> int:
    return next(h["trial"] for h in history if h["start"])


def _select(history: list[dict[str, Any]], pareto: bool, objective: str) -> int:
    """The trial to write out. One objective: the best value (ties: the earliest, so the start plan wins them).

    Pareto: among front trials at the frontier at least as often as the start plan, the safest (there is
    always one: the start plan is on the front or dominated by a trial that is).
    """
    if pareto:
        s = history[_start_index(history)]
        ok = [h for h in history if h["on_front"] and h["frontier"] >= s["frontier"]]
        return min(ok, key=lambda h: (h["catastrophe_risk"], h["trial"]))["trial"]
    sign = 1.0 if objective == "catastrophe" else -1.0
    return min(history, key=lambda h: (sign * h["value"], h["trial"]))["trial"]


def tuned_yaml(start: Any, start_data: Mapping[str, Any], values: Mapping[str, float], name: str, sc: Any,
               seed: int, samples: int, data: Mapping[str, Any]) -> str:
    """The tuned plan as plan YAML, its provenance as leading comments and a one-line description."""
    from crunchtime._version import __version__

    oos = data["out_of_sample"]
    pct = (lambda x: f"{100 * x:.1f}%")
    result = (f"P(catastrophe) {pct(oos['start'])} -> {pct(oos['tuned'])}, diff {100 * oos['diff']:+.2f} pp "
              f"[95% {100 * oos['ci95'][0]:+.2f}, {100 * oos['ci95'][1]:+.2f}] on {oos['samples']} paired "
              f"trajectories")
    header = [
        f"Tuned by crunchtime optimize (crunchtime {__version__}) from plan {start.name!r} ({start.source})",
        f"scenario: {sc.name}; seed {seed}; {data['trials_completed']} trials x {samples} trajectories on common "
        f"random numbers; sampler {data['sampler']}; objective {data['objective']}"
        + (" (Pareto: safety vs staying at the frontier)" if data["pareto"] else ""),
        f"out of sample (seed {data['validation_seed']}): {result}; verdict: {data['verdict']}",
        f"study {data['study']} (resume or extend: crunchtime optimize --resume {data['study']} ...)",
        "changed: " + (", ".join(f"{k} {data['start_params'][k]:g} -> {v:g}" for k, v in values.items()
                                 if v != data["start_params"][k]) or "nothing (the start plan was best)"),
    ]
    description = (f"{start.name} tuned by crunchtime optimize ({data['trials_completed']} trials x {samples}, "
                   f"seed {seed}): out of sample {pct(oos['start'])} -> {pct(oos['tuned'])} P(catastrophe)")
    body = _dump(_data_with(start_data, values, name, description[:200]))
    return "".join(f"# {line}\n" for line in header) + body


def _history_table(history: list[dict[str, Any]], dims: list[Dimension]) -> pa.Table:
    cols: dict[str, Any] = {k: [h[k] for h in history] for k in ("trial", "value", "best_so_far", "catastrophe_risk",
                                                                 "frontier", "utility", "start", "on_front")}
    cols.update({f"param.{d.name}": [h["params"][d.name] for h in history] for d in dims})
    return pa.table(cols)
