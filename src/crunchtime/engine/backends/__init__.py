"""Execution backends: where the engine's seeded chunks run.

A backend takes one `Job` (the validated scenario, plans, seed, quantile cap and design) and the list of
chunks `(start, n)`, runs `engine.simulate_chunk` on each chunk somewhere and returns the outputs in chunk
order. Every chunk is a pure function of (job, start, n): its random draws come from seeded blocks
(see `crunchtime.engine`), so any backend, number of workers or retry of a lost chunk gives bit-identical
results.

- `local`: in this process, or a pool of `workers` processes on this machine (`backends.local`).
- `ray`: tasks on a Ray cluster, one per chunk (`backends.ray`; needs `pip install "crunchtime[ray]"`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np

from crunchtime.errors import ArgumentError

if TYPE_CHECKING:  # the engine imports this package and hands it the chunk function; no import back
    from crunchtime.engine.monthly import ChunkOutput
    from crunchtime.model.scenario import Scenario

BACKENDS = ("local", "ray")
RAY_INSTALL = 'pip install "crunchtime[ray]"'
#: "auto" (the cluster `ray start --head` left on this machine), HOST:PORT, or a Ray Client ray://HOST:PORT
_ADDRESS = re.compile(r"^(auto|(ray://)?[A-Za-z0-9_.\-]+:[0-9]{1,5}|(ray://)?\[[0-9A-Fa-f:.]+\]:[0-9]{1,5})$")

Chunk = tuple[int, int]  # (first trajectory, number of trajectories)
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Job:
    """Everything a chunk needs besides its (start, n): the same for every chunk of one run."""

    scenario: Scenario
    plans: Sequence[Any]
    seed: int
    quantile_cap: int
    design: Mapping[str, np.ndarray] | None  # validated, full length (one value per trajectory)
    fast: bool | None = None  # the engine's hot path (None: its default); results are the same either way
    jit: bool = False  # the JAX-compiled engine (crunchtime.engine.jit): equal to about 1e-12, not bit for bit
    #: the engine's chunk function, simulate(scenario, plans, seed, start, n, quantile_cap, design, fast, *,
    #: design_offset, jit) -> one ChunkOutput per plan; a module-level function, so it pickles by reference
    simulate: Callable[..., list[ChunkOutput]] | None = None


def chunk_function(job: Job) -> Callable[..., list[ChunkOutput]]:
    """The job's chunk function: the engine hands it over, so a backend never imports the engine back."""
    if job.simulate is None:
        raise ValueError("a Job needs the engine's chunk function (Job.simulate)")
    return job.simulate


class Backend(Protocol):
    """Runs every chunk of a job and returns their outputs in chunk order (one list per chunk, one entry per plan)."""

    def run(self, job: Job, chunks: Sequence[Chunk], progress: Progress | None = None) -> list[list[ChunkOutput]]: ...


def check_backend(backend: Any, address: Any) -> None:
    """Refuse an unknown backend or a malformed address (an ArgumentError naming the argument)."""
    if backend not in BACKENDS:
        raise ArgumentError("backend", f"must be one of {', '.join(BACKENDS)}, got {backend!r}")
    if address is None:
        return
    if backend != "ray":
        raise ArgumentError("address", "is the Ray cluster to run on; give it with backend 'ray'")
    if not isinstance(address, str) or not _ADDRESS.match(address):
        raise ArgumentError("address", f"must be auto, HOST:PORT or ray://HOST:PORT, got {address!r}")


def get_backend(backend: str = "local", address: str | None = None, workers: int = 1) -> Backend:
    """The backend named `backend` (checked), ready to run jobs.

    `workers` is the number of local processes (backend 'local'); on Ray the cluster's CPUs decide.
    `address` (backend 'ray'): None starts a Ray on this machine (or joins $RAY_ADDRESS, or the one this
    process already joined), "auto" joins the cluster started with `ray start --head`, HOST:PORT joins that one.
    """
    check_backend(backend, address)
    if backend == "ray":
        from crunchtime.engine.backends.ray import RayBackend

        return RayBackend(address)
    from crunchtime.engine.backends.local import LocalBackend

    return LocalBackend(workers)
