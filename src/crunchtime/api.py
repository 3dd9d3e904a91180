"""The public Python API: load beliefs and plans, simulate, compare. Every shell calls these."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from crunchtime.engine import DEFAULT_CHUNK, run_chunks
from crunchtime.errors import InputError
from crunchtime.result import ComparisonResult, SimulationResult, assemble
from crunchtime.scenario import Scenario, load_scenario

MAX_SAMPLES = 10_000_000


def load_plan(name_or_path: str | Path):
    """A built-in plan by name or a plan YAML file (see docs/plans.md)."""
    from crunchtime.plans import load_plan as _load

    return _load(name_or_path)


def _as_scenario(scenario: Scenario | str | Path) -> Scenario:
    return scenario if isinstance(scenario, Scenario) else load_scenario(scenario)


def _as_plan(plan):
    return load_plan(plan) if isinstance(plan, (str, Path)) else plan


def _check(samples: int, seed: int) -> None:
    if not isinstance(samples, int) or not 1 <= samples <= MAX_SAMPLES:
        raise InputError("--samples", None, f"must be a whole number in 1..{MAX_SAMPLES}, got {samples!r}")
    if not isinstance(seed, int) or not 0 <= seed < 2**63:
        raise InputError("--seed", None, f"must be a non-negative whole number, got {seed!r}")


def compare(scenario: Scenario | str | Path, plans: Sequence, samples: int = 2000, seed: int = 0,
            chunk_size: int = DEFAULT_CHUNK, workers: int = 1,
            progress: Callable[[int, int], None] | None = None) -> ComparisonResult:
    """Simulate several plans on identical sampled worlds and shocks (common random numbers)."""
    _check(samples, seed)
    sc = _as_scenario(scenario)
    plan_objs = [_as_plan(p) for p in plans]
    names = [p.name for p in plan_objs]
    if len(set(names)) != len(names):
        raise InputError("--plans", None, "plan names must be distinct")
    chunks = run_chunks(sc, plan_objs, samples, seed, chunk_size, workers, progress)
    results = {}
    for i, plan in enumerate(plan_objs):
        res = assemble(sc, plan.name, seed, [c[i] for c in chunks])
        res.extra["plan_source_text"] = getattr(plan, "source_text", "")
        results[plan.name] = res
    return ComparisonResult(results)


def simulate(scenario: Scenario | str | Path, plan, samples: int = 2000, seed: int = 0,
             chunk_size: int = DEFAULT_CHUNK, workers: int = 1,
             progress: Callable[[int, int], None] | None = None) -> SimulationResult:
    """Run one plan on a scenario: outcome probabilities with standard errors, milestones, risk, quantiles."""
    return next(iter(compare(scenario, [plan], samples, seed, chunk_size, workers, progress).results.values()))
