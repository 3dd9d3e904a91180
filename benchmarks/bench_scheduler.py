"""Benchmark the crunch-time scheduler on 50 projects and 3 automation kinds.

Reports, per configuration, the CP-SAT plan against baselines computed in the same run: the naive
file order, a greedy "defer what automation will speed up" order and the best of many random
orders evaluated exactly. Ratios < 1 (makespan) or > 1 (value) favour the solver.

    python benchmarks/bench_scheduler.py [--time-limit 20] [--workers 2] [--json]
"""

from __future__ import annotations

import argparse
import json
import time

import numpy as np

from crunchtime.crunch.projects import build_problem
from crunchtime.crunch.schedule import evaluate, list_schedule, solve


def make_problem(seed: int, researchers: int, objective: str, uncertain: bool, n: int = 50):
    """50 projects over 3 kinds: not automated soon, automated at month 6 (4x), two steps (2x at 3, 5x at 12)."""
    rng = np.random.default_rng(seed)
    kinds = {
        "conceptual": {},
        "rd-heavy": {"automation": [{"from_month": 6.0, "speedup": 4.0}]},
        "evals": {"automation": [{"from_month": 3.0, "speedup": 2.0}, {"from_month": 12.0, "speedup": 5.0}]},
    }
    if uncertain:
        kinds["rd-heavy"]["automation"][0]["from_month"] = {"months": [4.0, 8.0, 14.0], "probs": [0.3, 0.4, 0.3]}
    names = list(kinds)
    projects = []
    for j in range(n):
        kind = names[j % 3]
        effort = float(np.round(rng.lognormal(np.log(1.5 if kind == "conceptual" else 3.0), 0.6), 1)) + 0.1
        p = {"name": f"p{j:02d}", "effort": effort, "kind": kind, "value": float(rng.integers(1, 10))}
        if j > 5 and rng.random() < 0.15:
            p["depends_on"] = [f"p{int(rng.integers(0, j)):02d}"]
        projects.append(p)
    total = sum(p["effort"] for p in projects)
    spec = {"researchers": researchers, "kinds": kinds, "projects": projects, "objective": objective}
    if objective == "value":
        spec["deadline"] = round(0.35 * total / researchers, 1)
    return build_problem(spec, f"bench-{seed}")


def _topological(problem, order):
    pos = {j: i for i, j in enumerate(order)}
    out, seen = [], set()

    def place(j):
        if j in seen:
            return
        seen.add(j)
        for d in sorted(problem.deps[j], key=pos.get):
            place(d)
        out.append(j)

    for j in order:
        place(j)
    return out


def score(problem, plan):
    return plan.expected_value if problem.objective == "value" else -plan.expected_makespan


def baselines(problem, random_orders: int, seed: int):
    rng = np.random.default_rng(seed)
    out = {}
    t0 = time.perf_counter()
    out["naive"] = evaluate(problem)
    first_auto = {}
    for kind in set(problem.kinds):
        rs = problem.scenarios[0].rates[kind]
        first_auto[kind] = rs.times[1] if len(rs.times) > 1 else np.inf
    greedy = sorted(
        range(problem.n), key=lambda j: (-first_auto[problem.kinds[j]], -problem.value[j] / problem.effort[j])
    )
    out["greedy"] = evaluate(problem, list_schedule(problem, _topological(problem, greedy)))
    best = None
    for _ in range(random_orders):
        order = _topological(problem, list(rng.permutation(problem.n)))
        cand = evaluate(problem, list_schedule(problem, order))
        if best is None or score(problem, cand) > score(problem, best):
            best = cand
    out[f"best_of_{random_orders}_random"] = best
    return out, time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--time-limit", type=float, default=20.0)
    ap.add_argument("--workers", type=int, default=8)
    ap.add_argument("--random-orders", type=int, default=500)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    configs = [
        ("1 researcher, makespan", 1, "makespan", False),
        ("1 researcher, value by deadline", 1, "value", False),
        ("3 researchers, makespan", 3, "makespan", False),
        ("1 researcher, makespan, 3 automation dates", 1, "makespan", True),
        ("3 researchers, value, 3 automation dates", 3, "value", True),
    ]
    rows = []
    for i, (label, k, objective, uncertain) in enumerate(configs):
        problem = make_problem(100 + i, k, objective, uncertain)
        base, base_s = baselines(problem, args.random_orders, seed=i)
        res = solve(problem, time_limit=args.time_limit, workers=args.workers)
        row = {
            "config": label,
            "projects": problem.n,
            "kinds": 3,
            "scenarios": len(problem.scenarios),
            "status": res.status,
            "solve_s": round(res.solve_seconds, 2),
            "baselines_s": round(base_s, 2),
        }
        if objective == "makespan":
            row["plan_makespan"] = round(res.plan.expected_makespan, 3)
            row["bound_makespan"] = res.solver["makespan_bound_months"]
            for name, plan in base.items():
                row[f"ratio_vs_{name}"] = round(res.plan.expected_makespan / plan.expected_makespan, 4)
        else:
            row["plan_value"] = round(res.plan.expected_value, 3)
            for name, plan in base.items():
                row[f"ratio_vs_{name}"] = round(res.plan.expected_value / max(plan.expected_value, 1e-9), 4)
        rows.append(row)
        if not args.json:
            print(json.dumps(row))
    if args.json:
        print(json.dumps(rows, indent=2))


if __name__ == "__main__":
    main()
