"""`crunchtime discover`: PRIM scenario discovery, a thin shell over crunchtime.api.discover."""

from __future__ import annotations

import sys
from typing import Any

import typer
from rich.console import Console, JustifyMethod
from rich.table import Table

from crunchtime import api
from crunchtime.cli.analysis_output import JSON_OPT, NO_SAVE_OPT, QUIET_OPT, print_saved, save_and_emit
from crunchtime.cli.progress import progress_bar
from crunchtime.cli.simulate import ADDRESS_OPT, BACKEND_OPT, WORKERS_OPT

out = Console(width=None if sys.stdout.isatty() else 140)  # piped output: wide enough for the tables


def _num(v: float) -> str:
    return f"{v:.3g}"


def _qp(q: list[float | None]) -> str:
    vals = [x for x in q if x is not None]
    return f"{min(vals):.2g}" if vals else "-"


def _print(data: dict[str, Any]) -> None:
    n, who = data["samples"], data["plan"]
    out.print(
        f"[bold]Scenario discovery[/] on {data['scenario']}: {n} worlds (Latin hypercube over "
        f"{len(data['parameters'])} beliefs, seed {data['seed']}). A world is a case when "
        f"{data['case']}: {data['cases']} cases, base rate {100 * data['base_rate']:.1f}%.",
        highlight=False,
    )
    if not data["boxes"]:
        out.print(f"No box: {data['note']}.", highlight=False)
        return
    for i, b in enumerate(data["boxes"], 1):
        flag = (
            ""
            if b["meets_min_density"]
            else (f" (below the density goal {100 * data['settings']['min_density']:.0f}%)")
        )
        out.print(
            f"[bold]Box {i}[/]: coverage {100 * b['coverage']:.1f}% of cases, density "
            f"{100 * b['density']:.1f}%{flag}, mass {100 * b['mass']:.1f}% of worlds ({b['worlds']})",
            highlight=False,
        )
        t = Table()
        columns: tuple[tuple[str, JustifyMethod], ...] = (
            ("belief", "left"),
            ("box", "right"),
            ("belief range (sampled)", "right"),
            ("quantiles", "right"),
            ("unit", "left"),
            ("quasi-p", "right"),
        )
        for col, justify in columns:
            t.add_column(col, justify=justify)
        for d in b["dimensions"]:
            lo, hi = d["limits"]
            rlo, rhi = d["belief_range"]
            box = f"{_num(lo) if d['restricted'][0] else '...'} to {_num(hi) if d['restricted'][1] else '...'}"
            t.add_row(
                d["parameter"],
                box,
                f"{_num(rlo)} to {_num(rhi)}",
                f"{100 * d['quantiles'][0]:.0f}%-{100 * d['quantiles'][1]:.0f}%",
                d["unit"],
                _qp(d["qp"]),
            )
        out.print(t)
        if b["dropped"]:
            out.print(f"  dropped as chance (quasi-p > 0.05): {', '.join(b['dropped'])}", style="dim", highlight=False)
    out.print(
        f"Boxes cover {100 * data['coverage_total']:.1f}% of the worlds where {who} "
        f"{'loses' if data['versus'] else 'fails'}. Boxes describe where under these beliefs, not forecasts; "
        "'...' is an unrestricted side.",
        style="dim",
        highlight=False,
    )


def discover(
    scenario: str = typer.Option("default", "--scenario", "-s", help="Built-in scenario name or a scenario YAML file."),
    plan: str = typer.Option("clymer", "--plan", "-p", help="Built-in plan name or a plan YAML file."),
    versus: str = typer.Option("", "--versus", help="Find where --plan is riskier than this plan instead."),
    samples: int = typer.Option(2000, "--samples", "-n", help="Worlds (trajectories per plan), at least 100."),
    seed: int = typer.Option(1, "--seed", help="Random seed; the same seed gives identical boxes."),
    parameters: str = typer.Option(
        "",
        "--parameters",
        help="Comma-separated beliefs to vary (default: every uncertain one); actor fields as ACTOR.FIELD.",
    ),
    threshold: float | None = typer.Option(
        None,
        "--threshold",
        help="A world is a case when its catastrophe risk "
        "exceeds this (default 0.5), or with --versus the risk difference "
        "(default 0).",
    ),
    min_density: float = typer.Option(0.5, "--min-density", help="Density a box should reach, in (0, 1]."),
    max_boxes: int = typer.Option(3, "--max-boxes", help="Boxes at most, 1..10."),
    workers: int = WORKERS_OPT,
    backend: str = BACKEND_OPT,
    address: str | None = ADDRESS_OPT,
    json_out: bool = JSON_OPT,
    quiet: bool = QUIET_OPT,
    no_save: bool = NO_SAVE_OPT,
) -> None:
    """Find boxes of beliefs where a plan fails, or loses to another plan (PRIM scenario discovery).

    Each box lists the beliefs it restricts, with its coverage (share of the failing worlds inside it) and
    density (share of the worlds inside it that fail). Needs: pip install "crunchtime[discover]".

    \b
    Example: crunchtime discover --scenario default --plan clymer --samples 2000 --seed 1 --versus stop-now
    """
    with progress_bar("simulating the worlds, then peeling boxes", not (quiet or json_out)) as cb:
        result = api.discover(
            scenario,
            plan,
            versus=versus or None,
            samples=samples,
            seed=seed,
            parameters=parameters or None,
            threshold=threshold,
            min_density=min_density,
            max_boxes=max_boxes,
            workers=workers,
            progress=cb,
            backend=backend,
            address=address,
        )
    data, run_id = save_and_emit(result, json_out, no_save)
    if json_out:
        return
    _print(data)
    print_saved(out, run_id, "discover")
