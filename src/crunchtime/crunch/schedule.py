"""Schedule research projects against automation timelines with a CP-SAT model (OR-Tools).

A plan assigns each project to a researcher and orders each researcher's projects; it is shared by
all automation scenarios (one never knows the automation date in advance), and in each scenario a
project starts as soon as its researcher and its dependencies allow. The solver maximises expected
value delivered by the deadlines (then minimises expected makespan) or minimises expected makespan.

Times are integers in the solver (``ticks_per_month``); the reported times are recomputed exactly
from the plan (:func:`crunchtime.crunch.timing.simulate`).
"""

from __future__ import annotations

import itertools
import math
import time
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import numpy as np

from crunchtime.crunch.projects import Problem
from crunchtime.crunch.timing import Timing, end_breakpoints, naive_sequences, outcome, simulate

TICKS_PER_MONTH = 1680  # 2^4 * 3 * 5 * 7: tenths, twelfths, sevenths... of a month are whole ticks


@dataclass
class PlanOutcome:
    """A plan and its exact timing and outcome under each scenario."""

    sequences: list[list[int]]  # per scenario for the naive plan, shared for the optimised plan
    timings: list[Timing]
    makespans: np.ndarray
    values: np.ndarray
    probabilities: np.ndarray

    @property
    def expected_makespan(self) -> float:
        return float(self.probabilities @ self.makespans)

    @property
    def expected_value(self) -> float:
        return float(self.probabilities @ self.values)


@dataclass
class ScheduleResult:
    problem: Problem
    plan: PlanOutcome
    naive: PlanOutcome
    status: str
    solve_seconds: float
    solver: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """The JSON document of ``crunchtime crunch schedule --json``."""
        p, probs = self.problem, self.plan.probabilities
        researcher = {j: r for r, seq in enumerate(self.plan.sequences) for j in seq}
        order = {j: i for i, j in enumerate(sorted(range(p.n), key=lambda j: (self.plan.timings[0].start[j], j)))}
        starts = np.array([t.start for t in self.plan.timings])
        ends = np.array([t.end for t in self.plan.timings])
        nstarts = np.array([t.start for t in self.naive.timings])
        nends = np.array([t.end for t in self.naive.timings])
        projects = []
        for j in sorted(range(p.n), key=lambda j: (float(probs @ starts[:, j]), order[j])):
            row = {
                "name": p.names[j],
                "kind": p.kinds[j],
                "researcher": researcher[j] + 1,
                "start": _r(probs @ starts[:, j]),
                "end": _r(probs @ ends[:, j]),
                "naive_start": _r(probs @ nstarts[:, j]),
                "naive_end": _r(probs @ nends[:, j]),
                "value": float(p.value[j]),
                "deadline": float(p.deadline[j]) if np.isfinite(p.deadline[j]) else None,
                "p_on_time": _r(probs @ (ends[:, j] <= p.deadline[j] + 1e-9)),
            }
            if len(probs) > 1:
                row["by_scenario"] = [{"start": _r(s), "end": _r(e)} for s, e in zip(starts[:, j], ends[:, j])]
            projects.append(row)
        return {
            "source": p.source,
            "objective": p.objective,
            "researchers": p.researchers,
            "makespan_months": _r(self.plan.expected_makespan),
            "naive_makespan_months": _r(self.naive.expected_makespan),
            "expected_value": _r(self.plan.expected_value),
            "naive_expected_value": _r(self.naive.expected_value),
            "total_value": float(p.value.sum()),
            "projects": projects,
            "scenarios": [
                {
                    "probability": _r(sc.probability),
                    "automation_months": sc.from_months,
                    "makespan_months": _r(self.plan.makespans[i]),
                    "value": _r(self.plan.values[i]),
                    "naive_makespan_months": _r(self.naive.makespans[i]),
                    "naive_value": _r(self.naive.values[i]),
                }
                for i, sc in enumerate(p.scenarios)
            ],
            "solver": {"name": "OR-Tools CP-SAT", "status": self.status, "seconds": round(self.solve_seconds, 3), **self.solver},
        }


def _r(x: Any) -> float:
    return round(float(x), 9)


def evaluate(problem: Problem, sequences: list[list[int]] | None = None) -> PlanOutcome:
    """Exact outcome of a shared plan in every scenario; ``None`` gives the naive file-order plan."""
    seqs, timings = [], []
    for sc in problem.scenarios:
        s = naive_sequences(problem, sc) if sequences is None else sequences
        seqs.append(s)
        timings.append(simulate(problem, sc, s))
    res = np.array([outcome(problem, t) for t in timings])
    probs = np.array([sc.probability for sc in problem.scenarios])
    return PlanOutcome(seqs[0], timings, res[:, 0], res[:, 1], probs)


