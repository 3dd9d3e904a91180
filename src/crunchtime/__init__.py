"""crunchtime: plan a frontier AI developer's safety strategy through crunch time.

Everything public is in `crunchtime.api` and re-exported here::

    import crunchtime as ct
    result = ct.simulate("default", "clymer", samples=2000, seed=0)
    result                      # two lines in a terminal, tables in a notebook
    ct.save_run(result)         # the run store, with provenance

See docs/api.md for a notebook session, docs/model.md and docs/plans.md for the model and plans, and
docs/architecture.md for the layers. Names are imported on first use, so `import crunchtime` is instant.
"""

from typing import Any

from crunchtime import api
from crunchtime.api import __all__, __version__  # noqa: F401


def __getattr__(name: str) -> Any:
    """The public API's names, imported on first use (see `crunchtime.api`)."""
    if name in api.__all__:
        return getattr(api, name)
    if name == "web_app":  # the arcade's application (a shell above the facade; `crunchtime.web.web_app`)
        from crunchtime.web import web_app

        return web_app
    raise AttributeError(f"module 'crunchtime' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__) | {"web_app"})
