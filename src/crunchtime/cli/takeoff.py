"""`crunchtime takeoff ...` commands."""

from __future__ import annotations

import json
import sys

import typer

from crunchtime import api
from crunchtime.api import InputError
from crunchtime.cli.progress import progress_bar

app = typer.Typer(help="takeoff tools", no_args_is_help=True)


def _condition(text: str) -> api.Condition:
    """Parse 'YEARS:MONTHS' with both positive (YEARS need not be <= MONTHS)."""
    parts = text.split(":")
    try:
        years, months = (float(x) for x in parts)
    except ValueError:
        raise InputError("command line", "--condition", f"expected YEARS:MONTHS, e.g. 3:12, got {text!r}") from None
    if not (years > 0 and months > 0) or years == float("inf") or months == float("inf"):
        raise InputError("command line", "--condition", f"years and months must be finite and > 0, got {text!r}")
    return api.Condition(years, months)


def _params(
    r_range: str | None,
    speedup_range: str | None,
    limit_years_range: str | None,
    p_range: str | None,
    horizon_months: float,
    software_share: float,
    recent_doubling_months: float,
    retraining: bool,
    constant_r: bool,
) -> api.SIEParams:
    """api.SIEParams from the command line's overrides of the paper defaults."""
    try:
        base = api.SIEParams(
            horizon_months=horizon_months,
            software_share=software_share,
            recent_doubling_months=recent_doubling_months,
            retraining=retraining,
            constant_r=constant_r,
        )
    except InputError as exc:
        raise InputError("command line", f"--{(exc.field or '').replace('_', '-')}", exc.problem) from None
    ranges = {
        name: api.parse_range(text, option)
        for name, text, option in (
            ("r", r_range, "--r-range"),
            ("speedup", speedup_range, "--speedup-range"),
            ("limit_years", limit_years_range, "--limit-years-range"),
            ("p", p_range, "--p-range"),
        )
        if text is not None
    }
    try:
        return base.with_ranges(**ranges)
    except InputError as exc:  # name the command-line option, not the internal field
        option = f"--{(exc.field or '').replace('_', '-')}-range"
        raise InputError("command line", option, exc.problem) from None


def _print_table(result: api.SIEResult, params: api.SIEParams, seed: int) -> None:
    """Rich table of probabilities with their Monte Carlo standard errors (and the paper's figures at defaults)."""
    from rich.console import Console
    from rich.table import Table

    show_paper = params == api.SIEParams()
    table = Table(title=f"Software intelligence explosion: {result.samples:,} samples, seed {seed}")
    table.add_column("progress (years, recent rates)", justify="right")
    table.add_column("compressed into", justify="right")
    table.add_column("probability [95% interval]", justify="right")
    if show_paper:
        table.add_column("paper", justify="right")
    for cond, p, se in zip(result.conditions, result.p, result.se, strict=True):
        row = [f">= {cond.years:g}", f"<= {cond.months:g} months", api.format_probability(p, se, result.samples, True)]
        if show_paper:
            reported = api.PAPER_REPORTED.get((cond.years, cond.months))
            row.append(f"{100 * reported:.0f}%" if reported is not None else "")
        table.add_row(*row)
    console = Console()
    console.print(table)
    if show_paper:
        console.print(
            "Paper: Davidson & Houlden (2025), Forethought. Its '3 years in 4 months' figure was computed for"
            " 3.25 years (try --condition 3.25:4); see docs/takeoff-sie.md.",
            style="dim",
            highlight=False,
        )


@app.command("sie")
def sie(
    samples: int = typer.Option(100_000, "--samples", "-n", help=f"Monte Carlo samples, 1..{api.MAX_SIE_SAMPLES:,}."),
    seed: int = typer.Option(0, "--seed", min=0, help="Random seed (same seed, same output)."),
    condition: list[str] | None = typer.Option(
        None, "--condition", help="YEARS:MONTHS, repeatable; default: the paper's 3:12 10:12 3:4 10:4."
    ),
    r_range: str | None = typer.Option(
        None, "--r-range", help="Returns to software R&D r0, log-uniform LOW:HIGH [0.4:3.6]."
    ),
    speedup_range: str | None = typer.Option(
        None, "--speedup-range", help="Initial speed-up from ASARA, log-uniform LOW:HIGH [2:32]."
    ),
    limit_years_range: str | None = typer.Option(
        None, "--limit-years-range", help="Distance to effective limits in years of progress, uniform LOW:HIGH [6:16]."
    ),
    p_range: str | None = typer.Option(
        None, "--p-range", help="Diminishing returns to parallel labour p, log-uniform LOW:HIGH [0.15:0.6]."
    ),
    horizon_months: float = typer.Option(48.0, "--horizon-months", help="Months simulated after ASARA."),
    software_share: float = typer.Option(0.5, "--software-share", help="Share of recent AI progress from software."),
    recent_doubling_months: float = typer.Option(
        3.0, "--recent-doubling-months", help="Recent software doubling time (months)."
    ),
    retraining: bool = typer.Option(False, "--retraining", help="Retraining-cost variant (pace exponent a/(1+|a|))."),
    constant_r: bool = typer.Option(False, "--constant-r", help="Variant: r does not fall towards the ceiling."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON on stdout only."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar."),
) -> None:
    """Probability that a software intelligence explosion compresses Y years of AI progress into M months.

    \b
    Example: crunchtime takeoff sie --samples 200000 --seed 1 --r-range 0.4:3.6 --json
    """
    params = _params(
        r_range,
        speedup_range,
        limit_years_range,
        p_range,
        horizon_months,
        software_share,
        recent_doubling_months,
        retraining,
        constant_r,
    )
    conditions = tuple(_condition(c) for c in condition) if condition else api.PAPER_CONDITIONS
    with progress_bar("simulating", not (as_json or quiet) and sys.stdout.isatty()) as cb:
        result = api.simulate_sie(samples, seed, params, conditions, progress=cb)
    if as_json:
        sys.stdout.write(json.dumps(result.as_json()) + "\n")
    else:
        _print_table(result, params, seed)
