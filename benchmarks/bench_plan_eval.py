"""Plan evaluation cost: `Plan.decide` for the clymer plan against the engine's monthly step, in one run.

Usage: python benchmarks/bench_plan_eval.py [--sizes 10000 100000] [--repeats 15]

For each sample count it times, on the same observables:
  * plan:   load_plan("clymer").decide(obs)      (the compiled expression closures)
  * hand:   the same decisions hand-written in numpy (the floor for an interpreter-free plan)
  * step:   the engine's observe() + step() for one month (or, when the engine is absent,
            a reference numpy workload of similar shape)
and prints the plan's share of a simulated month and its overhead over hand-written numpy.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

import numpy as np

from crunchtime.model.knobs import KNOBS
from crunchtime.model.plans import example_observables, load_plan


def _time(fn: Callable[[], object], repeats: int) -> float:
    fn()  # warm up
    samples = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - t0)
    return statistics.median(samples)


def _engine_month(n: int, rng: np.random.Generator):
    """(observables, run-one-month callable) from the real engine, or None if it is not importable."""
    try:
        from crunchtime.engine import chunk_inputs
        from crunchtime.model.observe import observe
        from crunchtime.model.scenario import load_scenario
        from crunchtime.model.state import initial_state
        from crunchtime.model.step import step
    except ImportError:
        return None
    sc = load_scenario("default")
    params, monthly, traj = chunk_inputs(sc, int(rng.integers(2**31)), 0, n)  # the engine's own inputs
    state = initial_state(params, n, len(sc.actors))
    noise = {k: v[0] for k, v in monthly.items()}
    year = float(sc.decimal_year(0))
    plan = load_plan("clymer")
    for _ in range(24):  # advance two years so the state is not the trivial first month
        obs = observe(state, params, noise, year, traj)
        state, _ = step(state, plan.decide(obs), params, noise)
    obs = observe(state, params, noise, year, traj)
    knobs = plan.decide(obs)

    def month() -> None:
        o = observe(state, params, noise, year, traj)
        step(state, knobs, params, noise)
        return o

    return obs, month


def _reference_month(n: int, rng: np.random.Generator):
    """A stand-in step: ~150 elementwise ops over (n, 4) actor arrays, as a world-model month roughly does."""
    k = rng.random((n, 4))
    stocks = rng.random((n, 6))

    def month() -> None:
        x, s = k, stocks
        for _ in range(10):
            sp = 1 + 9 / (1 + np.exp(-(x - 0.5) * 4))
            g = np.log1p(sp) * 0.1 + np.maximum(x, 0) ** 0.5 * 0.01
            x = x + g * np.where(x > 0.9, 0.5, 1.0)
            s = s + 0.01 * (1 - np.exp(-s)) * sp[:, :1]
            h = 1 - np.exp(-np.clip(x[:, 0] - 0.7, 0, None) * 3)
            _ = rng.random(n) < h / 12
        return x, s

    obs = example_observables(
        n,
        rng,
        reached_3x=rng.random(n) < 0.5,
        months_since_3x=rng.random(n) * 24,
        political_will=rng.random(n),
        coordination_support=rng.random(n),
        months_behind_leader=rng.random(n) * 10,
        self_destructed=rng.random(n) < 0.1,
        pause_active=rng.random(n) < 0.05,
        alignment_progress=rng.random(n),
        control_progress=rng.random(n),
    )
    return obs, month


def _hand_written(obs: dict[str, np.ndarray], q: dict[str, float]) -> dict[str, np.ndarray]:
    """clymer.yaml written directly in numpy (defaults + four rules, params `q`), the floor for a plan's cost.

    Keep it in step with clymer.yaml: the benchmark checks that both give the same knobs.
    """
    n = obs["date"].shape[0]
    out = {s.name: np.full(n, s.default) for s in KNOBS}
    base = {
        "velocity": 1.0,
        "safety_share": 0.05,
        "prep_share": 0.8,
        "w_governance": 1.0,
        "w_control": 0.8,
        "w_evaluation": 0.8,
        "w_security": 0.6,
        "w_alignment": 0.3,
        "w_distribution": 0.3,
        "w_defense": 0.1,
        "advocate_pause": 0,
        "join_pause": 1,
        "share_research": 1,
        "defer_to_tedai": 0,
        "self_destruct": 0,
        "deploy": 1,
        "seek_merger": 0,
    }
    for k, v in base.items():
        out[k][:] = v
    r3 = obs["reached_3x"] > 0.5
    m = obs["months_since_3x"]
    safety = np.clip(q["safety_after"] + q["safety_growth"] * m, q["safety_after"], q["safety_cap"])
    prep = np.clip(q["prep_before"] - q["prep_decline"] * m, q["prep_floor"], q["prep_before"])
    auto = r3
    handoff = (obs["alignment_progress"] >= q["handoff_alignment"]) & (obs["control_progress"] >= q["handoff_control"])
    lag = r3 & ((obs["self_destructed"] > 0.5) | (obs["months_behind_leader"] >= q["lagging_months"]))
    plaus = r3 & (obs["political_will"] >= q["pause_will"]) & (obs["coordination_support"] >= q["pause_support"])
    pause = obs["pause_active"] > 0.5
    rules = [
        (
            auto,
            {
                "velocity": 1,
                "defer_to_tedai": handoff * 1.0,
                "safety_share": safety,
                "prep_share": prep,
                "w_control": 1,
                "w_alignment": 0.7,
                "w_evaluation": 0.8,
                "w_security": 1,
                "w_governance": 0.8,
            },
        ),
        (
            lag,
            {
                "self_destruct": 1,
                "velocity": 0,
                "safety_share": 1,
                "prep_share": 0.2,
                "advocate_pause": 1,
                "join_pause": 1,
                "w_governance": 1,
                "w_alignment": 1,
                "w_control": 1,
                "w_evaluation": 0.6,
                "w_security": 0.6,
                "w_distribution": 0.6,
                "w_defense": 0.2,
                "defer_to_tedai": 0,
            },
        ),
        (
            plaus,
            {
                "velocity": 0,
                "advocate_pause": 1,
                "join_pause": 1,
                "self_destruct": 0,
                "defer_to_tedai": 0,
                "w_governance": 1,
                "safety_share": safety,
                "prep_share": prep,
            },
        ),
        (
            pause,
            {
                "velocity": 0,
                "join_pause": 1,
                "advocate_pause": 1,
                "self_destruct": 0,
                "defer_to_tedai": 0,
                "safety_share": 0.5,
                "prep_share": 0.5,
            },
        ),
    ]
    for cond, sets in rules:  # last rule first, so earlier rules overwrite: first match wins
        for k, v in sets.items():
            out[k] = np.where(cond, v, out[k])
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    ap.add_argument("--repeats", type=int, default=15)
    args = ap.parse_args()
    plan = load_plan("clymer")
    for n in args.sizes:
        rng = np.random.default_rng(0)
        engine = _engine_month(n, rng)
        kind = "engine observe()+step()"
        if engine is None:
            engine, kind = _reference_month(n, rng), "reference numpy month (engine not importable)"
        obs, month = engine
        got, want = plan.decide(obs), _hand_written(obs, plan.params)
        assert all(np.allclose(got[k], want[k]) for k in got), "hand-written baseline disagrees with the plan"
        t_plan = _time(lambda obs=obs: plan.decide(obs), args.repeats)
        t_hand = _time(lambda obs=obs: _hand_written(obs, plan.params), args.repeats)
        t_step = _time(month, max(3, args.repeats // 3))
        print(
            f"n={n:>7,}: plan.decide {t_plan * 1e3:7.2f} ms | hand-written numpy {t_hand * 1e3:7.2f} ms | "
            f"{kind} {t_step * 1e3:8.2f} ms"
        )
        print(
            f"           plan share of a simulated month: {t_plan / (t_plan + t_step):6.1%}; "
            f"plan / hand-written: {t_plan / t_hand:4.2f}x; per sample {t_plan / n * 1e9:5.1f} ns"
        )


if __name__ == "__main__":
    main()
