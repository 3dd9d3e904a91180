"""Schedule research projects against automation timelines with a CP-SAT model (OR-Tools).

A plan assigns each project to a researcher and orders each researcher's projects; it is shared by
all automation scenarios (one never knows the automation date in advance), and in each scenario a
project starts as soon as its researcher and its dependencies allow. The solver maximises expected
value delivered by the deadlines (then minimises expected makespan) or minimises expected makespan.

Times are integers in the solver (``ticks_per_month``); the reported times are recomputed exactly
from the plan (:func:`crunchtime.crunch.timing.simulate`).

The steps live in their own modules: the model (:mod:`crunchtime.crunch.schedule_model`), plans
without the solver (:mod:`crunchtime.crunch.schedule_plans`) and the outcome
(:mod:`crunchtime.crunch.schedule_result`); this module solves and re-exports their public names.
"""

from __future__ import annotations

import time
from typing import Any

from crunchtime.crunch.projects import Problem
from crunchtime.crunch.schedule_model import ScheduleModel, build_model, extract_sequences
from crunchtime.crunch.schedule_plans import brute_force, list_schedule, tidy, warm_start
from crunchtime.crunch.schedule_result import PlanOutcome, ScheduleResult, better, evaluate, rounded

__all__ = [
    "TICKS_PER_MONTH",
    "PlanOutcome",
    "ScheduleResult",
    "brute_force",
    "evaluate",
    "list_schedule",
    "solve",
]

TICKS_PER_MONTH = 1680  # 2^4 * 3 * 5 * 7: tenths, twelfths, sevenths... of a month are whole ticks


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
    naive = evaluate(problem)
    warm = warm_start(problem, naive)
    sm = build_model(cp_model, problem, warm, ticks_per_month)
    solver = _make_solver(cp_model, time_limit, workers, seed)
    statuses: list[Any] = []
    sequences = _maximise_on_time_value(cp_model, solver, problem, sm, time_limit, statuses)
    sequences, status = _minimise_makespan(cp_model, solver, problem, sm, time_limit, t0, statuses, sequences)
    plan = _best_plan(problem, warm, sequences)
    info = {
        "ticks_per_month": ticks_per_month,
        "scenarios": len(problem.scenarios),
        "makespan_bound_months": rounded(solver.best_objective_bound / sum(sm.weights) / ticks_per_month),
        "workers": solver.parameters.num_workers,
    }
    return ScheduleResult(problem, plan, naive, status, time.perf_counter() - t0, info)


def _make_solver(cp_model: Any, time_limit: float, workers: int | None, seed: int) -> Any:
    """A CP-SAT solver with the time limit, the worker count (default 8) and the seed."""
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = float(time_limit)
    solver.parameters.num_workers = int(workers or 8)  # the portfolio (with LNS) needs ~8 workers even on few cores
    solver.parameters.random_seed = int(seed)
    # no repair_hint: with several workers OR-Tools 9.15 can abort in MinimizeL1DistanceWithHint
    # (google/or-tools#5025); the hint still seeds the search as a warm start
    return solver


def _maximise_on_time_value(
    cp_model: Any, solver: Any, problem: Problem, sm: ScheduleModel, time_limit: float, statuses: list[Any]
) -> list[list[int]] | None:
    """First phase (value objective): maximise the value done by the deadlines in 70% of the time, then keep it.

    On success the value found becomes a constraint and the solution the next phase's hint; appends the
    phase's status to ``statuses`` and returns the plan found, or ``None`` (also when there is no value term).
    """
    if not sm.on_time_value:
        return None
    m = sm.model
    m.maximize(sum(sm.on_time_value))
    solver.parameters.max_time_in_seconds = 0.7 * float(time_limit)
    st = solver.solve(m)
    statuses.append(st)
    if st not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    sequences = extract_sequences(problem, solver, sm)
    m.add(sum(sm.on_time_value) >= round(solver.objective_value))
    m.clear_objective()
    m.clear_hints()
    for var in [v for row in sm.starts + sm.ends for v in row]:
        m.add_hint(var, solver.value(var))
    return sequences


def _minimise_makespan(
    cp_model: Any,
    solver: Any,
    problem: Problem,
    sm: ScheduleModel,
    time_limit: float,
    t0: float,
    statuses: list[Any],
    sequences: list[list[int]] | None,
) -> tuple[list[list[int]] | None, str]:
    """Last phase: minimise the expected makespan in the time left; the plan found (or the earlier one) and status."""
    sm.model.minimize(sm.expected_makespan)
    solver.parameters.max_time_in_seconds = max(0.5, float(time_limit) - (time.perf_counter() - t0))
    st = solver.solve(sm.model)
    statuses.append(st)
    if st in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        sequences = extract_sequences(problem, solver, sm)
        status = "OPTIMAL" if all(s == cp_model.OPTIMAL for s in statuses) else "FEASIBLE"
    else:
        status = "FEASIBLE" if sequences is not None else "NO_SOLUTION"
    return sequences, status


def _best_plan(problem: Problem, warm: PlanOutcome, sequences: list[list[int]] | None) -> PlanOutcome:
    """The solver's plan, tidied and timed exactly, unless the warm start is better (or there is none)."""
    plan = warm
    if sequences is not None:
        candidate = evaluate(problem, tidy(problem, sequences))
        if not better(problem, warm, candidate):  # never report a plan worse than the warm start
            plan = candidate
    return plan
