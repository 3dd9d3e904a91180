"""A pool of warm worker processes kept for many runs: the arcade's `crunchtime serve --workers N`.

`LocalBackend` starts a process pool for one run and stops it after; a server answering slider moves
cannot pay that start (imports, the first simulation) on every move. `WorkerPool` starts `workers` spawned
processes once, warms each (imports, optionally one small simulation, which also fills its input cache),
and runs the chunks of many runs on them. It is a backend (`run(job, chunks, progress)`), handed to
`run_chunks` in place of a backend name.

- **Work units.** A run's worlds are cut into whole random blocks (`split`); when there are fewer chunks than
  workers, the plans of a chunk are split over workers too (each plan simulated alone gives the same bits
  as the plans batched, see `engine.chunk`). Outputs come back in chunk order, plans in order, so the
  result is the one a single process computes on the same chunks.
- **A worker that dies** (killed, out of memory) breaks the executor: every chunk not yet returned fails
  with `BrokenProcessPool` at once (the executor watches its processes), the pool starts fresh workers and
  reruns just those chunks, up to `MAX_RESTARTS` times a run. Nothing waits on a dead process.
- **Under the jit** (`Job.jit`) every unit is one block of one plan, so each worker compiles one program
  per plan structure and block shape (full blocks share one), and `broadcast` runs a
  function once in every worker (the engine compiles a move's new plan structures in all workers at once,
  before their units, so no later move stalls on a worker that has not compiled).
- **A worker that hangs** (a unit returns nothing for `stall_s` seconds, default `STALL_S`) is treated as
  dead: the pool kills its workers, which breaks the executor, and goes on as above.
- **Cancellation.** `cancel()` makes the runs in progress raise `RunCancelled`: their queued chunks are
  dropped; a chunk already running in a worker finishes and is discarded (no cancellation point inside a
  chunk). The web app cancels an older move of the same client this way.

Built on `concurrent.futures.ProcessPoolExecutor` (standard library), no IPC of its own.
"""

from __future__ import annotations

import math
import multiprocessing as mp
import os
import threading
import time
from collections import Counter
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, BrokenExecutor, CancelledError, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from threading import BrokenBarrierError
from typing import TYPE_CHECKING, Any

from crunchtime.engine.backends import Chunk, Job, Progress, chunk_function
from crunchtime.engine.backends.local import _exit_with_parent, frozen, run_payload
from crunchtime.engine.sizes import BLOCK, DEFAULT_CHUNK, MAX_WORKERS
from crunchtime.errors import CrunchtimeError

if TYPE_CHECKING:
    from crunchtime.engine.monthly import ChunkOutput

#: the default worker count's cap: beyond it a slider move (1,024 worlds = 4 blocks x 2 plans) has no more
#: work units to share out, and each worker holds its own copy of the model and caches (~150 MB)
DEFAULT_MAX_WORKERS = 8
#: times one run restarts a broken pool (a worker died) before it fails; a chunk that kills its worker every
#: time is then an error, not a loop
MAX_RESTARTS = 2
#: seconds between checks for a cancelled run while its chunks compute (a finished chunk wakes it at once)
POLL_S = 0.02
#: seconds a run waits with no unit returning before it takes its workers for hung and replaces them (a unit
#: takes under a second to a few; a first compile under the jit tens)
STALL_S = 300.0
#: seconds a broadcast waits for every worker to finish its call (a first compile of a few plans takes tens)
BROADCAST_TIMEOUT_S = 600.0
#: seconds (at most; no more than the timeout) the parent waits past it for the answers before it takes a worker for hung
BARRIER_GRACE_S = 30.0

_BARRIER: Any = None  # each worker's handle on its pool's barrier (broadcast puts one call on every worker)

#: a unit of work: (chunk index, (start, n), indices of the plans it simulates)
Unit = tuple[int, Chunk, tuple[int, ...]]


class RunCancelled(CrunchtimeError):
    """A run stopped by `WorkerPool.cancel` (a newer request superseded it) before its chunks all returned."""


def default_workers() -> int:
    """The worker count `crunchtime serve` starts by default: this process's usable cores, at most 8.

    Parameters
    ----------
    None

    Returns
    -------
    int
        Between 1 and DEFAULT_MAX_WORKERS (8).

    Examples
    --------
    >>> 1 <= default_workers() <= 8
    True
    """
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - macOS, Windows
        cores = os.cpu_count() or 1
    return max(1, min(cores, DEFAULT_MAX_WORKERS))


