"""The local backend: chunks in this process, or in a pool of worker processes on this machine.

With one worker (or one chunk) the chunks run here, in order. Otherwise a spawned process pool runs them;
each worker rebuilds the plans once from their validated YAML text (`portable`), so plans cross the process
boundary as data, and results come back in chunk order.
"""

from __future__ import annotations

import functools
import multiprocessing as mp
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import TYPE_CHECKING, Any

from crunchtime.engine.backends import Chunk, Job, Progress, chunk_function
from crunchtime.model.design import Design
from crunchtime.model.scenario import Scenario

if TYPE_CHECKING:
    from crunchtime.engine.monthly import ChunkOutput

_JOB: tuple | None = None  # each worker process's job, set once by its initializer

PlanSpec = tuple[str, str, dict[str, float]]
#: plan sets a worker keeps rebuilt (a pool's worker serves many runs; a Ray worker one run's chunks)
PLAN_CACHE = 16


def portable(plan: Any) -> PlanSpec:
    """A plan as data (its YAML text, source label and params), so a fresh process can rebuild it."""
    return plan.source_text, str(plan.source), dict(getattr(plan, "params", {}))


def rebuild(specs: Sequence[PlanSpec]) -> list:
    """The plans `portable` described, parsed and validated again."""
    from crunchtime.model.plans import parse_plan

    plans = []
    for text, source, params in specs:
        plan = parse_plan(text, source=source)
        plans.append(plan.with_params(**params) if params else plan)
    return plans


def frozen(plan: Any) -> tuple:
    """`portable(plan)` with its params as a sorted tuple: hashable, so workers can key their plans by it."""
    text, source, params = portable(plan)
    return text, source, tuple(sorted(params.items()))


@functools.lru_cache(maxsize=PLAN_CACHE)
def rebuilt(specs: tuple) -> list:
    """In a worker: the plans of `frozen` specs, rebuilt once and kept for the next chunks (bounded)."""
    return rebuild([(text, source, dict(params)) for text, source, params in specs])


def run_payload(
    simulate: Callable[..., list[ChunkOutput]], job: dict[str, Any], start: int, n: int, design_rows: Any
) -> list[ChunkOutput]:
    """In a worker (of the pool or Ray): trajectories [start, start+n) of a job sent as data (scenario, frozen
    plans, seed, quantile_cap, fast, jit); its design rows start at `start`."""
    return simulate(
        job["scenario"],
        rebuilt(job["plans"]),
        job["seed"],
        start,
        n,
        job["quantile_cap"],
        design_rows,
        job["fast"],
        design_offset=start,
        jit=job["jit"],
    )


def _exit_with_parent() -> None:
    """In a worker: exit as soon as the parent process dies (even by kill -9), instead of lingering."""
    import threading

    parent = mp.parent_process()
    if parent is None:  # pragma: no cover - not a multiprocessing child
        return

    def watch() -> None:
        parent.join()  # returns when the parent's end of the sentinel pipe closes: the parent is gone
        os._exit(1)

    threading.Thread(target=watch, name="crunchtime-parent-watch", daemon=True).start()


def _init_worker(
    simulate: Callable[..., list[ChunkOutput]],
    scenario: Scenario,
    plan_specs: list,
    seed: int,
    cap: int,
    design: Design | None,
    jit: bool = False,
) -> None:
    _exit_with_parent()
    global _JOB
    _JOB = (simulate, scenario, rebuild(plan_specs), seed, cap, design, jit)


def _work(chunk: Chunk) -> list[ChunkOutput]:
    simulate, scenario, plans, seed, cap, design, jit = _JOB  # type: ignore[misc]
    return simulate(scenario, plans, seed, chunk[0], chunk[1], cap, design, jit=jit)


class LocalBackend:
    """Chunks on this machine: in this process (workers=1) or in `workers` spawned processes."""

    def __init__(self, workers: int = 1):
        self.workers = workers

    def run(self, job: Job, chunks: Sequence[Chunk], progress: Progress | None = None) -> list[list[ChunkOutput]]:
        """Simulate every chunk; outputs in chunk order."""
        out: list[list[ChunkOutput]] = []
        if self.workers <= 1 or len(chunks) == 1:
            for i, (start, n) in enumerate(chunks):
                out.append(
                    chunk_function(job)(
                        job.scenario, job.plans, job.seed, start, n, job.quantile_cap, job.design, job.fast, jit=job.jit
                    )
                )
                if progress:
                    progress(i + 1, len(chunks))
            return out
        # spawn, not fork: the parent may hold threads (pyarrow, duckdb) that a forked child would inherit broken
        ctx = mp.get_context("spawn")
        specs = [portable(p) for p in job.plans]
        with ProcessPoolExecutor(
            max_workers=min(self.workers, os.cpu_count() or 1, len(chunks)),
            mp_context=ctx,
            initializer=_init_worker,
            initargs=(chunk_function(job), job.scenario, specs, job.seed, job.quantile_cap, job.design, job.jit),
        ) as ex:
            for i, res in enumerate(ex.map(_work, chunks)):
                out.append(res)
                if progress:
                    progress(i + 1, len(chunks))
        return out
