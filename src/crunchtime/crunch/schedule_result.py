"""A schedule's outcome: a plan's exact timing under each automation scenario, and the solver's report.

:func:`evaluate` recomputes a plan's times exactly (:func:`crunchtime.crunch.timing.simulate`);
:class:`ScheduleResult` is what :func:`crunchtime.crunch.schedule.solve` returns and ``crunchtime crunch
schedule --json`` prints.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from crunchtime.crunch.projects import Problem
from crunchtime.crunch.timing import Timing, naive_sequences, outcome, simulate


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
    """The optimised plan beside the naive file-order plan, with the solver's status and settings."""

    problem: Problem
    plan: PlanOutcome
    naive: PlanOutcome
    status: str
    solve_seconds: float
    solver: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """The JSON document of ``crunchtime crunch schedule --json``."""
        p = self.problem
        return {
            "source": p.source,
            "objective": p.objective,
            "researchers": p.researchers,
            "makespan_months": rounded(self.plan.expected_makespan),
            "naive_makespan_months": rounded(self.naive.expected_makespan),
            "expected_value": rounded(self.plan.expected_value),
            "naive_expected_value": rounded(self.naive.expected_value),
            "total_value": float(p.value.sum()),
            "projects": self._project_rows(),
            "scenarios": self._scenario_rows(),
            "solver": {
                "name": "OR-Tools CP-SAT",
                "status": self.status,
                "seconds": round(self.solve_seconds, 3),
                **self.solver,
            },
        }

    def _project_rows(self) -> list[dict[str, Any]]:
        """One row per project, in order of expected start: researcher, expected times, on-time chance."""
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
                "start": rounded(probs @ starts[:, j]),
                "end": rounded(probs @ ends[:, j]),
                "naive_start": rounded(probs @ nstarts[:, j]),
                "naive_end": rounded(probs @ nends[:, j]),
                "value": float(p.value[j]),
                "deadline": float(p.deadline[j]) if np.isfinite(p.deadline[j]) else None,
                "p_on_time": rounded(probs @ (ends[:, j] <= p.deadline[j] + 1e-9)),
            }
            if len(probs) > 1:
                by_scenario = zip(starts[:, j], ends[:, j], strict=True)
                row["by_scenario"] = [{"start": rounded(s), "end": rounded(e)} for s, e in by_scenario]
            projects.append(row)
        return projects

    def _scenario_rows(self) -> list[dict[str, Any]]:
        """One row per automation scenario: its probability and both plans' makespan and value."""
        return [
            {
                "probability": rounded(sc.probability),
                "automation_months": sc.from_months,
                "makespan_months": rounded(self.plan.makespans[i]),
                "value": rounded(self.plan.values[i]),
                "naive_makespan_months": rounded(self.naive.makespans[i]),
                "naive_value": rounded(self.naive.values[i]),
            }
            for i, sc in enumerate(self.problem.scenarios)
        ]


def rounded(x: Any) -> float:
    """A number for the report: a float rounded to 9 decimals (no float noise in the JSON)."""
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


def better(problem: Problem, a: PlanOutcome, b: PlanOutcome | None, tol: float = 1e-9) -> bool:
    """Whether plan ``a`` beats ``b`` on the problem's objective (value first, then makespan); any beats ``None``."""
    if b is None:
        return True
    if problem.objective == "value":
        if a.expected_value > b.expected_value + tol:
            return True
        if a.expected_value < b.expected_value - tol:
            return False
    return a.expected_makespan < b.expected_makespan - tol
