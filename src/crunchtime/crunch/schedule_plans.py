"""Shared plans without the solver: the warm start, list scheduling, tidying, and brute force for small cases.

A plan is one sequence of project indices per researcher, shared by every automation scenario.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterator

from crunchtime.crunch.projects import Problem
from crunchtime.crunch.schedule_result import PlanOutcome, better, evaluate


def warm_start(problem: Problem, naive: PlanOutcome) -> PlanOutcome:
    """Best of two shared plans to start the solver from: the naive order, and "defer what AI will speed up".

    The second takes kinds whose first speed-up comes latest (or never) first, then by value per effort.
    """
    order = _defer_automation_order(problem)
    best = evaluate(problem, relabel(naive.sequences))
    for seqs in (list_schedule(problem, order),):
        cand = evaluate(problem, seqs)
        if better(problem, cand, best):
            best = cand
    return best


def _defer_automation_order(problem: Problem) -> list[int]:
    """Projects whose kind is sped up latest (or never) first, then by value per effort, dependencies first."""
    from crunchtime.crunch.timing import topological_file_order

    sc = problem.scenarios[0]
    first = {
        kind: float(sc.rates[kind].times[1]) if len(sc.rates[kind].times) > 1 else math.inf
        for kind in set(problem.kinds)
    }
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
    return order


def list_schedule(problem: Problem, order: list[int]) -> list[list[int]]:
    """Give each project, in ``order``, to the researcher free first (timing under the first scenario)."""
    from crunchtime.crunch.timing import list_sequences

    return relabel(list_sequences(problem, order, problem.scenarios[0]))


def relabel(seqs: list[list[int]]) -> list[list[int]]:
    """Number researchers by their lowest project index (the solver's symmetry breaking expects it)."""
    used = sorted((s for s in seqs if s), key=min)
    return [list(s) for s in used] + [[] for _ in range(len(seqs) - len(used))]


def tidy(problem: Problem, sequences: list[list[int]]) -> list[list[int]]:
    """Put consecutive interchangeable projects (same kind, effort, value, deadline; no dependencies) in file order."""
    linked = {j for j in range(problem.n) if problem.deps[j]} | {d for row in problem.deps for d in row}

    def key(j: int) -> tuple:
        if j in linked:
            return ("#", j)
        return (problem.kinds[j], problem.effort[j], problem.value[j], problem.deadline[j])

    out = []
    for seq in sequences:
        tidied: list[int] = []
        for _, run in itertools.groupby(seq, key=key):
            tidied.extend(sorted(run))
        out.append(tidied)
    return out


def _assignments(n: int, k: int) -> Iterator[list[int]]:
    """Every split of projects 0..n-1 among k identical researchers (researchers labelled by first use)."""

    def rec(j: int, labels: list[int], used: int) -> Iterator[list[int]]:
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
            if better(problem, cand, best):
                best = cand
    assert best is not None
    return best
