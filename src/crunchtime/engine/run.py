"""A run: the chunks of a run, cut in whole random blocks, handed to a backend with the chunk function.

Chunks (work units) are whole numbers of blocks, so results are bit-identical whatever the chunk size
or number of processes. All plans in one call replay the same blocks: common random numbers.
Where the chunks run (this process, local processes, a Ray cluster) is a backend: `crunchtime.engine.backends`;
the backend is given `simulate_chunk` and never imports the engine back.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from crunchtime.engine.backends import Job, get_backend
from crunchtime.engine.chunk import simulate_chunk
from crunchtime.engine.monthly import ChunkOutput
from crunchtime.engine.sizes import BLOCK, DEFAULT_CHUNK, QUANTILE_CAP
from crunchtime.model.design import Design
from crunchtime.model.scenario import Scenario

if TYPE_CHECKING:
    from crunchtime.engine.backends.pool import WorkerPool


def chunk_bounds(samples: int, chunk_size: int = DEFAULT_CHUNK) -> list[tuple[int, int]]:
    """The work units (start, n) of a run: whole blocks of `chunk_size` trajectories, the last one shorter."""
    if chunk_size % BLOCK:
        raise ValueError(f"chunk_size must be a multiple of {BLOCK}")
    return [(s, min(chunk_size, samples - s)) for s in range(0, samples, chunk_size)]


def run_chunks(
    scenario: Scenario,
    plans: Sequence,
    samples: int,
    seed: int,
    chunk_size: int = DEFAULT_CHUNK,
    workers: int = 1,
    progress: Callable[[int, int], None] | None = None,
    quantile_cap: int = QUANTILE_CAP,
    design: Design | None = None,
    fast: bool | None = None,
    backend: str = "local",
    address: str | None = None,
    jit: bool = False,
    start: int = 0,
    pool: WorkerPool | None = None,
) -> list[list[ChunkOutput]]:
    """Simulate all chunks (in order) for every plan; returns per-chunk outputs, one list per chunk.

    `start` (a multiple of BLOCK) skips trajectories [0, start): only [start, samples) are simulated, with
    the same numbers they have in a full run (trajectories are indexed; the engine is chunk-invariant).

    `design` (validated, full-length arrays by parameter name) replaces sampled beliefs trajectory by trajectory.
    `backend` ('local' or 'ray', see `crunchtime.engine.backends`) says where the chunks run; `workers` is the number
    of local processes, `address` the Ray cluster. Neither changes any result. `jit` simulates each chunk
    with the JAX-compiled engine (`crunchtime.engine.jit`). `pool` (a running `WorkerPool`) runs the chunks on
    its warm workers instead, cut by the pool (`WorkerPool.split`) in place of `chunk_size`, `workers`, `backend`.
    """
    if start % BLOCK or not 0 <= start < samples:
        raise ValueError(f"start must be a multiple of {BLOCK} below samples")
    job = Job(scenario, tuple(plans), seed, quantile_cap, design, fast, jit, simulate_chunk)
    if pool is not None:
        chunks = pool.split(start, samples, len(plans), per_block=jit)
        if jit:  # every worker compiles the programs it lacks now, at once, so no unit waits on a compile
            shapes = _shapes_of(chunks, quantile_cap)
            pool.prepare(
                _programs(scenario, plans, shapes, quantile_cap),
                jit_programs_kept(),
                compile_programs,
                scenario,
                _specs(plans),
                shapes,
                seed,
                quantile_cap,
                what="compiling the plans",
            )
        return pool.run(job, chunks, progress)
    chunks = [(start + s, n) for s, n in chunk_bounds(samples - start, chunk_size)]
    return get_backend(backend, address, workers).run(job, chunks, progress)


def start_pool(workers: int, warm: tuple | None = None, jit: bool = False) -> WorkerPool:
    """A `WorkerPool` of `workers` processes; `warm` = (scenario, plans, seed, n) is simulated once in each
    worker as it starts (imports, code paths, its input cache), or with `jit` its plans' programs compiled."""
    from crunchtime.engine.backends.pool import WorkerPool

    if warm is None:
        return WorkerPool(workers)
    scenario, plans, seed, n = warm
    ready = frozenset(_programs(scenario, plans, [(0, BLOCK)], QUANTILE_CAP)) if jit else frozenset()
    return WorkerPool(workers, (_warm_worker, scenario, _specs(plans), seed, n, jit), ready)


def pool_compiled(
    pool: WorkerPool, scenario: Scenario, plans: Sequence, samples: int, quantile_cap: int = QUANTILE_CAP
) -> bool:
    """Whether a jit run of these plans and `samples` on `pool` would start without compiling: its workers
    have warmed up and hold the program of every plan for every block shape of the run. Asks no worker."""
    shapes = _shapes_of(pool.split(0, samples, len(plans), per_block=True), quantile_cap)
    return pool.wait_ready(0) and _programs(scenario, plans, shapes, quantile_cap) <= pool.prepared.keys()


def _shapes_of(chunks: Sequence[tuple[int, int]], quantile_cap: int) -> list[tuple[int, int]]:
    """One (start, n) chunk per distinct compiled shape among `chunks` (blocks differ only at the end, and
    where the series kept for quantiles stop)."""
    from crunchtime.engine import jit

    seen: dict = {}
    for start, n in chunks:
        seen.setdefault(jit.chunk_shape(start, n, quantile_cap), (start, n))
    return list(seen.values())


def _programs(scenario: Scenario, plans: Sequence, shapes: Sequence[tuple[int, int]], quantile_cap: int) -> set:
    """The keys of the compiled programs a jit run on a pool uses: one per plan and block shape."""
    from crunchtime.engine import jit

    return {jit.program_key(scenario, [plan], start, n, quantile_cap) for plan in plans for start, n in shapes}


def jit_programs_kept() -> int:
    """How many compiled programs a process keeps (`engine.jit.MAX_PROGRAMS`), without importing the jit first."""
    from crunchtime.engine import jit

    return jit.MAX_PROGRAMS


def _specs(plans: Sequence) -> tuple:
    from crunchtime.engine.backends.local import frozen

    return tuple(frozen(p) for p in plans)


def compile_programs(
    scenario: Scenario, specs: tuple, shapes: Sequence[tuple[int, int]], seed: int, quantile_cap: int
) -> int:
    """In a pool worker: compile (by running it once) each plan's program for each chunk shape in `shapes`
    that has not run here; returns how many were compiled. Other chunks of those shapes reuse them."""
    from crunchtime.engine import jit
    from crunchtime.engine.backends.local import rebuilt

    todo = [(p, s, n) for p in rebuilt(specs) for s, n in shapes if not jit.compiled(scenario, [p], s, n, quantile_cap)]
    for plan, start, n in todo:
        jit.simulate_chunk(scenario, [plan], seed, start, n, quantile_cap)
    return len(todo)


def _warm_worker(scenario: Scenario, specs: tuple, seed: int, n: int, jit: bool) -> None:
    """In a new pool worker: simulate the opening comparison once (imports, code paths, the input cache), or
    under the jit compile its plans' one-block programs."""
    from crunchtime.engine.backends.local import rebuilt

    if jit:
        compile_programs(scenario, specs, [(0, BLOCK)], seed, QUANTILE_CAP)
    else:
        simulate_chunk(scenario, rebuilt(specs), seed, 0, n)
