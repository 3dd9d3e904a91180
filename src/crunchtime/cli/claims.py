"""`crunchtime claims`: the essays' claims as paired experiments (a thin shell over crunchtime.analysis.claims)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import typer
from rich.console import Console, JustifyMethod
from rich.table import Table

from crunchtime import api
from crunchtime.cli.progress import progress_bar
from crunchtime.cli.simulate import ADDRESS_OPT, BACKEND_OPT, check_writable

out = Console(width=None if sys.stdout.isatty() else 160)  # piped output: wide enough for the table
_STYLE = {"holds": "green", "fails": "red", "inconclusive": "yellow"}


def claims(
    samples: int = typer.Option(4000, "--samples", "-n", help="Monte Carlo trajectories per side of each claim."),
    seed: int = typer.Option(1, "--seed", help="Random seed; the same seed gives identical results."),
    json_out: bool = typer.Option(False, "--json", help="Print the results as JSON on stdout (nothing else)."),
    only: str = typer.Option("", "--only", help="Comma-separated claim ids to run (default: all)."),
    workers: int = typer.Option(1, "--workers", "-j", help="Processes; results do not depend on it."),
    backend: str = BACKEND_OPT,
    address: str | None = ADDRESS_OPT,
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar."),
    report: str = typer.Option("", "--report", "-o", help="Also write a self-contained HTML page of the claims."),
) -> None:
    """Test each claim of the essays as a paired experiment, and check it vanishes or reverses under its flip.

    For each claim: the expected sign of mean(a - b), the measured paired difference with a 95% interval,
    a verdict (holds, fails, inconclusive), and the same under the belief change that should undo it.
    Claims are data: src/crunchtime/analysis/claims.yaml.

    \b
    Example: crunchtime claims --samples 4000 --seed 1 --only appendix-a-in-pack,heuristic-1-scale
    """
    from crunchtime.api import VANISH_TOLERANCE, load_claims, run_claims, select_claims
    from crunchtime.api import format_paired_difference as format_pp

    selected = select_claims(load_claims(), only or None)  # a bad id fails before any simulation
    if report:
        check_writable(Path(report))
    with progress_bar("claims", not (quiet or json_out)) as cb:
        result = run_claims(
            samples=samples, seed=seed, workers=workers, progress=cb, claims=selected, backend=backend, address=address
        )
    data = result.to_dict()
    written = api.write_claims_report(result, report) if report else None
    if json_out:
        typer.echo(json.dumps(data, indent=1))
        return
    t = Table(
        title=f"Claims as paired experiments ({samples} trajectories per side, seed {seed}); "
        "differences a - b in percentage points with 95% intervals"
    )
    columns: tuple[tuple[str, JustifyMethod], ...] = (
        ("claim", "left"),
        ("metric", "left"),
        ("expected", "center"),
        ("measured a - b", "right"),
        ("verdict", "left"),
        ("flip", "left"),
        ("under flip", "right"),
        ("flip verdict", "left"),
    )
    for col, justify in columns:
        t.add_column(col, justify=justify)
    for r, c in zip(data["claims"], result.results):
        t.add_row(
            r["id"],
            c.claim.metric,
            f"a {r['expected']} b",
            format_pp(r["measured"]),
            f"[{_STYLE[r['verdict']]}]{r['verdict']}[/]",
            r["flip"]["expected"],
            format_pp(r["flip"]["measured"]),
            f"[{_STYLE[r['flip']['verdict']]}]{r['flip']['verdict']}[/]",
        )
    out.print(t)
    out.print(
        f"These are paired comparisons under stated beliefs (claims.yaml), not forecasts. A flip expected to "
        f"vanish holds when its interval comes within {VANISH_TOLERANCE * 100:g} percentage point of 0 "
        f"(or lies on the other side), so a flip is informative only where its claim holds. "
        "Use --json for each claim's source passage and belief change."
    )
    if written:
        out.print(f"report: {written}")
