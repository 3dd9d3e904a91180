"""The report of a saved run, given the run or its id."""

from __future__ import annotations

from pathlib import Path

from crunchtime.report.render import write_report as _write
from crunchtime.results.saved import load_run
from crunchtime.results.simulation import Progress
from crunchtime.results.store import StoredRun


def write_report(
    run: StoredRun | str, path: str | Path, home: str | Path | None = None, progress: Progress | None = None
) -> Path:
    """Write the self-contained HTML report of a saved run (figures inline, no network needed).

    Two reports of one run are byte-identical.

    Parameters
    ----------
    run : StoredRun or str
        A stored run or its id (or a unique prefix).
    path : str or Path
        The HTML file to write (atomically).
    home : str or Path, optional
        The store's folder when `run` is an id.
    progress : callable(done, total), optional
        Called as each figure is drawn.

    Returns
    -------
    Path
        The absolute path written.

    Examples
    --------
    >>> write_report(save_run(result), "report.html")  # doctest: +SKIP
    """
    stored = run if isinstance(run, StoredRun) else load_run(run, home)
    return _write(stored, path, progress=progress)
