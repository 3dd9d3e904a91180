"""`worker_pool`: a pool of warm worker processes that `compare(pool=...)` and `refine(pool=...)` run on."""

from __future__ import annotations

from typing import Any

from crunchtime.engine.backends.pool import WorkerPool, default_workers
from crunchtime.engine.run import start_pool
from crunchtime.engine.sizes import BLOCK, MAX_WORKERS
from crunchtime.errors import ArgumentError
from crunchtime.model.catalog import load_plan, load_scenario
from crunchtime.results.simulation import check_jit, jit_device, jit_on_cpu

#: what each worker simulates once as it starts: the arcade's opening comparison (scenario, plans, seed, worlds)
WARM_UP = ("default", ("stop-now", "clymer"), 0, BLOCK)


def worker_pool(workers: int | None = None, warm: bool = True, jit: bool = False) -> WorkerPool:
    """Start `workers` warm worker processes on this machine, to run many comparisons on.

    Each worker is a spawned process that imports the engine once and, with `warm`, simulates the arcade's
    opening comparison once (256 worlds of stop-now and clymer on `default`, seed 0), which also fills its
    cache of sampled inputs. `compare(..., pool=p)` and `refine(..., pool=p)` then split their worlds over
    the workers, with the same numbers as one process (the engine is chunk-invariant). A worker that dies
    is replaced and its chunks run again. Close the pool (`p.close()`, or use it as a context manager)
    when done.

    Parameters
    ----------
    workers : int, optional
        Processes, 1..MAX_WORKERS. Default: this process's usable cores, at most 8 (`default_workers`).
    warm : bool
        Simulate the opening comparison in each worker as it starts (about a second of CPU each).
    jit : bool
        The pool will serve `compare(..., jit=True)`: each worker's warm-up compiles the opening plans'
        programs instead (seconds each, in the background). Jit runs on a pool cut their worlds into
        one block of one plan per unit, so each worker holds one compiled program per plan structure and
        block shape; a run with a new plan structure or shape first compiles it in every worker at
        once (`jit_ready(..., pool=p)` says whether a run would). Needs the `jit` extra.

    Returns
    -------
    WorkerPool
        The running pool: `wait_ready()`, `cancel()` (runs in progress raise `RunCancelled`), `close()`.

    Raises
    ------
    ArgumentError
        When `workers` is not a whole number in 1..MAX_WORKERS.

    Examples
    --------
    >>> with worker_pool(2) as pool:  # doctest: +SKIP
    ...     cmp = compare("default", ["stop-now", "clymer"], samples=1024, pool=pool)
    """
    n = default_workers() if workers is None else workers
    if not _whole(n) or not 1 <= n <= MAX_WORKERS:
        raise ArgumentError("workers", f"must be a whole number in 1..{MAX_WORKERS}, got {workers!r}")
    if not isinstance(warm, bool):
        raise ArgumentError("warm", f"must be True or False, got {warm!r}")
    check_jit(jit)
    if jit and not jit_on_cpu():
        raise ArgumentError("jit", f"runs on {jit_device()}: one process uses it; a pool of jit workers is for a CPU")
    if not warm:
        return start_pool(n)
    scenario, plans, seed, worlds = WARM_UP
    return start_pool(n, (load_scenario(scenario), [load_plan(p) for p in plans], seed, worlds), jit)


def _whole(x: Any) -> bool:
    return isinstance(x, int) and not isinstance(x, bool)
