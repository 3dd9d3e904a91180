"""Saved runs: Parquet tables and JSON per run directory, indexed by a DuckDB catalogue.

>>> from crunchtime.results.store import RunStore
>>> store = RunStore()                       # $CRUNCHTIME_HOME or ~/.local/share/crunchtime
>>> run_id = store.save("run", provenance, summary, tables)
>>> store.load(run_id).table("trajectories")
"""

from crunchtime.results.store.provenance import complete_provenance, make_provenance, sha256_text
from crunchtime.results.store.runinfo import RunInfo
from crunchtime.results.store.runstore import RunStore, default_home, load_run
from crunchtime.results.store.storedrun import StoredRun

__all__ = [
    "RunInfo",
    "RunStore",
    "StoredRun",
    "complete_provenance",
    "default_home",
    "load_run",
    "make_provenance",
    "sha256_text",
]
