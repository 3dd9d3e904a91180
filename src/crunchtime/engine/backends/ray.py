"""The Ray backend: one Ray task per seeded chunk, on a Ray cluster (or a Ray started on this machine).

What travels:
- once per run, `ray.put` puts the job in the object store: the validated Scenario object (pickled, as the
  local process pool sends it: a scenario's source text with `extends:` is a chain of files, not one
  document), the plans as their validated YAML text and params (each worker process rebuilds them once
  per run, as local workers do), the seed, the quantile cap and crunchtime's version. Each node fetches it
  once, whatever the number of chunks.
- per chunk: (start, n) and just that chunk's rows of the design (if any), so a design of a million rows
  is never copied to every node.
- back: the chunk's `ChunkOutput`s (one per plan), gathered in chunk order whatever the order in which they
  finish, so the result is bit-identical to the local backend for any number of nodes or workers.

A worker that dies is retried by Ray (`MAX_RETRIES`); since a chunk is a pure function of (job, start, n),
the retry returns the same bytes. Ctrl-C cancels every task not yet returned (`ray.cancel`) and re-raises.
Needs the extra: pip install "crunchtime[ray]"; every node runs the same crunchtime version (checked).
"""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from crunchtime._version import __version__
from crunchtime.engine.backends import RAY_INSTALL, Chunk, Job, Progress, chunk_function
from crunchtime.engine.backends.local import frozen, run_payload
from crunchtime.errors import ArgumentError, CrunchtimeError

if TYPE_CHECKING:
    from crunchtime.engine.monthly import ChunkOutput

#: Ray's own default for tasks, stated: a chunk whose worker (or node) dies is run again up to 3 times.
#: A chunk is deterministic, so a retry only costs time; 3 rides out a preempted node or two.
MAX_RETRIES = 3
#: a chunk is single-threaded numpy work: one CPU each, so Ray runs as many at once as the cluster has CPUs
CPUS_PER_TASK = 1
#: a HOST:PORT that does not answer within this is refused at once (Ray itself keeps retrying for minutes)
PROBE_TIMEOUT_S = 10.0
TASK_NAME = "crunchtime_chunk"  # the worker's process title while it runs a chunk is ray::crunchtime_chunk

_TASK: Any = None  # in the driver: `run_chunk` as a Ray remote function, made once per process


def _ray() -> Any:
    """The ray module, or an ArgumentError saying how to install it."""
    try:
        import ray
    except ImportError:
        raise ArgumentError("backend", f"'ray' needs Ray, which is not installed: {RAY_INSTALL}") from None
    return ray


def connect(address: str | None = None) -> Any:
    """Join the Ray cluster at `address` (None: $RAY_ADDRESS, else a new Ray on this machine), once per process.

    A process already joined to a cluster (e.g. by `ray.init` in a notebook) keeps it.
    """
    ray = _ray()
    if ray.is_initialized():
        return ray
    quiet = {"logging_level": logging.WARNING}
    if address not in (None, "auto"):
        _probe(address)
    try:
        if address is None and not os.environ.get("RAY_ADDRESS"):
            ray.init(include_dashboard=False, **quiet)  # a Ray on this machine, using all its CPUs
        else:
            ray.init(address=address, **quiet)
    except (ConnectionError, TimeoutError, RuntimeError, ValueError) as exc:
        where = address or os.environ.get("RAY_ADDRESS") or "this machine"
        raise ArgumentError("address", f"cannot join a Ray cluster at {where}: {' '.join(str(exc).split())}") from None
    return ray


def _probe(address: str) -> None:
    """Refuse, in seconds, a HOST:PORT where nothing listens."""
    host, _, port = address.removeprefix("ray://").rpartition(":")
    try:
        socket.create_connection((host.strip("[]"), int(port)), timeout=PROBE_TIMEOUT_S).close()
    except OSError as exc:
        raise ArgumentError(
            "address",
            f"no Ray cluster answers at {address} ({exc.strerror or exc}); start one "
            "with `ray start --head` or check the address",
        ) from None


def run_chunk(job: dict[str, Any], start: int, n: int, design_rows: dict[str, np.ndarray] | None) -> list[ChunkOutput]:
    """One Ray task: trajectories [start, start+n) under every plan of `job` (what `RayBackend.run` put)."""
    if job["version"] != __version__:
        raise CrunchtimeError(
            f"this Ray worker runs crunchtime {__version__} but the run was started with "
            f"{job['version']}: install the same version on every node"
        )
    return run_payload(job["simulate"], job, start, n, design_rows)


class RayBackend:
    """Chunks as Ray tasks on the cluster at `address` (see `connect`)."""

    def __init__(self, address: str | None = None):
        self.address = address
        _ray()  # fail now, with the install line, if the extra is missing

    def run(self, job: Job, chunks: Sequence[Chunk], progress: Progress | None = None) -> list[list[ChunkOutput]]:
        """Simulate every chunk as a Ray task; outputs in chunk order, `progress` as each task returns."""
        ray = connect(self.address)
        specs = tuple(frozen(p) for p in job.plans)
        job_ref = ray.put(
            {
                "scenario": job.scenario,
                "plans": specs,
                "seed": job.seed,
                "quantile_cap": job.quantile_cap,
                "fast": job.fast,
                "jit": job.jit,
                "simulate": chunk_function(job),
                "version": __version__,
            }
        )
        refs = [_task(ray).remote(job_ref, start, n, _rows(job.design, start, n)) for start, n in chunks]
        slot = {ref: i for i, ref in enumerate(refs)}
        out: list[Any] = [None] * len(refs)
        pending = list(refs)
        try:
            while pending:
                ready, pending = ray.wait(pending, num_returns=1)
                for ref in ready:
                    out[slot[ref]] = ray.get(ref)
                if progress:
                    progress(len(refs) - len(pending), len(refs))
        except BaseException:  # Ctrl-C (KeyboardInterrupt) or a failed chunk: stop the rest of the run
            for ref in pending:
                ray.cancel(ref, force=True)
            raise
        return out


def _task(ray: Any) -> Any:
    """`run_chunk` as a Ray task, defined once per process (analyses call compare many times)."""
    global _TASK
    if _TASK is None:
        _TASK = ray.remote(num_cpus=CPUS_PER_TASK, max_retries=MAX_RETRIES)(run_chunk).options(name=TASK_NAME)
    return _TASK


def _rows(design: Any, start: int, n: int) -> dict[str, np.ndarray] | None:
    """This chunk's rows of the design (a contiguous copy, so only they are sent)."""
    if not design:
        return None
    return {k: np.ascontiguousarray(v[start : start + n]) for k, v in design.items()}
