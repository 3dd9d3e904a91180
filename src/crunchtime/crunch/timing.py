"""Exact timing of projects whose pace follows a piecewise-constant automation speed-up.

Progress of a project of one kind is the integral of its rate, ``W(t) = int_0^t r(u) du``; a project
of effort ``e`` started at ``s`` ends at ``f(s) = W^-1(W(s) + e)``. ``f`` is continuous, strictly
increasing and piecewise linear, so starting earlier never ends later: the best schedule for a
given assignment and order starts each project as soon as its researcher and dependencies allow.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from crunchtime.crunch.projects import Problem, RateSchedule, Scenario


def _cumulative(rs: RateSchedule) -> np.ndarray:
    """Progress ``W`` at each breakpoint of the schedule."""
    return np.concatenate([[0.0], np.cumsum(np.diff(rs.times) * rs.rates[:-1])])


def progress(rs: RateSchedule, t: np.ndarray | float) -> np.ndarray:
    """``W(t)``: months of today's-pace work done by calendar month ``t`` (t >= 0)."""
    t = np.asarray(t, dtype=float)
    w = _cumulative(rs)
    i = np.clip(np.searchsorted(rs.times, t, side="right") - 1, 0, None)
    return w[i] + (t - rs.times[i]) * rs.rates[i]


def inverse_progress(rs: RateSchedule, w: np.ndarray | float) -> np.ndarray:
    """``W^-1(w)``: the calendar month at which ``w`` months of work are done."""
    w = np.asarray(w, dtype=float)
    cw = _cumulative(rs)
    i = np.clip(np.searchsorted(cw, w, side="right") - 1, 0, None)
    return rs.times[i] + (w - cw[i]) / rs.rates[i]


def end_time(rs: RateSchedule, start: np.ndarray | float, effort: np.ndarray | float) -> np.ndarray:
    """Calendar month a project of ``effort`` started at ``start`` ends."""
    return inverse_progress(rs, progress(rs, start) + np.asarray(effort, dtype=float))


def end_breakpoints(rs: RateSchedule, effort: float, horizon: float) -> tuple[np.ndarray, np.ndarray]:
    """Starts ``S`` and ends ``E = f(S)`` between which ``f`` is linear, covering ``[0, horizon]``.

    ``f`` bends where the start crosses a rate change or the end does (start = W^-1(W(T) - effort)).
    """
    cw = _cumulative(rs)
    back = cw - effort
    starts = np.concatenate([[0.0, horizon], rs.times, inverse_progress(rs, back[back > 0])])
    starts = np.unique(np.clip(starts, 0.0, horizon))
    return starts, end_time(rs, starts, effort)


@dataclass(frozen=True)
class Timing:
    """Start and end months of every project (file order) under one scenario."""

    start: np.ndarray
    end: np.ndarray


def simulate(problem: Problem, scenario: Scenario, sequences: list[list[int]]) -> Timing:
    """Left-shifted timing of a plan: each researcher works through ``sequences[r]`` in order.

    A project starts when its researcher is free and its dependencies have ended. Raises
    ``ValueError`` if the plan deadlocks (an order contradicting the dependencies).
    """
    n = problem.n
    start, end = np.full(n, np.nan), np.full(n, np.nan)
    pos = [0] * len(sequences)
    free = [0.0] * len(sequences)
    done = 0
    while done < n:
        progressed = False
        for r, seq in enumerate(sequences):
            while pos[r] < len(seq):
                j = seq[pos[r]]
                dep_ends = end[problem.deps[j]]
                if np.isnan(dep_ends).any():
                    break
                s = max(free[r], float(dep_ends.max()) if len(dep_ends) else 0.0)
                start[j] = s
                end[j] = float(end_time(scenario.rates[problem.kinds[j]], s, problem.effort[j]))
                free[r] = end[j]
                pos[r] += 1
                done += 1
                progressed = True
        if not progressed:
            raise ValueError("plan deadlocks: an order contradicts the dependencies")
    return Timing(start, end)


def topological_file_order(problem: Problem) -> list[int]:
    """File order, moving a project after its dependencies when the file lists it first (stable)."""
    placed: list[int] = []
    seen: set[int] = set()

    def place(j: int) -> None:
        if j in seen:
            return
        seen.add(j)
        for d in problem.deps[j]:
            place(d)
        placed.append(j)

    for j in range(problem.n):
        place(j)
    return placed


def list_sequences(problem: Problem, order: list[int], scenario: Scenario) -> list[list[int]]:
    """List scheduling: take projects in ``order``, each to the researcher free first, under one scenario."""
    k = problem.researchers
    sequences: list[list[int]] = [[] for _ in range(k)]
    free = np.zeros(k)
    end = np.full(problem.n, np.nan)
    for j in order:
        r = int(np.argmin(free))
        deps = end[problem.deps[j]]
        s = max(free[r], float(deps.max()) if len(deps) else 0.0)
        end[j] = float(end_time(scenario.rates[problem.kinds[j]], s, problem.effort[j]))
        free[r] = end[j]
        sequences[r].append(j)
    return sequences


def naive_sequences(problem: Problem, scenario: Scenario) -> list[list[int]]:
    """The naive plan: projects in file order (dependencies first), list-scheduled."""
    return list_sequences(problem, topological_file_order(problem), scenario)


def outcome(problem: Problem, timing: Timing, tol: float = 1e-9) -> tuple[float, float]:
    """(makespan, value delivered by the deadlines) of one timing."""
    on_time = timing.end <= problem.deadline + tol
    return float(timing.end.max()), float(problem.value[on_time].sum())
