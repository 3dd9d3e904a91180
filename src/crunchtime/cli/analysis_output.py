"""What every analysis command (optimize, sensitivity, discover, table1) shares: its output flags, and
saving the result in the run store before printing it as JSON or as text."""

from __future__ import annotations

import json
from typing import Any

import typer
from rich.console import Console

from crunchtime import api

JSON_OPT = typer.Option(False, "--json", help="Print the result as JSON on stdout (nothing else).")
QUIET_OPT = typer.Option(False, "--quiet", "-q", help="No progress bar.")
NO_SAVE_OPT = typer.Option(False, "--no-save", help="Do not save the result in the run store.")


def save_and_emit(
    result: api.AnalysisResult, json_out: bool, no_save: bool, extra: dict[str, Any] | None = None
) -> tuple[dict[str, Any], str | None]:
    """Save `result` (unless no_save); with json_out print its JSON (plus run_id and `extra`).

    Returns the result's data and its run id (None when not saved).
    """
    data = result.to_dict()
    run_id = None if no_save else api.save_analysis(result)
    if json_out:
        typer.echo(json.dumps(data | ({"run_id": run_id} if run_id else {}) | (extra or {}), indent=1))
    return data, run_id


def print_saved(out: Console, run_id: str | None, kind: str) -> None:
    """The line that tells where the result was saved and how to render it."""
    if run_id:
        out.print(f"saved as run [bold]{run_id}[/] (crunchtime report {run_id} -o {kind}.html)")