def _better(problem: Problem, a: PlanOutcome, b: PlanOutcome | None, tol: float = 1e-9) -> bool:
    if b is None:
        return True
    if problem.objective == "value":
        if a.expected_value > b.expected_value + tol:
            return True
        if a.expected_value < b.expected_value - tol:
            return False
    return a.expected_makespan < b.expected_makespan - tol


def _horizon(problem: Problem) -> float:
    """Upper bound on the makespan of any left-shifted plan: all work in a row at the slowest pace."""
    slowest = {
        kind: min(float(sc.rates[kind].rates.min()) for sc in problem.scenarios) for kind in set(problem.kinds)
    }
    return float(sum(e / min(1.0, slowest[k]) for e, k in zip(problem.effort, problem.kinds))) + 1.0


def solve(
    problem: Problem,
    time_limit: float = 10.0,
    workers: int | None = None,
    seed: int = 0,
    ticks_per_month: int = TICKS_PER_MONTH,
) -> ScheduleResult:
    """Optimise the plan with CP-SAT and compare it with the naive file-order plan."""
    from ortools.sat.python import cp_model

    t0 = time.perf_counter()
    n, k, tpm = problem.n, problem.researchers, ticks_per_month
    naive = evaluate(problem)
    warm = _warm_start(problem, naive)
    horizon = _horizon(problem)
    if problem.objective == "makespan" and len(problem.scenarios) == 1:
        horizon = min(horizon, warm.expected_makespan + 2.0 / tpm)  # the optimum is no longer than the warm start
    H = int(math.ceil(horizon * tpm)) + 2
    probs = [sc.probability for sc in problem.scenarios]
    weights = [max(1, round(p * 10_000)) for p in probs]
    m = cp_model.CpModel()

    S, E, intervals = [], [], []
    for c, sc in enumerate(problem.scenarios):
        s_row, e_row, iv_row = [], [], []
        for j in range(n):
            s = m.new_int_var(0, H, f"s{c}_{j}")
            e = m.new_int_var(0, H, f"e{c}_{j}")
            size = m.new_int_var(0, H, f"d{c}_{j}")
            iv_row.append(m.new_interval_var(s, size, e, f"iv{c}_{j}"))
            _add_end_curve(m, cp_model, s, e, sc.rates[problem.kinds[j]], problem.effort[j], horizon, tpm, f"{c}_{j}")
            s_row.append(s)
            e_row.append(e)
            m.add_hint(s, min(H, int(math.ceil(warm.timings[c].start[j] * tpm - 1e-6))))
            m.add_hint(e, min(H, int(math.ceil(warm.timings[c].end[j] * tpm - 1e-6))))
        for j in range(n):
            for d in problem.deps[j]:
                m.add(e_row[d] <= s_row[j])
        if k == 1:
            m.add_no_overlap(iv_row)
        else:
            m.add_cumulative(iv_row, [1] * n, k)
        S.append(s_row)
        E.append(e_row)
        intervals.append(iv_row)

    shared = len(problem.scenarios) > 1
    assign: list[list[Any]] = []
    order: dict[tuple[int, int], Any] = {}
    if shared:  # one order (and assignment) for every scenario
        if k > 1:
            for j in range(n):
                row = [m.new_bool_var(f"x{j}_{r}") if r <= j else None for r in range(k)]
                m.add_exactly_one([x for x in row if x is not None])
                assign.append(row)
        for i, j in itertools.combinations(range(n), 2):
            b = m.new_bool_var(f"b{i}_{j}")
            order[i, j] = b
            lits = []
            if k > 1:
                same = m.new_bool_var(f"same{i}_{j}")
                for r in range(k):
                    if assign[i][r] is not None and assign[j][r] is not None:
                        m.add_bool_or([assign[i][r].Not(), assign[j][r].Not(), same])
                lits = [same]
            for c in range(len(problem.scenarios)):
                m.add(E[c][i] <= S[c][j]).only_enforce_if(lits + [b])
                m.add(E[c][j] <= S[c][i]).only_enforce_if(lits + [b.Not()])

    if shared:
        where = {j: (r, i) for r, seq in enumerate(warm.sequences) for i, j in enumerate(seq)}
        for (i, j), b in order.items():
            (ri, pi), (rj, pj) = where[i], where[j]
            m.add_hint(b, pi < pj if ri == rj else warm.timings[0].start[i] <= warm.timings[0].start[j])
        for j, row in enumerate(assign):
            for r, x in enumerate(row):
                if x is not None:
                    m.add_hint(x, where[j][0] == r)

    makespans = []
    for c in range(len(problem.scenarios)):
        cmax = m.new_int_var(0, H, f"cmax{c}")
        m.add_max_equality(cmax, E[c])
        makespans.append(cmax)
    exp_makespan = sum(w * cm for w, cm in zip(weights, makespans))

    done_terms = []
    if problem.objective == "value":
        vals = [round(v * 1000) for v in problem.value]
        for c in range(len(problem.scenarios)):
            for j in range(n):
                if not np.isfinite(problem.deadline[j]) or vals[j] == 0:
                    continue
                dl = int(math.floor(problem.deadline[j] * tpm + 1e-6))
                done = m.new_bool_var(f"done{c}_{j}")
                m.add(E[c][j] <= dl).only_enforce_if(done)
                done_terms.append(weights[c] * vals[j] * done)

    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = float(time_limit)
    solver.parameters.num_workers = int(workers or 8)  # the portfolio (with LNS) needs ~8 workers even on few cores
    solver.parameters.random_seed = int(seed)
    # no repair_hint: with several workers OR-Tools 9.15 can abort in MinimizeL1DistanceWithHint
    # (google/or-tools#5025); the hint still seeds the search as a warm start
    statuses, sequences = [], None
    if done_terms:
        m.maximize(sum(done_terms))
        solver.parameters.max_time_in_seconds = 0.7 * float(time_limit)
        st = solver.solve(m)
        statuses.append(st)
        if st in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            sequences = _extract_sequences(problem, solver, S, E, assign, k)
            m.add(sum(done_terms) >= int(round(solver.objective_value)))
            m.clear_objective()
            m.clear_hints()
            for var in [v for row in S + E for v in row]:
                m.add_hint(var, solver.value(var))
    m.minimize(exp_makespan)
    solver.parameters.max_time_in_seconds = max(0.5, float(time_limit) - (time.perf_counter() - t0))
    st = solver.solve(m)
    statuses.append(st)
    if st in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        sequences = _extract_sequences(problem, solver, S, E, assign, k)
        status = "OPTIMAL" if all(s == cp_model.OPTIMAL for s in statuses) else "FEASIBLE"
    else:
        status = "FEASIBLE" if sequences is not None else "NO_SOLUTION"
    plan = warm
    if sequences is not None:
        candidate = evaluate(problem, _tidy(problem, sequences))
        if not _better(problem, warm, candidate):  # never report a plan worse than the warm start
            plan = candidate
    info = {
        "ticks_per_month": tpm,
        "scenarios": len(problem.scenarios),
        "makespan_bound_months": _r(solver.best_objective_bound / sum(weights) / tpm),
        "workers": solver.parameters.num_workers,
    }
    return ScheduleResult(problem, plan, naive, status, time.perf_counter() - t0, info)


