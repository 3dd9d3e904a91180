"""The search of `crunchtime optimize`: Optuna's objective over a plan's dimensions and the run of the trials
still to do (the start plan first), resumable and bounded by a trial budget and a timeout."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from crunchtime.analysis.common import Progress, Stopwatch
from crunchtime.analysis.search_space import Dimension
from crunchtime.analysis.studies import complete_trials, make_sampler, sub_seed

#: the sub-stream that seeds the optimiser's own random choices, mixed with the trials already done (so a
#: resumed search does not repeat the random draws it made before; numpy's legacy seeding takes 32 bits)
SAMPLER_STREAM = 2


def trial_objective(
    score: Callable[[Mapping[str, float]], dict[str, float]], dims: list[Dimension], pareto: bool, objective: str
) -> Callable[[Any], Any]:
    """Optuna's objective: suggest values, score them, keep the scores on the trial, return the objective(s)."""

    def objective_fn(trial: Any) -> Any:
        values = {d.name: _suggest(trial, d) for d in dims}
        scores = score(values)
        for k, v in scores.items():
            trial.set_user_attr(k, v)
        if pareto:
            return scores["catastrophe_risk"], scores["frontier"]
        return scores["catastrophe_risk"] if objective == "catastrophe" else scores["utility"]

    return objective_fn


def run_search(
    study: Any,
    objective_fn: Callable[[Any], Any],
    dims: list[Dimension],
    trials: int,
    sampler: str,
    seed: int,
    pareto: bool,
    timeout: float | None,
    clock: Stopwatch,
    progress: Progress | None,
) -> tuple[list[Any], str]:
    """Run the trials still to do (the start plan first); the completed trials and why the search stopped."""
    done = complete_trials(study)
    total_steps = trials + 1  # the last step is the out-of-sample check
    if progress:
        progress(min(len(done), trials), total_steps)
    stopped = "budget"
    if len(done) < trials:
        study.sampler = make_sampler(
            sampler,
            sub_seed(seed, SAMPLER_STREAM, len(done)) % 2**32,
            {d.name: _start_value(d) for d in dims},
            trials,
            pareto,
        )
        counter = {"n": len(done)}

        def tick(_study: Any, frozen: Any) -> None:
            if frozen.state.name == "COMPLETE":
                counter["n"] += 1
                if progress:
                    progress(min(counter["n"], trials), total_steps)

        def run(n: int, seconds: float | None) -> None:
            study.optimize(
                objective_fn,
                n_trials=n,
                timeout=seconds,
                callbacks=[tick],
                catch=(),
                gc_after_trial=False,
                show_progress_bar=False,
            )

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
    return done, stopped


def _suggest(trial: Any, d: Dimension) -> float:
    if d.integer:
        return float(trial.suggest_int(d.name, int(d.low), int(d.high)))
    return float(trial.suggest_float(d.name, d.low, d.high))


def _start_value(d: Dimension) -> float | int:
    # int(): should d.start be a NumPy float, round() gives a float before NumPy 2
    return int(round(d.start)) if d.integer else d.start  # noqa: RUF046
