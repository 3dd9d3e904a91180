"""The engine: chunked, seeded, batched execution of the model, in this process, local processes or Ray.

`run_chunks` cuts a run into chunks of whole random blocks and hands them, with `simulate_chunk`, to a
backend (`crunchtime.engine.backends`); `crunchtime.engine.jit` runs the same month function compiled by
JAX/XLA. Results are bit-identical whatever the chunking, the number of processes or the backend.
"""

from __future__ import annotations

import importlib
from typing import Any

#: the engine's names by the module that owns them; imported on first use (PEP 562), so the sizes stay instant
_HOME = {
    name: module
    for module, names in {
        "chunk": ("MAX_BATCH", "hot_path", "simulate_chunk"),
        "inputs": ("INPUT_CACHE", "block_inputs", "cached_inputs", "chunk_inputs", "sampled_inputs"),
        "monthly": ("SERIES", "SERIES_ALL", "ChunkOutput", "chunk_outputs", "first_carry", "month"),
        "run": ("chunk_bounds", "run_chunks"),
        "sizes": ("BLOCK", "DEFAULT_CHUNK", "QUANTILE_CAP"),
    }.items()
    for name in names
}

__all__ = sorted(_HOME)


def __getattr__(name: str) -> Any:
    if name not in _HOME:
        raise AttributeError(f"module 'crunchtime.engine' has no attribute {name!r}")
    return getattr(importlib.import_module(f"crunchtime.engine.{_HOME[name]}"), name)
