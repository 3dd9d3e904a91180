"""crunchtime: plan a frontier AI developer's safety strategy through crunch time.

Everything public is in `crunchtime.api` and re-exported here::

    import crunchtime as ct
    result = ct.simulate("default", "clymer", samples=2000, seed=0)
    result                      # two lines in a terminal, tables in a notebook
    ct.save_run(result)         # the run store, with provenance

See docs/api.md for a notebook session, docs/model.md and docs/plans.md for the model and plans.
"""

from crunchtime.api import *  # noqa: F403
from crunchtime.api import __all__, __version__  # noqa: F401
