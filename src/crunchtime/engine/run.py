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
        keys = _block_programs(scenario, plans, quantile_cap) if jit else set()
        if not keys <= pool.prepared:  # every worker compiles the plans it lacks now, at once, so no unit waits
            pool.broadcast(compile_blocks, scenario, _specs(plans), seed, quantile_cap)
            pool.prepared |= keys
        return pool.run(job, pool.split(start, samples, len(plans), per_block=jit), progress)
    chunks = [(start + s, n) for s, n in chunk_bounds(samples - start, chunk_size)]
    return get_backend(backend, address, workers).run(job, chunks, progress)


def start_pool(workers: int, warm: tuple | None = None, jit: bool = False) -> WorkerPool:
    """A `WorkerPool` of `workers` processes; `warm` = (scenario, plans, seed, n) is simulated once in each
    worker as it starts (imports, code paths, its input cache), or with `jit` its plans' programs compiled."""
    from crunchtime.engine.backends.pool import WorkerPool

    if warm is None:
        return WorkerPool(workers)
    scenario, plans, seed, n = warm
    ready = frozenset(_block_programs(scenario, plans, QUANTILE_CAP)) if jit else frozenset()
    return WorkerPool(workers, (_warm_worker, scenario, _specs(plans), seed, n, jit), ready)


def pool_compiled(pool: WorkerPool, scenario: Scenario, plans: Sequence, quantile_cap: int = QUANTILE_CAP) -> bool:
    """Whether a jit run of these plans on `pool` would start without compiling: its workers have started
    (and run their warm-up) and each holds every plan's one-block program. Instant: asks no worker."""
    return pool.wait_ready(0) and _block_programs(scenario, plans, quantile_cap) <= pool.prepared


def _block_programs(scenario: Scenario, plans: Sequence, quantile_cap: int) -> set:
    """The keys of the compiled programs a jit run on a pool uses: one per plan, for a unit of one block."""
    from crunchtime.engine import jit

    return {jit.program_key(scenario, [plan], 0, BLOCK, quantile_cap) for plan in plans}


def _specs(plans: Sequence) -> tuple:
    from crunchtime.engine.backends.local import frozen

    return tuple(frozen(p) for p in plans)


def compile_blocks(scenario: Scenario, specs: tuple, seed: int, quantile_cap: int) -> int:
    """In a pool worker: compile (by running one block) each plan's one-block program not yet run here;
    returns how many were compiled. Other blocks of the same plan structure reuse the program."""
    from crunchtime.engine import jit
    from crunchtime.engine.backends.local import rebuilt

    missing = [p for p in rebuilt(specs) if not jit.compiled(scenario, [p], 0, BLOCK, quantile_cap)]
    for plan in missing:
        jit.simulate_chunk(scenario, [plan], seed, 0, BLOCK, quantile_cap)
    return len(missing)


def _warm_worker(scenario: Scenario, specs: tuple, seed: int, n: int, jit: bool) -> None:
    """In a new pool worker: simulate the opening comparison once (imports, code paths, the input cache), or
    under the jit compile its plans' one-block programs."""
    from crunchtime.engine.backends.local import rebuilt

    if jit:
        compile_blocks(scenario, specs, seed, QUANTILE_CAP)
    else:
        simulate_chunk(scenario, rebuilt(specs), seed, 0, n)
