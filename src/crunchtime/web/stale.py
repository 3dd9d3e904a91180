"""Only the newest slider position computes: per-client request generations, and one compute at a time.

The page numbers its requests (`X-Generation`, counting up) under a client id (`X-Client`). A request
that waits for the compute slot and finds a newer generation of its client registered is dropped (HTTP
409) without computing; so a fast-moving slider queues at most one computation behind the running one.
"""

from __future__ import annotations

import asyncio
import threading
from collections import OrderedDict

from crunchtime.web import limits


class Generations:
    """The newest request generation seen per client (bounded: the oldest clients are forgotten)."""

    def __init__(self, max_clients: int = limits.MAX_CLIENTS):
        self._latest: OrderedDict[str, int] = OrderedDict()
        self._max = max_clients
        self._lock = threading.Lock()

    def register(self, client: str | None, generation: int | None) -> None:
        """Note a request; a lower generation than one already seen changes nothing."""
        if client is None or generation is None:
            return
        with self._lock:
            if generation > self._latest.get(client, -1):
                self._latest[client] = generation
            self._latest.move_to_end(client)
            while len(self._latest) > self._max:
                self._latest.popitem(last=False)

    def superseded(self, client: str | None, generation: int | None) -> bool:
        """True when a newer request of the same client has arrived."""
        if client is None or generation is None:
            return False
        with self._lock:
            return self._latest.get(client, generation) > generation


class ComputeSlot:
    """One computation at a time (the engine uses one core; a queue of stale work helps no one)."""

    def __init__(self) -> None:
        self._lock: asyncio.Lock | None = None

    @property
    def lock(self) -> asyncio.Lock:
        if self._lock is None:  # created inside the running event loop
            self._lock = asyncio.Lock()
        return self._lock
