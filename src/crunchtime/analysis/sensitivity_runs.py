"""How the sensitivity analysis calls the simulator: seed streams, chunk sizes, outputs, progress, SALib.

Shared by the Sobol' design (:mod:`crunchtime.analysis.sensitivity`) and the switch-point sweeps
(:mod:`crunchtime.analysis.sensitivity_sweeps`).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from crunchtime.analysis.common import Progress, per_trajectory
from crunchtime.errors import InputError
from crunchtime.results import simulation as sim

#: what to run when SALib is missing
INSTALL_HINT = 'SALib is needed for sensitivity analysis: pip install "crunchtime[sensitivity]"'
#: trajectories per worker below which a compare call runs in one process: spawning a pool costs about
#: 2 s (each worker imports numpy and the model), about what one process needs for ~1000 trajectories
PARALLEL_MIN = 1024
#: salts that keep the streams of this analysis apart (SALib's scrambling, its bootstrap, the sweeps)
SALT_SAMPLE, SALT_BOOTSTRAP, SALT_SWEEP, SALT_PROBE = 1, 2, 3, 4


def salib() -> tuple[Any, Any]:
    """SALib's Sobol' sampler and analyser modules, or an InputError naming the extra to install."""
    try:
        from SALib.analyze import sobol as analyze
        from SALib.sample import sobol as sample
    except ImportError:
        raise InputError(None, None, INSTALL_HINT) from None
    return sample, analyze


def stream(seed: int, salt: int) -> int:
    """A non-zero 32-bit seed derived from the run seed (SALib ignores a seed of 0 and goes unseeded)."""
    return int(np.random.SeedSequence([seed, salt]).generate_state(1)[0]) | 1


def chunk_size(samples: int, workers: int) -> int:
    """Chunks as large as the engine likes (DEFAULT_CHUNK), but enough of them to keep every worker busy.

    A call too small to repay starting a pool of worker processes (PARALLEL_MIN per worker) is one chunk,
    which the engine runs in this process.
    """
    if workers <= 1 or samples < workers * PARALLEL_MIN:
        return sim.DEFAULT_CHUNK
    per_worker = -(-samples // workers)
    return int(min(sim.DEFAULT_CHUNK, max(sim.BLOCK, -(-per_worker // sim.BLOCK) * sim.BLOCK)))


def output(cmp: Any, plan: str, versus: str | None, metric: str) -> np.ndarray:
    """Per-trajectory output: the plan's metric, or the paired difference plan - versus."""
    y = per_trajectory(cmp.results[plan], metric)
    return y - per_trajectory(cmp.results[versus], metric) if versus else y


class Ticker:
    """Turns each compare call's chunk progress into trajectories done out of the analysis' total."""

    def __init__(self, total: int, progress: Progress | None) -> None:
        self.total, self.done, self.progress = total, 0, progress

    def __call__(self, n: int) -> Progress | None:
        if self.progress is None:
            return None
        start = self.done
        self.done += n

        def tick(done: int, chunks: int) -> None:
            self.progress(start + round(n * done / chunks), self.total)  # type: ignore[misc]

        return tick