def _add_end_curve(m: Any, cp_model: Any, s: Any, e: Any, rates: Any, effort: float, horizon: float, tpm: int, tag: str) -> None:
    """Constrain ``e >= f(s)`` for the piecewise-linear end-time curve, one literal per linear piece."""
    starts, ends = end_breakpoints(rates, effort, horizon)
    if len(starts) <= 2 or np.ptp(ends - starts) < 1e-12:  # constant pace: fixed duration
        m.add(e >= s + int(math.ceil(effort * tpm - 1e-6)))
        return
    pieces = []
    for p in range(len(starts) - 1):
        s0, s1 = int(round(starts[p] * tpm)), int(round(starts[p + 1] * tpm))
        e0 = int(math.ceil(ends[p] * tpm - 1e-6))
        slope = Fraction((ends[p + 1] - ends[p]) / (starts[p + 1] - starts[p])).limit_denominator(10_000)
        z = m.new_bool_var(f"z{tag}_{p}")
        m.add(s >= s0).only_enforce_if(z)
        m.add(s <= s1).only_enforce_if(z)
        m.add(slope.denominator * (e - e0) >= slope.numerator * (s - s0)).only_enforce_if(z)
        pieces.append(z)
    m.add_exactly_one(pieces)


def _warm_start(problem: Problem, naive: PlanOutcome) -> PlanOutcome:
    """Best of two shared plans to start the solver from: the naive order, and "defer what AI will speed up".

    The second takes kinds whose first speed-up comes latest (or never) first, then by value per effort.
    """
    from crunchtime.crunch.timing import topological_file_order

    sc = problem.scenarios[0]
    first = {kind: float(sc.rates[kind].times[1]) if len(sc.rates[kind].times) > 1 else math.inf for kind in set(problem.kinds)}
    keyed = sorted(range(problem.n), key=lambda j: (-first[problem.kinds[j]], -problem.value[j] / problem.effort[j], j))
    rank = {j: i for i, j in enumerate(keyed)}
    greedy_problem_order = sorted(topological_file_order(problem), key=lambda j: rank[j])
    seen: set[int] = set()
    order: list[int] = []

    def place(j: int) -> None:
        if j not in seen:
            seen.add(j)
            for d in problem.deps[j]:
                place(d)
            order.append(j)

    for j in greedy_problem_order:
        place(j)
    best = evaluate(problem, _relabel(naive.sequences))
    for seqs in (list_schedule(problem, order),):
        cand = evaluate(problem, seqs)
        if _better(problem, cand, best):
            best = cand
    return best


