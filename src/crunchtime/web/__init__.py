"""The arcade: a local web app over crunchtime's public API (`crunchtime serve`).

`create_app()` builds the FastAPI application: one page (static files in `static/`, no network at run
time) and a small JSON API (`POST /api/compare` answers what `crunchtime compare --json` prints). FastAPI
and uvicorn come with the optional extra `pip install "crunchtime[web]"`. See docs/web.md.
"""

from __future__ import annotations

from typing import Any

MISSING_MESSAGE = 'the web app needs FastAPI and uvicorn: pip install "crunchtime[web]"'


def create_app(**kwargs: Any) -> Any:
    """The FastAPI application (see `crunchtime.web.app.create_app` for the arguments)."""
    from crunchtime.web.app import create_app as _create

    return _create(**kwargs)


__all__ = ["MISSING_MESSAGE", "create_app"]