def split_chunks(start: int, samples: int, n_plans: int, workers: int, per_block: bool = False) -> list[Chunk]:
    """The chunks of trajectories [start, samples) for `workers`: whole blocks shared out evenly, at most
    DEFAULT_CHUNK each, about workers / n_plans of them (`work_units` splits a chunk's plans over workers).
    With `per_block` (the jit) every block is a chunk of its own.

    So a slider move's 1,024 worlds x 2 plans on 2 workers is one chunk, simulated one plan per worker.
    """
    if per_block:
        return [(at, min(BLOCK, samples - at)) for at in range(start, samples, BLOCK)]
    blocks = math.ceil((samples - start) / BLOCK)
    parts = max(min(blocks, math.ceil(workers / max(n_plans, 1))), math.ceil(blocks * BLOCK / DEFAULT_CHUNK))
    size, extra = divmod(blocks, parts)
    chunks, at = [], start
    for i in range(parts):
        n = min((size + (i < extra)) * BLOCK, samples - at)
        chunks.append((at, n))
        at += n
    return chunks


def work_units(chunks: Sequence[Chunk], n_plans: int, workers: int, single_plans: bool = False) -> list[Unit]:
    """The units of work: each chunk whole, or its plans split over workers when chunks are fewer than workers
    (always, one plan a unit, with `single_plans`).

    Each plan simulated alone gives the bits it gets batched with the others (`engine.chunk`), so a split
    changes no number.
    """
    groups = n_plans if single_plans else max(1, min(n_plans, workers // max(len(chunks), 1)))
    plan_groups = [tuple(range(n_plans))[g::groups] for g in range(groups)]
    return [(i, c, g) for i, c in enumerate(chunks) for g in plan_groups]


def _init_worker(warm: tuple | None, barrier: Any) -> None:
    """In each new worker: exit with the parent, keep the pool's barrier, run the warm-up call if given.

    `warm` is (function, args...): the pool's opening simulation, or the engine's compile of its plans.
    """
    global _BARRIER
    _exit_with_parent()
    _BARRIER = barrier
    if warm is not None:
        warm[0](*warm[1:])


def _ready() -> int:
    return os.getpid()


def _on_each(fn: Callable[..., Any], args: tuple, timeout: float) -> Any:
    """In a worker: `fn(*args)`, then wait until every worker has done its call (so each takes exactly one),
    whether the call returned or raised (a raise is re-raised after the barrier)."""
    try:
        return fn(*args)
    finally:
        _BARRIER.wait(timeout)


class _Run:
    """One run in progress: its futures (to cancel) and whether it was cancelled."""

    def __init__(self) -> None:
        self.cancelled = False
        self.futures: list[Future] = []


class WorkerPool:
    """`workers` warm processes on this machine that run the chunks of many runs (a backend for `run_chunks`).

    Start it once (`crunchtime.api.worker_pool` builds one with the engine's chunk function and a warm-up),
    run any number of runs on it, from any threads, and `close()` it. Results are those of one process on
    the same chunks, bit for bit.
    """

    def __init__(
        self, workers: int, warm: tuple | None = None, warm_prepares: frozenset = frozenset(), stall_s: float = STALL_S
    ) -> None:
        if not 1 <= workers <= MAX_WORKERS:
            raise ValueError(f"workers must be in 1..{MAX_WORKERS}")
        self.workers = workers
        self.stall_s = stall_s
        self.restarts = 0  # broken executors replaced so far (a worker died)
        self._warm = warm
        self._warm_prepares = warm_prepares
        #: what every worker holds ready once started (the engine's keys of compiled programs), oldest first: the
        #: warm-up's, plus what `prepare` broadcast since; a restart (fresh workers) goes back to the warm-up's
        self.prepared: dict = dict.fromkeys(warm_prepares)
        self._broadcasting = threading.RLock()  # one broadcast at a time: the barrier counts calls, not callers
        self._lock = threading.Lock()
        self._runs: set[_Run] = set()
        self._closed = False
        self._started: list[Future] = []
        self._executor = self._start()

    def _start(self) -> ProcessPoolExecutor:
        # spawn, not fork: the parent may hold threads (uvicorn, pyarrow, duckdb) a forked child inherits broken
        ctx = mp.get_context("spawn")
        ex = ProcessPoolExecutor(self.workers, ctx, _init_worker, (self._warm, ctx.Barrier(self.workers)))
        # the executor spawns a process per task submitted while none is idle: one task per worker starts them all
        self._started = [ex.submit(_ready) for _ in range(self.workers)]
        return ex

    def wait_ready(self, timeout: float | None = None) -> bool:
        """Block until every worker has started and warmed (or `timeout` seconds); True when they have (False
        when a warm-up failed)."""
        done, not_done = wait(list(self._started), timeout=timeout)
        return not not_done and all(not f.cancelled() and f.exception() is None for f in done)

    def pids(self) -> list[int]:
        """The worker processes' ids now (they change when a dead worker's pool is replaced)."""
        return sorted(self._executor._processes or {})  # CPython's executor keeps them by pid

    def split(self, start: int, samples: int, n_plans: int, per_block: bool = False) -> list[Chunk]:
        """This pool's chunks of trajectories [start, samples) (`split_chunks`; one block each with `per_block`)."""
        return split_chunks(start, samples, n_plans, self.workers, per_block)

    def broadcast(
        self, fn: Callable[..., Any], *args: Any, timeout: float = BROADCAST_TIMEOUT_S, what: str = ""
    ) -> list[Any]:
        """Call `fn(*args)` once in every worker (a module-level function, pickled by reference); their results.

        Each worker takes exactly one call: it waits at the pool's barrier after its call until every worker
        has made its own (broadcasts take turns). An exception raised by `fn` is raised here. A worker that
        dies, or a call that outlasts `timeout`, replaces the workers (killing a hung one) and tries again,
        up to `MAX_RESTARTS` times, then raises `CrunchtimeError` naming `what` (default: the function).
        """
        with self._broadcasting:
            for _attempt in range(MAX_RESTARTS + 1):
                ex = self._check_open()
                try:
                    futures = [ex.submit(_on_each, fn, args, timeout) for _ in range(self.workers)]
                    _, not_done = wait(futures, timeout=timeout + min(BARRIER_GRACE_S, timeout))
                    if not_done:  # a worker hung inside its call: the barrier never released
                        raise BrokenBarrierError
                    return [f.result() for f in futures]
                except (RuntimeError, CancelledError) as exc:  # BrokenProcessPool, BrokenBarrierError are RuntimeErrors
                    if (
                        not isinstance(exc, BrokenExecutor | BrokenBarrierError | CancelledError)
                        and ex is self._executor
                    ):
                        raise  # fn's own error (a shut-down executor's submit raises RuntimeError too: retried)
                    self._replace(ex)
        raise CrunchtimeError(
            f"worker processes failed {MAX_RESTARTS + 1} times while {what or fn.__name__} in every worker"
        )

    def prepare(self, keys: set, cap: int, fn: Callable[..., Any], *args: Any, what: str = "") -> None:
        """Make sure every worker holds `keys` (what `fn(*args)` makes ready in a worker, e.g. compiled
        programs): broadcast `fn` unless the pool already prepared them all. `prepared` keeps the `cap` keys
        used most recently (a worker keeps as many). Safe from many threads."""
        with self._broadcasting:
            ex = self._executor
            if not keys <= self.prepared.keys():
                self.broadcast(fn, *args, what=what)
                if self._executor is not ex:  # replaced during the broadcast: fresh workers hold what broadcast made
                    self.prepared = dict.fromkeys(self._warm_prepares)
            for key in keys:  # most recently used last
                self.prepared.pop(key, None)
                self.prepared[key] = None
            while len(self.prepared) > cap:
                self.prepared.pop(next(iter(self.prepared)))

    def _check_open(self) -> ProcessPoolExecutor:
        with self._lock:
            if self._closed:
                raise CrunchtimeError("the worker pool is closed")
            return self._executor

    def run(self, job: Job, chunks: Sequence[Chunk], progress: Progress | None = None) -> list[list[ChunkOutput]]:
        """Simulate every chunk on the workers; outputs in chunk order, one per plan in plan order.

        Raises `RunCancelled` when `cancel()` is called before the last chunk returns, and `CrunchtimeError`
        when workers died more than `MAX_RESTARTS` times during this run.
        """
        units = work_units(chunks, len(job.plans), self.workers, single_plans=job.jit)
        specs = [frozen(p) for p in job.plans]
        done: dict[int, list[ChunkOutput]] = {}
        run = _Run()
        with self._lock:
            if self._closed:
                raise CrunchtimeError("the worker pool is closed")
            self._runs.add(run)
        try:
            for _attempt in range(MAX_RESTARTS + 1):
                ex = self._executor
                try:
                    self._collect(ex, job, specs, units, done, run, progress, len(chunks))
                    break
                except BrokenProcessPool:
                    self._replace(ex)
            else:
                raise CrunchtimeError(f"worker processes died {MAX_RESTARTS + 1} times while running this run's chunks")
        finally:
            with self._lock:
                self._runs.discard(run)
            for f in run.futures:
                f.cancel()
        return _by_chunk(units, done, len(chunks))

    def _collect(
        self,
        ex: ProcessPoolExecutor,
        job: Job,
        specs: list[tuple],
        units: list[Unit],
        done: dict[int, list[ChunkOutput]],
        run: _Run,
        progress: Progress | None,
        n_chunks: int,
    ) -> None:
        """Submit the units not done yet to `ex` and gather their outputs into `done` as they return."""
        simulate = chunk_function(job)
        futures: dict[Future, int] = {}
        for k, (_, (start, n), group) in enumerate(units):
            if k in done:
                continue
            payload = {
                "scenario": job.scenario,
                "plans": tuple(specs[i] for i in group),
                "seed": job.seed,
                "quantile_cap": job.quantile_cap,
                "fast": job.fast,
                "jit": job.jit,
            }
            rows = None if job.design is None else {name: v[start : start + n] for name, v in job.design.items()}
            futures[ex.submit(run_payload, simulate, payload, start, n, rows)] = k
        run.futures = list(futures)
        pending = set(futures)
        last = time.monotonic()
        left = Counter(units[k][0] for k in range(len(units)) if k not in done)  # units still out, per chunk
        while pending:
            if run.cancelled:
                raise RunCancelled("cancelled: a newer request superseded this run")
            finished, pending = wait(pending, timeout=POLL_S, return_when=FIRST_COMPLETED)
            if finished or not self._alone(run):  # only a run alone on a warm pool can tell a hang from a queue
                last = time.monotonic()
            elif time.monotonic() - last > self.stall_s:  # hung: kill its workers; their futures then break
                _kill_workers(ex)
                last = time.monotonic()
            for f in finished:
                if f.cancelled():
                    continue
                outs, (_, _, group) = f.result(), units[futures[f]]
                for out, plan_index in zip(outs, group):
                    out.plan_index = plan_index
                done[futures[f]] = outs
                left[units[futures[f]][0]] -= 1
            if progress and finished:
                progress(n_chunks - sum(1 for v in left.values() if v > 0), n_chunks)
        if run.cancelled:
            raise RunCancelled("cancelled: a newer request superseded this run")
        if len(done) < len(units):  # futures dropped by a replaced executor: run them again on the new one
            raise BrokenProcessPool("chunks were dropped by a replaced worker pool")

    def _alone(self, run: _Run) -> bool:
        """Whether `run` is the only thing the workers are doing (no other run, no broadcast, warm-up done)."""
        with self._lock:
            others = len(self._runs) > 1 or run not in self._runs
        busy = not self._broadcasting.acquire(blocking=False)
        if not busy:
            self._broadcasting.release()
        return not others and not busy and self.wait_ready(0)

    def _replace(self, broken: ProcessPoolExecutor) -> None:
        """Start fresh workers in place of a broken executor (once, whichever run notices first)."""
        with self._lock:
            if self._executor is not broken or self._closed:
                return
            _kill_workers(broken)  # a hung worker would outlive a shutdown
            broken.shutdown(wait=False, cancel_futures=True)
            self._executor = self._start()
            self.prepared = dict.fromkeys(self._warm_prepares)
            self.restarts += 1

    def cancel(self) -> int:
        """Stop the runs in progress (each raises `RunCancelled`); returns how many were stopped."""
        with self._lock:
            runs = list(self._runs)
        for run in runs:
            run.cancelled = True
            for f in run.futures:
                f.cancel()
        return len(runs)

    def close(self) -> None:
        """Stop the workers (runs in progress are cancelled); the pool cannot be used after."""
        with self._lock:
            self._closed = True
        self.cancel()
        self._executor.shutdown(wait=False, cancel_futures=True)

    def __enter__(self) -> WorkerPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _kill_workers(ex: ProcessPoolExecutor) -> None:
    """Kill an executor's worker processes (the executor then fails their futures with BrokenProcessPool)."""
    for process in list((ex._processes or {}).values()):  # CPython's executor keeps them by pid
        process.kill()


def _by_chunk(units: list[Unit], done: dict[int, list[ChunkOutput]], n_chunks: int) -> list[list[ChunkOutput]]:
    """Outputs of all units, regrouped: one list per chunk, plans in order."""
    out: list[list[ChunkOutput]] = [[] for _ in range(n_chunks)]
    for k, (i, _, _) in enumerate(units):
        out[i].extend(done[k])
    for per in out:
        per.sort(key=lambda o: o.plan_index)
    return out
