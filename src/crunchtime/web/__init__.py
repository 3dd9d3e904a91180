"""The arcade: a local web app over crunchtime's public API (`crunchtime serve`).

`create_app()` builds the FastAPI application: one page (static files in `static/`, no network at run
time) and a small JSON API (`POST /api/compare` answers what `crunchtime compare --json` prints). FastAPI
and uvicorn come with the optional extra `pip install "crunchtime[web]"`. See docs/web.md.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from crunchtime import api

MISSING_MESSAGE = 'the web app needs FastAPI and uvicorn: pip install "crunchtime[web]"'


def create_app(**kwargs: Any) -> Any:
    """The FastAPI application (see `crunchtime.web.app.create_app` for the arguments)."""
    from crunchtime.web.app import create_app as _create

    return _create(**kwargs)


def web_app(
    home: str | Path | None = None,
    jit: bool = False,
    host: str | None = None,
    port: int | None = None,
    workers: int = 1,
) -> Any:
    """The arcade: the local web app's FastAPI application (needs `pip install "crunchtime[web]"`).

    Parameters
    ----------
    home : str or Path, optional
        The run store that its report downloads save into (default as for `save_run`).
    jit : bool
        Answer the sliders with the JAX-compiled engine (as `compare(jit=True)`; needs the `jit` extra).
    host, port : str and int, optional
        The address it is served on: requests naming another `Host` are refused (DNS rebinding), as are
        cross-origin POSTs. Default: loopback names on any port.
    workers : int
        Worker processes that split each move's worlds (a pool of warm processes started now,
        `api.worker_pool`; with `jit` each compiles the model); 1 simulates in the server's process. Same
        numbers either way.

    Returns
    -------
    fastapi.FastAPI
        Serve it with uvicorn (as `crunchtime serve` does) or test it with `fastapi.testclient.TestClient`.

    Raises
    ------
    CrunchtimeError
        When FastAPI is not installed (one line saying what to install).

    Examples
    --------
    >>> app = web_app()  # doctest: +SKIP
    """
    try:
        from crunchtime.web.app import create_app as _create
    except ImportError as exc:
        raise api.CrunchtimeError(f"{MISSING_MESSAGE} ({exc.name} is missing)") from None
    api.check_jit(jit)
    if isinstance(workers, bool) or not isinstance(workers, int) or not 1 <= workers <= api.MAX_WORKERS:
        raise api.ArgumentError("workers", f"must be a whole number in 1..{api.MAX_WORKERS}, got {workers!r}")
    from crunchtime.web.security import served_hosts

    allowed = None if host is None or port is None else served_hosts(host, port)
    return _create(home=None if home is None else str(home), jit=jit, allowed_hosts=allowed, workers=workers)


__all__ = ["MISSING_MESSAGE", "create_app", "web_app"]
