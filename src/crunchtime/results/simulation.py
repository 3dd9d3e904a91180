"""Simulations with checked arguments: `compare` (several plans on common random numbers) and `simulate`,
from beliefs and plans to results."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from crunchtime.engine.backends import check_backend
from crunchtime.engine.run import chunk_bounds, pool_compiled, run_chunks
from crunchtime.engine.sizes import BLOCK, DEFAULT_CHUNK, MAX_SAMPLES, MAX_WORKERS
from crunchtime.errors import ArgumentError
from crunchtime.model import design as _design
from crunchtime.model.catalog import load_plan, load_scenario, parameters
from crunchtime.model.knobs import KNOBS
from crunchtime.model.plans import Plan, parse_plan
from crunchtime.model.scenario import Scenario
from crunchtime.model.state import MILESTONES, OUTCOMES
from crunchtime.results.comparison import ComparisonResult
from crunchtime.results.result import SimulationResult, assemble

if TYPE_CHECKING:
    from crunchtime.engine.backends.pool import WorkerPool

#: what the analyses above use besides `compare` and `simulate` (they import this module, never the facade)
__all__ = [
    "BLOCK",
    "DEFAULT_CHUNK",
    "KNOBS",
    "MAX_SAMPLES",
    "MAX_WORKERS",
    "MILESTONES",
    "OUTCOMES",
    "Plan",
    "Progress",
    "Scenario",
    "check_jit",
    "compare",
    "jit_device",
    "jit_on_cpu",
    "jit_ready",
    "load_plan",
    "load_scenario",
    "parameters",
    "parse_plan",
    "refine",
    "simulate",
]

Progress = Callable[[int, int], None]


def _check_run_args(samples: Any, seed: Any, chunk_size: Any, workers: Any) -> None:
    def whole(x: Any) -> bool:
        return isinstance(x, int) and not isinstance(x, bool)

    if not whole(samples) or not 1 <= samples <= MAX_SAMPLES:
        raise ArgumentError("samples", f"must be a whole number in 1..{MAX_SAMPLES}, got {samples!r}")
    if not whole(seed) or not 0 <= seed < 2**63:
        raise ArgumentError("seed", f"must be a non-negative whole number below 2**63, got {seed!r}")
    if not whole(chunk_size) or chunk_size <= 0 or chunk_size % BLOCK:
        raise ArgumentError("chunk_size", f"must be a positive multiple of {BLOCK}, got {chunk_size!r}")
    if not whole(workers) or not 1 <= workers <= MAX_WORKERS:
        raise ArgumentError("workers", f"must be a whole number in 1..{MAX_WORKERS}, got {workers!r}")


def check_jit(jit: Any) -> None:
    """Refuse a non-boolean `jit`, or jit=True without JAX (naming the extra).

    Parameters
    ----------
    jit : bool
        What a caller asked for: simulate with the JAX-compiled engine or not.

    Returns
    -------
    None
        Returns only when `jit` can be honoured.

    Raises
    ------
    ArgumentError
        `jit` is not a bool, or it is True and JAX is not installed (naming the `jit` extra).

    Examples
    --------
    >>> check_jit(False)
    """
    if not isinstance(jit, bool):
        raise ArgumentError("jit", f"must be True or False, got {jit!r}")
    if jit:
        from crunchtime.engine import jit as compiled

        if not compiled.available():
            raise ArgumentError("jit", f"needs JAX, which is not installed: {compiled.INSTALL}")


def compare(
    scenario: Scenario | str | Path,
    plans: Sequence[Plan | str | Path],
    samples: int = 2000,
    seed: int = 0,
    chunk_size: int = DEFAULT_CHUNK,
    workers: int = 1,
    progress: Progress | None = None,
    design: Mapping[str, Any] | None = None,
    backend: str = "local",
    address: str | None = None,
    jit: bool = False,
    pool: WorkerPool | None = None,
) -> ComparisonResult:
    """Simulate several plans on identical sampled worlds and shocks (common random numbers).

    Parameters
    ----------
    scenario : Scenario, str or Path
        Beliefs: a Scenario, a built-in scenario name or a YAML file.
    plans : sequence of Plan, str or Path
        Plans or plan names/files; their names must be distinct.
    samples : int
        Trajectories per plan, 1..MAX_SAMPLES.
    seed : int
        Random seed; the same inputs and seed give identical results.
    chunk_size : int
        Trajectories per work unit (a multiple of BLOCK); results do not depend on it.
    workers : int
        Processes; results do not depend on it.
    progress : callable(done, total), optional
        Called after each chunk.
    design : mapping of parameter name to array, optional
        Given belief values, one per trajectory (`samples` long), in place of the scenario's draws of those
        parameters: world parameters by name, actor fields as `ACTOR.FIELD` (see `parameters`). Trajectory
        i keeps the shocks of index i, so designs are compared on common random numbers.
    backend : {'local', 'ray'}
        Where the chunks run: 'local' (this process, or `workers` processes) or 'ray' (one Ray task per
        chunk; needs `pip install "crunchtime[ray]"`, see docs/scale.md). Results do not depend on it.
    address : str, optional
        With backend 'ray': the cluster, "auto" (the one `ray start --head` started on this machine) or
        "HOST:PORT"; None joins $RAY_ADDRESS or the cluster this process already joined, else starts Ray here.
    jit : bool
        Simulate with the engine compiled by JAX/XLA (`crunchtime.engine.jit`; needs `pip install "crunchtime[jit]"`)
        instead of numpy: the same model functions, faster on a GPU or for repeated calls of the same plans
        (the first call for new plan rules compiles, seconds). Values agree with numpy's to about 1e-12, not
        bit for bit (docs/performance.md).
    pool : WorkerPool, optional
        Run the chunks on this pool's warm worker processes (`worker_pool`), cut as the pool shares them out
        (in place of `chunk_size`, `workers`, `backend`); the same numbers as one process.

    Returns
    -------
    ComparisonResult
        One SimulationResult per plan; `differences()` pairs them trajectory by trajectory.

    Examples
    --------
    >>> cmp = compare("default", ["clymer", "stop-now"], samples=256)
    >>> cmp.plans
    ['clymer', 'stop-now']
    """
    _check_run_args(samples, seed, chunk_size, workers)
    check_backend(backend, address)
    check_jit(jit)
    sc = scenario if isinstance(scenario, Scenario) else load_scenario(scenario)
    if isinstance(plans, (str, Path, Plan)) or not plans:
        raise ArgumentError("plans", "give a non-empty list of plans")
    plan_objs = [load_plan(p) for p in plans]
    names = [p.name for p in plan_objs]
    if len(set(names)) != len(names):
        dup = next(n for n in names if names.count(n) > 1)
        raise ArgumentError("plans", f"plan names must be distinct ({dup!r} appears twice)")
    grid = _design.validate(sc, design, samples)
    return _run(sc, plan_objs, samples, seed, chunk_size, workers, progress, grid, backend, address, jit, pool=pool)


def _run(
    sc: Scenario,
    plan_objs: list[Plan],
    samples: int,
    seed: int,
    chunk_size: int,
    workers: int,
    progress: Progress | None,
    grid: Any,
    backend: str,
    address: str | None,
    jit: bool,
    before: list | None = None,
    pool: WorkerPool | None = None,
) -> ComparisonResult:
    """Simulate trajectories [len(before's worlds), samples) and assemble them after `before`'s chunk outputs."""
    before = before or []
    start = sum(c[0].outcome.size for c in before)
    started, t0 = datetime.now(UTC), time.perf_counter()
    chunks = before + run_chunks(
        sc,
        plan_objs,
        samples,
        seed,
        chunk_size,
        workers,
        progress,
        design=grid,
        backend=backend,
        address=address,
        jit=jit,
        start=start,
        pool=pool,
    )
    wall = time.perf_counter() - t0
    results = {}
    for i, plan in enumerate(plan_objs):
        res = assemble(sc, plan.name, seed, [c[i] for c in chunks])
        res.extra.update(plan_source_text=plan.source_text, started_at=started, wall_time_s=wall)
        results[plan.name] = res
    return ComparisonResult(results, _run=(sc, plan_objs, seed, grid, chunks))


def refine(
    first: ComparisonResult,
    samples: int,
    design: Mapping[str, Any] | None = None,
    chunk_size: int = DEFAULT_CHUNK,
    workers: int = 1,
    jit: bool = False,
    pool: WorkerPool | None = None,
) -> ComparisonResult:
    """Add worlds to a comparison: the same comparison at `samples` trajectories, simulating only the new ones.

    The answer is `compare(..., samples=samples)` with the first comparison's scenario, plans and seed:
    every per-world array and the summary exactly (trajectories are indexed and the engine is
    chunk-invariant), the per-month means (`series_mean`, `risk`) to float rounding (~1e-15 relative, as
    between any two chunk sizes); its first `first`-many trajectories are `first`'s. The arcade answers a move from 256 worlds, then refines it with this.

    Parameters
    ----------
    first : ComparisonResult
        What `compare` (or `refine`) returned; its sample count must be a multiple of BLOCK (256).
    samples : int
        Trajectories per plan in the answer; more than `first` has.
    design : mapping, optional
        The design at `samples` rows (as for `compare`); its first rows must equal `first`'s design.
    chunk_size, workers, jit, pool
        As for `compare`; they never change a number.

    Returns
    -------
    ComparisonResult
        The comparison at `samples` trajectories.

    Raises
    ------
    ArgumentError
        When `first` did not come from `compare`, `samples` is not larger, or the design differs on the
        first trajectories.

    Examples
    --------
    >>> full = refine(compare("default", ["stop-now", "clymer"], samples=256), 1024)  # doctest: +SKIP
    """
    if not isinstance(first, ComparisonResult) or first._run is None:
        raise ArgumentError("first", "must be a comparison returned by compare() or refine()")
    sc, plan_objs, seed, old_grid, chunks = first._run
    have = sum(c[0].outcome.size for c in chunks)
    _check_run_args(samples, seed, chunk_size, workers)
    check_jit(jit)
    if samples <= have or have % BLOCK:
        raise ArgumentError("samples", f"must exceed the first comparison's {have} (a multiple of {BLOCK})")
    grid = _design.validate(sc, design, samples)
    same = (old_grid is None and grid is None) or (
        old_grid is not None
        and grid is not None
        and set(old_grid) == set(grid)
        and all(np.array_equal(np.asarray(grid[k])[:have], np.asarray(old_grid[k])) for k in grid)
    )
    if not same:
        raise ArgumentError("design", f"must equal the first comparison's design on its first {have} trajectories")
    return _run(sc, plan_objs, samples, seed, chunk_size, workers, None, grid, "local", None, jit, chunks, pool)


def simulate(
    scenario: Scenario | str | Path,
    plan: Plan | str | Path,
    samples: int = 2000,
    seed: int = 0,
    chunk_size: int = DEFAULT_CHUNK,
    workers: int = 1,
    progress: Progress | None = None,
    design: Mapping[str, Any] | None = None,
    backend: str = "local",
    address: str | None = None,
    jit: bool = False,
) -> SimulationResult:
    """Run one plan on a scenario: outcome probabilities with standard errors, milestones, risk, quantiles.

    Parameters
    ----------
    scenario : Scenario, str or Path
        Beliefs: a Scenario, a built-in scenario name or a YAML file.
    plan : Plan, str or Path
        A Plan, a built-in plan name or a plan YAML file.
    samples, seed, chunk_size, workers, progress, design, backend, address, jit
        As for `compare`.

    Returns
    -------
    SimulationResult
        `summary()` is the JSON of `crunchtime run --json`; `to_pandas()` gives its tables.

    Examples
    --------
    >>> res = simulate("default", "clymer", samples=256, seed=1)
    >>> sorted(res.summary()["outcomes"])[:2]
    ['catastrophe', 'coordinated_pause']
    """
    if isinstance(plan, (list, tuple)):
        raise ArgumentError("plan", "give one plan (use compare for several)")
    return next(
        iter(
            compare(
                scenario, [plan], samples, seed, chunk_size, workers, progress, design, backend, address, jit
            ).results.values()
        )
    )


def jit_device() -> str:
    """Where `jit=True` runs its compiled programs: JAX's default device.

    Parameters
    ----------
    None

    Returns
    -------
    str
        The device, e.g. 'cpu:0' or 'cuda:0'.

    Raises
    ------
    ArgumentError
        When JAX is not installed (naming the `jit` extra).

    Examples
    --------
    >>> jit_device()  # doctest: +SKIP
    'cpu:0'
    """
    check_jit(True)
    from crunchtime.engine import jit as compiled

    return compiled.device()


def jit_on_cpu() -> bool:
    """Whether `jit=True` runs on a CPU (then a pool of jit workers pays; on a GPU one process uses it).

    Parameters
    ----------
    None

    Returns
    -------
    bool
        True when JAX's default device is a CPU.

    Raises
    ------
    ArgumentError
        When JAX is not installed (naming the `jit` extra).

    Examples
    --------
    >>> jit_on_cpu()  # doctest: +SKIP
    True
    """
    check_jit(True)
    from crunchtime.engine import jit as compiled

    return compiled.on_cpu()


def jit_ready(
    scenario: str | Path | Scenario,
    plans: Sequence[str | Path | Plan],
    samples: int,
    chunk_size: int = DEFAULT_CHUNK,
    pool: WorkerPool | None = None,
) -> bool:
    """Whether `compare(scenario, plans, samples, jit=True)` would run without compiling first.

    The compiled programs are cached per plan structures and chunk shapes (`crunchtime.engine.jit`); the
    first run of a new pair of plan structures, or of a new sample count, compiles (seconds). Parameter
    values never recompile. Needs no JAX (without it nothing is compiled: False).

    Parameters
    ----------
    scenario : str, Path or Scenario
        The scenario, as for `compare`.
    plans : sequence of str, Path or Plan
        The plans, in the order `compare` would get them.
    samples : int
        Trajectories per plan.
    chunk_size : int
        As for `compare`.
    pool : WorkerPool, optional
        Ask about `compare(..., jit=True, pool=pool)` instead: whether every worker of the pool has compiled
        every plan's program for every block shape of the run (the pool's unit under the jit is one block of
        one plan: one shape, except a short last block and the blocks where kept series stop).

    Returns
    -------
    bool
        True when every chunk's program has already run in this process (or in each of the pool's workers).

    Raises
    ------
    ArgumentError
        On a bad `samples` or `chunk_size`, or a plan or scenario that does not load.

    Examples
    --------
    >>> jit_ready("default", ["stop-now", "clymer"], 256)  # doctest: +SKIP
    False
    """
    _check_run_args(samples, 0, chunk_size, 1)
    from crunchtime.engine import jit as compiled

    sc = scenario if isinstance(scenario, Scenario) else load_scenario(scenario)
    plan_objs = [load_plan(p) for p in plans]
    if pool is not None:
        return pool_compiled(pool, sc, plan_objs, samples)
    return all(compiled.compiled(sc, plan_objs, start, n) for start, n in chunk_bounds(samples, chunk_size))
