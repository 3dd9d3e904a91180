"""`crunchtime table1`: the essay's Table 1 computed by the model (a thin shell over `crunchtime.api.table1`)."""

from __future__ import annotations

import sys
from typing import Any

import typer
from rich.console import Console
from rich.table import Table

from crunchtime import api
from crunchtime.cli.analysis_output import JSON_OPT, NO_SAVE_OPT, QUIET_OPT, print_saved, save_and_emit
from crunchtime.cli.progress import progress_bar
from crunchtime.cli.simulate import ADDRESS_OPT, BACKEND_OPT, WORKERS_OPT

out = Console(width=None if sys.stdout.isatty() else 180)  # piped output: wide enough for the table
_AXES = (
    ("safety_per_cost", "safety per cost"),
    ("use_to_other_developers", "use to other developers"),
    ("benefit_of_acting_early", "benefit of acting early"),
)
_MARK = {True: "[green]agrees[/]", False: "[red]differs[/]", None: "[dim]not rated[/]"}


def _cell(m: dict[str, Any], essay: dict[str, Any]) -> str:
    rating = essay["rating"] or "-"
    if m["value"] is None:  # a phase that never happens (e.g. no world reaches 3x within the horizon)
        return f"n/a\nessay {rating}"
    lo, hi = m["ci95"]
    return f"{m['value']:+.3f} [{lo:+.3f}, {hi:+.3f}]\nmodel {m['model_tier']} / essay {rating}: {_MARK[m['agrees']]}"


def table1(
    scenario: str = typer.Option("default", "--scenario", "-s", help="Built-in scenario name or a scenario YAML file."),
    plan: str = typer.Option("clymer", "--plan", "-p", help="The base plan (built-in name or plan YAML file)."),
    samples: int = typer.Option(2000, "--samples", "-n", help="Trajectories per plan (base and each variant)."),
    seed: int = typer.Option(1, "--seed", help="Random seed; the same seed gives identical results."),
    step: float = typer.Option(
        api.TABLE1_STEP, "--step", help="Extra share of Magma's resources put into a category (0.02 = 2 points)."
    ),
    workers: int = WORKERS_OPT,
    backend: str = BACKEND_OPT,
    address: str | None = ADDRESS_OPT,
    json_out: bool = JSON_OPT,
    quiet: bool = QUIET_OPT,
    no_save: bool = NO_SAVE_OPT,
) -> None:
    """The essay's Table 1 computed by the model: each category's safety per cost, use to other developers
    and benefit of acting early, as marginal paired experiments with 95% intervals, beside the essay's ratings.

    \b
    Example: crunchtime table1 --scenario default --samples 2000 --seed 1 --json
    """
    with progress_bar("table1", not (quiet or json_out)) as cb:
        result = api.table1(
            scenario,
            plan,
            samples=samples,
            seed=seed,
            step=step,
            workers=workers,
            progress=cb,
            backend=backend,
            address=address,
        )
    data, run_id = save_and_emit(result, json_out, no_save)
    if json_out:
        return
    t = Table(
        title=f"Table 1 by the model: {data['base_plan']} + {100 * data['step']:g} points of resources per "
        f"category, {samples} paired trajectories, seed {seed}",
        show_lines=True,
    )
    t.add_column("category", justify="left")
    for _, label in _AXES:
        t.add_column(label, justify="right")
    for r in data["rows"]:
        t.add_row(r["label"], *(_cell(r[key], r["essay"][key]) for key, _ in _AXES))
    out.print(t)
    agree = "; ".join(
        f"{label}: {a['agree']}/{a['rated']} agree"
        + (f", Spearman {a['spearman']:+.2f}" if a["spearman"] is not None else "")
        for (key, label), a in ((k, data["agreement"][k[0]]) for k in _AXES)
    )
    out.print(
        f"Values: {data['units']} (value [95% interval], paired on common random numbers). "
        f"Benefit of acting early: per point-year before 3x minus after. {agree}."
    )
    out.print(data["essay_source"])
    print_saved(out, run_id, "table1")
