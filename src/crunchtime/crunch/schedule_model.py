"""The CP-SAT model of a schedule: start and end variables per scenario, the constraints, the objectives' terms.

Times are integers in the solver (``tpm`` ticks per month). The variables are created in a fixed order
(the solver's search depends on it): per scenario the projects' intervals, then the shared order and
assignment, then each scenario's makespan, then the on-time indicators.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np

from crunchtime.crunch.projects import Problem
from crunchtime.crunch.schedule_result import PlanOutcome
from crunchtime.crunch.timing import end_breakpoints


@dataclass
class ScheduleModel:
    """A built CP-SAT model and the variables the solve and the solution reading need."""

    model: Any
    starts: list[list[Any]]  # [scenario][project] start tick
    ends: list[list[Any]]  # [scenario][project] end tick
    assign: list[list[Any]]  # [project][researcher] literal (None where symmetry rules it out); empty if not needed
    weights: list[int]  # each scenario's integer weight, about 10,000 x its probability
    expected_makespan: Any  # sum of weight x makespan over scenarios (a linear expression)
    on_time_value: list[Any]  # weight x value x "done by the deadline" terms; empty unless the objective is value


def horizon_months(problem: Problem) -> float:
    """Upper bound on the makespan of any left-shifted plan: all work in a row at the slowest pace."""
    slowest = {kind: min(float(sc.rates[kind].rates.min()) for sc in problem.scenarios) for kind in set(problem.kinds)}
    return float(sum(e / min(1.0, slowest[k]) for e, k in zip(problem.effort, problem.kinds, strict=True))) + 1.0


def build_model(cp_model: Any, problem: Problem, warm: PlanOutcome, tpm: int) -> ScheduleModel:
    """The whole CP-SAT model of ``problem``, hinted with the ``warm`` plan (``cp_model``: OR-Tools' module)."""
    horizon = horizon_months(problem)
    if problem.objective == "makespan" and len(problem.scenarios) == 1:
        horizon = min(horizon, warm.expected_makespan + 2.0 / tpm)  # the optimum is no longer than the warm start
    H = math.ceil(horizon * tpm) + 2
    weights = [max(1, round(sc.probability * 10_000)) for sc in problem.scenarios]
    m = cp_model.CpModel()
    S, E = [], []
    for c in range(len(problem.scenarios)):
        s_row, e_row = _add_scenario_intervals(m, cp_model, problem, c, warm, horizon, H, tpm)
        S.append(s_row)
        E.append(e_row)
    assign: list[list[Any]] = []
    if len(problem.scenarios) > 1:  # one order (and assignment) for every scenario
        assign, order = _add_shared_order(m, problem, S, E)
        _hint_shared_order(m, warm, assign, order)
    makespans = []
    for c in range(len(problem.scenarios)):
        cmax = m.new_int_var(0, H, f"cmax{c}")
        m.add_max_equality(cmax, E[c])
        makespans.append(cmax)
    exp_makespan = sum(w * cm for w, cm in zip(weights, makespans, strict=True))
    done_terms = _on_time_value_terms(m, problem, E, weights, tpm) if problem.objective == "value" else []
    return ScheduleModel(m, S, E, assign, weights, exp_makespan, done_terms)


def _add_scenario_intervals(
    m: Any, cp_model: Any, problem: Problem, c: int, warm: PlanOutcome, horizon: float, H: int, tpm: int
) -> tuple[list[Any], list[Any]]:
    """Scenario ``c``'s start and end variables: end curves, dependencies, at most ``k`` projects at once."""
    sc = problem.scenarios[c]
    s_row, e_row, iv_row = [], [], []
    for j in range(problem.n):
        s = m.new_int_var(0, H, f"s{c}_{j}")
        e = m.new_int_var(0, H, f"e{c}_{j}")
        size = m.new_int_var(0, H, f"d{c}_{j}")
        iv_row.append(m.new_interval_var(s, size, e, f"iv{c}_{j}"))
        add_end_curve(m, s, e, sc.rates[problem.kinds[j]], problem.effort[j], horizon, tpm, f"{c}_{j}")
        s_row.append(s)
        e_row.append(e)
        m.add_hint(s, min(H, math.ceil(warm.timings[c].start[j] * tpm - 1e-6)))
        m.add_hint(e, min(H, math.ceil(warm.timings[c].end[j] * tpm - 1e-6)))
    for j in range(problem.n):
        for d in problem.deps[j]:
            m.add(e_row[d] <= s_row[j])
    if problem.researchers == 1:
        m.add_no_overlap(iv_row)
    else:
        m.add_cumulative(iv_row, [1] * problem.n, problem.researchers)
    return s_row, e_row


def _add_shared_order(
    m: Any, problem: Problem, S: list[list[Any]], E: list[list[Any]]
) -> tuple[list[list[Any]], dict[tuple[int, int], Any]]:
    """One order literal per pair of projects (and, with several researchers, an assignment) for every scenario."""
    n, k = problem.n, problem.researchers
    assign: list[list[Any]] = []
    order: dict[tuple[int, int], Any] = {}
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
            m.add(E[c][i] <= S[c][j]).only_enforce_if([*lits, b])
            m.add(E[c][j] <= S[c][i]).only_enforce_if([*lits, b.Not()])
    return assign, order


def _hint_shared_order(m: Any, warm: PlanOutcome, assign: list[list[Any]], order: dict[tuple[int, int], Any]) -> None:
    """Hint the order and assignment literals with the warm plan."""
    where = {j: (r, i) for r, seq in enumerate(warm.sequences) for i, j in enumerate(seq)}
    for (i, j), b in order.items():
        (ri, pi), (rj, pj) = where[i], where[j]
        m.add_hint(b, pi < pj if ri == rj else warm.timings[0].start[i] <= warm.timings[0].start[j])
    for j, row in enumerate(assign):
        for r, x in enumerate(row):
            if x is not None:
                m.add_hint(x, where[j][0] == r)


def _on_time_value_terms(m: Any, problem: Problem, E: list[list[Any]], weights: list[int], tpm: int) -> list[Any]:
    """Weighted value of each project with a deadline, counted when a literal says it ends by the deadline."""
    done_terms = []
    vals = [round(v * 1000) for v in problem.value]
    for c in range(len(problem.scenarios)):
        for j in range(problem.n):
            if not np.isfinite(problem.deadline[j]) or vals[j] == 0:
                continue
            dl = math.floor(problem.deadline[j] * tpm + 1e-6)
            done = m.new_bool_var(f"done{c}_{j}")
            m.add(E[c][j] <= dl).only_enforce_if(done)
            done_terms.append(weights[c] * vals[j] * done)
    return done_terms


def add_end_curve(m: Any, s: Any, e: Any, rates: Any, effort: float, horizon: float, tpm: int, tag: str) -> None:
    """Constrain ``e >= f(s)`` for the piecewise-linear end-time curve, one literal per linear piece."""
    starts, ends = end_breakpoints(rates, effort, horizon)
    if len(starts) <= 2 or np.ptp(ends - starts) < 1e-12:  # constant pace: fixed duration
        m.add(e >= s + math.ceil(effort * tpm - 1e-6))
        return
    pieces = []
    for p in range(len(starts) - 1):
        # int(): before NumPy 2, round() of a NumPy float gives a float
        s0, s1 = int(round(starts[p] * tpm)), int(round(starts[p + 1] * tpm))  # noqa: RUF046
        e0 = math.ceil(ends[p] * tpm - 1e-6)
        slope = Fraction((ends[p + 1] - ends[p]) / (starts[p + 1] - starts[p])).limit_denominator(10_000)
        z = m.new_bool_var(f"z{tag}_{p}")
        m.add(s >= s0).only_enforce_if(z)
        m.add(s <= s1).only_enforce_if(z)
        m.add(slope.denominator * (e - e0) >= slope.numerator * (s - s0)).only_enforce_if(z)
        pieces.append(z)
    m.add_exactly_one(pieces)


def extract_sequences(problem: Problem, solver: Any, sm: ScheduleModel) -> list[list[int]]:
    """Per-researcher orders from the solution of scenario 0 (shared across scenarios by construction)."""
    k = problem.researchers
    starts = [solver.value(v) for v in sm.starts[0]]
    ends = [solver.value(v) for v in sm.ends[0]]
    by_start = sorted(range(problem.n), key=lambda j: (starts[j], ends[j], j))
    sequences: list[list[int]] = [[] for _ in range(k)]
    if sm.assign:
        for j in by_start:
            r = next(r for r, x in enumerate(sm.assign[j]) if x is not None and solver.boolean_value(x))
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
