"""`crunchtime sensitivity`: Sobol' indices over the beliefs and switch points (a thin shell over crunchtime.api)."""

from __future__ import annotations

import sys

import typer
from rich.console import Console, JustifyMethod
from rich.table import Table

from crunchtime import api
from crunchtime.cli.analysis_output import JSON_OPT, NO_SAVE_OPT, QUIET_OPT, print_saved, save_and_emit
from crunchtime.cli.progress import progress_bar
from crunchtime.cli.simulate import ADDRESS_OPT, BACKEND_OPT, WORKERS_OPT

out = Console(width=None if sys.stdout.isatty() else 140)  # piped output: wide enough for the table
#: rows of the printed table (the JSON and the report have every parameter)
SHOWN = 15


def _ci(x: float, ci: list[float]) -> str:
    return f"{x:.2f} [{ci[0]:.2f}, {ci[1]:.2f}]"


def sensitivity(
    scenario: str = typer.Option("default", "--scenario", "-s", help="Built-in scenario name or a scenario YAML file."),
    plan: str = typer.Option(..., "--plan", "-p", help="Plan (built-in name or YAML file) whose risk is analysed."),
    versus: str = typer.Option(
        "",
        "--versus",
        help="Second plan: analyse the paired difference plan - versus and find where the preferred plan switches.",
    ),
    base_samples: int = typer.Option(
        64,
        "--base-samples",
        "-n",
        help="Sobol' base samples N (a power of two is best); N x (parameters + 2) design rows.",
    ),
    seed: int = typer.Option(1, "--seed", help="Random seed; the same seed gives identical results."),
    parameters: str = typer.Option(
        "",
        "--parameters",
        help="Comma-separated parameters (ACTOR.FIELD for actor fields); default: every uncertain one.",
    ),
    metric: str = typer.Option(
        "catastrophe_risk", "--metric", help="catastrophe_risk (smooth), catastrophe (0/1) or utility."
    ),
    replicates: int = typer.Option(2, "--replicates", help="Trajectories per design row, averaged."),
    switch_top: int = typer.Option(3, "--switch-top", help="With --versus: top parameters to sweep for a switch."),
    sweep_points: int = typer.Option(9, "--sweep-points", help="Grid points of each sweep (5%..95% quantiles)."),
    sweep_samples: int = typer.Option(512, "--sweep-samples", help="Paired trajectories at each grid point."),
    sweep_range: str = typer.Option("0.05,0.95", "--sweep-range", help="Belief quantiles the sweeps span: low,high."),
    workers: int = WORKERS_OPT,
    backend: str = BACKEND_OPT,
    address: str | None = ADDRESS_OPT,
    json_out: bool = JSON_OPT,
    quiet: bool = QUIET_OPT,
    no_save: bool = NO_SAVE_OPT,
) -> None:
    """Which beliefs decide the answer: Sobol' indices (S1, ST with 95% intervals) and switch points.

    Runs a Saltelli/Sobol' design over the scenario's beliefs (their quantiles), reports first-order and
    total indices of catastrophe risk (or, with --versus, of the paired difference) on common random
    numbers, the share of the variance that is the simulator's own noise, and for the top parameters the value where the
    preferred plan switches. Needs: pip install "crunchtime[sensitivity]". Saved in the run store;
    `crunchtime report ID` draws the Sobol' bars and sweeps.

    \b
    Example: crunchtime sensitivity --scenario default --plan clymer --versus stop-now --base-samples 64 --seed 1
    """
    names = [s.strip() for s in parameters.split(",") if s.strip()] if parameters else None
    try:
        quantiles = [float(x) for x in sweep_range.split(",")]
    except ValueError:
        raise api.ArgumentError("sweep_range", f"give two quantiles low,high; got {sweep_range!r}") from None
    with progress_bar("sensitivity", not (quiet or json_out)) as cb:
        result = api.sensitivity(
            scenario,
            plan,
            versus=versus or None,
            base_samples=base_samples,
            seed=seed,
            parameters=names,
            metric=metric,
            replicates=replicates,
            switch_top=switch_top,
            sweep_points=sweep_points,
            sweep_samples=sweep_samples,
            sweep_range=quantiles,
            workers=workers,
            progress=cb,
            backend=backend,
            address=address,
        )
    data, run_id = save_and_emit(result, json_out, no_save)
    if json_out:
        return
    noise = data["noise"]
    t = Table(
        title=f"Sobol' indices of {data['metric']} of {data['output']} on {data['scenario']} "
        f"({data['base_samples']} base samples x {data['parameters'] + 2} rows x {data['replicates']} "
        f"replicates, seed {data['seed']}); 95% intervals"
    )
    columns: tuple[tuple[str, JustifyMethod], ...] = (
        ("parameter", "left"),
        ("ST (total)", "right"),
        ("S1 (first order)", "right"),
    )
    for col, justify in columns:
        t.add_column(col, justify=justify)
    for i in data["indices"][:SHOWN]:
        t.add_row(i["parameter"], _ci(i["ST"], i["ST_ci"]), _ci(i["S1"], i["S1_ci"]))
    out.print(t)
    if len(data["indices"]) > SHOWN:
        out.print(f"({len(data['indices']) - SHOWN} more parameters in --json and the report)", style="dim")
    out.print(
        f"Simulation noise: {noise['share']:.0%} of the row outputs' variance would remain with every "
        "chosen belief known (each world's own shocks and the beliefs left out); the matrices share their "
        "shocks, so it sets no floor under the indices (docs/analysis.md).",
        highlight=False,
    )
    for note in data["notes"]:
        out.print(f"note: {note}", style="yellow", highlight=False)
    for sp in data.get("switch_points", []):
        where = f" (belief quantile {sp['quantile']:.0%})" if sp["quantile"] is not None else ""
        out.print(f"[bold]{sp['parameter']}[/]: {sp['note']}{where}", highlight=False)
    out.print(api.BELIEFS_NOTE, style="dim", highlight=False)
    print_saved(out, run_id, "sensitivity")
