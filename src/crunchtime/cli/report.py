"""`crunchtime report ID -o FILE.html`: a self-contained HTML report of a saved run or comparison."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from crunchtime import api
from crunchtime.cli.progress import progress_bar


def report(
    run_id: str = typer.Argument(..., help="Run id, or a unique prefix of one (see `crunchtime runs list`)."),
    output: Path = typer.Option(..., "-o", "--output", help="HTML file to write (one file; opens offline)."),
    json_out: bool = typer.Option(False, "--json", help="Print machine-readable JSON on stdout (nothing else)."),
) -> None:
    """Write a self-contained HTML report (figures inline, no network) for a saved run.

    \b
    Example: crunchtime report 20250314-091502 -o report.html
    """
    stored = api.load_run(run_id)
    with progress_bar("drawing the report", not json_out) as cb:
        path = api.write_report(stored, output, progress=cb)
    if json_out:
        typer.echo(json.dumps({"run_id": stored.run_id, "path": str(path), "bytes": path.stat().st_size}))
    else:
        typer.echo(f"wrote {path} ({path.stat().st_size / 1024:.0f} KB) for run {stored.run_id}")