def list_schedule(problem: Problem, order: list[int]) -> list[list[int]]:
    """Give each project, in ``order``, to the researcher free first (timing under the first scenario)."""
    from crunchtime.crunch.timing import list_sequences

    return _relabel(list_sequences(problem, order, problem.scenarios[0]))


def _relabel(seqs: list[list[int]]) -> list[list[int]]:
    """Number researchers by their lowest project index (the solver's symmetry breaking expects it)."""
    used = sorted((s for s in seqs if s), key=min)
    return [list(s) for s in used] + [[] for _ in range(len(seqs) - len(used))]


def _tidy(problem: Problem, sequences: list[list[int]]) -> list[list[int]]:
    """Put consecutive interchangeable projects (same kind, effort, value, deadline; no dependencies) in file order."""
    linked = {j for j in range(problem.n) if problem.deps[j]} | {d for row in problem.deps for d in row}

    def key(j: int) -> tuple:
        return (problem.kinds[j], problem.effort[j], problem.value[j], problem.deadline[j]) if j not in linked else ("#", j)

    out = []
    for seq in sequences:
        tidy: list[int] = []
        for _, run in itertools.groupby(seq, key=key):
            tidy.extend(sorted(run))
        out.append(tidy)
    return out


def _extract_sequences(
    problem: Problem, solver: Any, S: list[list[Any]], E: list[list[Any]], assign: list[list[Any]], k: int
) -> list[list[int]]:
    """Per-researcher orders from the solution of scenario 0 (shared across scenarios by construction)."""
    starts = [solver.value(v) for v in S[0]]
    ends = [solver.value(v) for v in E[0]]
    by_start = sorted(range(problem.n), key=lambda j: (starts[j], ends[j], j))
    sequences: list[list[int]] = [[] for _ in range(k)]
    if assign:
        for j in by_start:
            r = next(r for r, x in enumerate(assign[j]) if x is not None and solver.boolean_value(x))
            sequences[r].append(j)
        return sequences
    # one scenario: colour the intervals (possible because at most k overlap); best fit keeps it tight
    free = [0] * k
    for j in by_start:
        fits = [r for r in range(k) if free[r] <= starts[j]]
        r = max(fits, key=lambda r: (free[r], -r)) if fits else int(np.argmin(free))
        sequences[r].append(j)
        free[r] = ends[j]
    return sequences


def _assignments(n: int, k: int):
    """Every split of projects 0..n-1 among k identical researchers (researchers labelled by first use)."""
    def rec(j: int, labels: list[int], used: int):
        if j == n:
            yield list(labels)
            return
        for r in range(min(used + 1, k)):
            labels.append(r)
            yield from rec(j + 1, labels, max(used, r + 1))
            labels.pop()
    yield from rec(0, [], 0)


def brute_force(problem: Problem, max_projects: int = 7) -> PlanOutcome:
    """Best shared plan by enumerating every assignment and order (the reference for small cases)."""
    if problem.n > max_projects:
        raise ValueError(f"brute force is for at most {max_projects} projects")
    k = min(problem.researchers, problem.n)
    best: PlanOutcome | None = None
    for labels in _assignments(problem.n, k):
        groups = [[j for j in range(problem.n) if labels[j] == r] for r in range(k)]
        for orders in itertools.product(*[itertools.permutations(g) for g in groups]):
            try:
                cand = evaluate(problem, [list(o) for o in orders] + [[] for _ in range(problem.researchers - k)])
            except ValueError:  # order contradicts dependencies
                continue
            if _better(problem, cand, best):
                best = cand
    assert best is not None
    return best
