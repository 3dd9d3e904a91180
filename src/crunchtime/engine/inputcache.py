"""A small, bounded cache of sampled engine inputs (world draws and monthly shocks), keyed by content.

The web app re-simulates the same seed on every slider move; a design only replaces parameters after
sampling, so the sampled worlds and every monthly shock of a chunk can be drawn once and reused.
Entries are keyed by what the draws depend on (the scenario's horizon, distributions and actors, the
seed and the chunk's trajectories), never by object identity, so a changed scenario, seed or chunk can
never reuse another's draws. Cached arrays are made read-only: a caller that tries to write into them
gets an error instead of silently corrupting later runs.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any

import numpy as np

from crunchtime.model.scenario import Scenario

#: most bytes of arrays the cache holds (1,024 trajectories x 96 months of shocks are about 13 MB, so a few
#: chunks fit: the web app's plan + baseline at one seed, a seed change, and a bulk run's first chunks)
MAX_BYTES = 64 * 2**20
#: most entries, whatever their size
MAX_ENTRIES = 4


def sampling_key(scenario: Scenario) -> tuple:
    """Everything a scenario contributes to the draws: horizon, each distribution, the actors in order.

    Distributions are frozen dataclasses (hashable and compared by value); names, descriptions and the
    source text do not change the draws and are left out.
    """
    world = tuple(sorted(scenario.parameters.items()))
    actors = tuple((a.name, tuple(sorted(a.fields.items()))) for a in scenario.actors)
    return scenario.horizon_months, world, actors


def _nbytes(value: Any) -> int:
    if isinstance(value, np.ndarray):
        return value.nbytes
    if isinstance(value, dict):
        return sum(_nbytes(v) for v in value.values())
    if isinstance(value, (tuple, list)):
        return sum(_nbytes(v) for v in value)
    return 0


def _freeze(value: Any) -> Any:
    """The same structure with every array marked read-only (arrays are not copied)."""
    if isinstance(value, np.ndarray):
        value.flags.writeable = False
        return value
    if isinstance(value, dict):
        return {k: _freeze(v) for k, v in value.items()}
    if isinstance(value, tuple):
        return tuple(_freeze(v) for v in value)
    return value


class InputCache:
    """Least-recently-used cache bounded in entries and bytes; values' arrays are read-only."""

    def __init__(self, max_entries: int = MAX_ENTRIES, max_bytes: int = MAX_BYTES):
        self.max_entries, self.max_bytes = max_entries, max_bytes
        self._items: OrderedDict[Hashable, tuple[Any, int]] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def get(self, key: Hashable, make: Callable[[], Any]) -> Any:
        """The cached value for `key`, or `make()` (frozen, stored if it fits) on a miss."""
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                self.hits += 1
                return self._items[key][0]
        value = _freeze(make())
        size = _nbytes(value)
        with self._lock:
            self.misses += 1
            if size <= self.max_bytes:
                self._items[key] = (value, size)
                self._items.move_to_end(key)
                while len(self._items) > self.max_entries or self.nbytes > self.max_bytes:
                    self._items.popitem(last=False)
        return value

    @property
    def nbytes(self) -> int:
        """Bytes of arrays held now."""
        return sum(size for _, size in self._items.values())

    def __len__(self) -> int:
        return len(self._items)

    def clear(self) -> None:
        """Drop every entry (and reset the hit counters)."""
        with self._lock:
            self._items.clear()
            self.hits = self.misses = 0
