"""Only the newest slider position computes: per-client request generations, and one compute at a time.

The page numbers its requests (`X-Generation`, counting up) under a client id (`X-Client`). A request
that waits for the compute slot and finds a newer generation of its client registered is dropped (HTTP
409) without computing; so a fast-moving slider queues at most one computation behind the running one.
"""

from __future__ import annotations

import asyncio
import json
import threading
from collections import OrderedDict
from typing import Any

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
    """One computation at a time (it uses the worker pool's cores, or one; a queue of stale work helps no one)."""

    def __init__(self) -> None:
        self._lock: asyncio.Lock | None = None
        #: (client, generation) of the request computing now, or None
        self.running: tuple[str | None, int | None] | None = None

    @property
    def lock(self) -> asyncio.Lock:
        if self._lock is None:  # created inside the running event loop
            self._lock = asyncio.Lock()
        return self._lock


class FirstAnswers:
    """The latest first answers (256 worlds), kept so that their refinement only adds worlds (`api.refine`).

    Keyed by client, generation and the request body less `samples` and `world`: a refinement finds its
    first answer only when it asks for the same comparison under the same generation. Bounded: the oldest
    entries are dropped (each holds a few MB of per-chunk outputs).
    """

    def __init__(self, max_entries: int = limits.MAX_FIRST_ANSWERS):
        self._kept: OrderedDict[tuple, Any] = OrderedDict()
        self._max = max_entries
        self._lock = threading.Lock()

    @staticmethod
    def key(client: str | None, generation: int | None, body: Any) -> tuple | None:
        """The cache key of a request, or None when it carries no client and generation."""
        if client is None or generation is None or not isinstance(body, dict):
            return None
        rest = {k: v for k, v in body.items() if k not in ("samples", "world")}
        return client, generation, json.dumps(rest, sort_keys=True, default=str)

    def get(self, key: tuple | None) -> Any:
        """The first answer kept under `key`, or None."""
        if key is None:
            return None
        with self._lock:
            return self._kept.get(key)

    def put(self, key: tuple | None, answer: Any) -> None:
        """Keep `answer` under `key` (dropping this client's older entries and the oldest beyond the bound)."""
        if key is None:
            return
        with self._lock:
            for old in [k for k in self._kept if k[0] == key[0]]:
                del self._kept[old]
            self._kept[key] = answer
            while len(self._kept) > self._max:
                self._kept.popitem(last=False)
