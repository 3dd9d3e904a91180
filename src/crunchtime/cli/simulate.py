"""`crunchtime run`, `crunchtime compare` and `crunchtime scenarios ...`: thin shells over crunchtime.api."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.table import Table

from crunchtime import api
from crunchtime.cli.progress import progress_bar

scenarios_app = typer.Typer(help="List and show scenarios (beliefs).", no_args_is_help=True)
out = Console(width=None if sys.stdout.isatty() else 140)  # piped output: wide enough for the tables

SCENARIO_OPT = typer.Option("default", "--scenario", "-s", help="Built-in scenario name or a scenario YAML file.")
SAMPLES_OPT = typer.Option(2000, "--samples", "-n", help=f"Monte Carlo trajectories (per plan), 1..{api.MAX_SAMPLES}.")
SEED_OPT = typer.Option(0, "--seed", help="Random seed; the same inputs and seed give identical results.")
WORKERS_OPT = typer.Option(1, "--workers", "-j", help="Processes; results do not depend on it.")
CHUNK_OPT = typer.Option(
    api.DEFAULT_CHUNK,
    "--chunk-size",
    help=f"Trajectories per work unit (multiple of {api.BLOCK}); results do not depend on it.",
)
BACKEND_OPT = typer.Option(
    "local",
    "--backend",
    help="Where chunks run: local (this machine, --workers processes) "
    'or ray (a Ray cluster; pip install "crunchtime[ray]"); results do not depend on it.',
)
JIT_OPT = typer.Option(
    False,
    "--jit",
    help='Simulate with the JAX-compiled engine (pip install "crunchtime[jit]"): '
    "fast on a GPU; values equal numpy's to about 1e-12, not bit for bit.",
)
ADDRESS_OPT = typer.Option(
    None,
    "--address",
    help="With --backend ray: the cluster, auto (started by `ray start "
    "--head` here) or HOST:PORT; default: $RAY_ADDRESS, else a Ray on this machine.",
)


def _pm(entry: dict[str, float], n: int) -> str:
    return api.format_probability(entry["p"], entry["se"], n)


def _beliefs_note() -> None:
    out.print(api.BELIEFS_NOTE, style="dim", highlight=False)


def _print_run(summary: dict[str, Any]) -> None:
    t = Table(
        title=f"{summary['plan']} on {summary['scenario']} ({summary['samples']} trajectories, seed "
        f"{summary['seed']}); [low, high] is the 95% Monte Carlo interval"
    )
    t.add_column("outcome")
    t.add_column("probability (%)", justify="right")
    n = summary["samples"]
    for k, v in summary["outcomes"].items():
        t.add_row(k, _pm(v, n))
    out.print(t)
    for key, title in (("world_outcomes", "The world's outcome"), ("magma_paths", "Magma's path")):
        if key in summary:
            w = Table(title=title)
            w.add_column(title.split()[-1])
            w.add_column("probability (%)", justify="right")
            for k, v in summary[key].items():
                w.add_row(k, _pm(v, n))
            out.print(w)
    if "horizon_risk" in summary:
        _print_horizon({summary["plan"]: summary}, n)
    m = Table(title="Milestones (Magma)")
    for c in ("milestone", "reached", "p10", "median", "p90"):
        m.add_column(c, justify="right" if c != "milestone" else "left")
    for k, v in summary["milestones"].items():
        m.add_row(k, f"{v['p_reached'] * 100:.0f}%", v["p10"] or "-", v["median"] or "-", v["p90"] or "-")
    out.print(m)
    r = Table(title="Catastrophe by source")
    r.add_column("source")
    r.add_column("probability (%)", justify="right")
    for k, v in summary["risk_by_source"].items():
        r.add_row(k, _pm(v, n))
    out.print(r)
    _beliefs_note()


def run(
    scenario: str = SCENARIO_OPT,
    plan: str = typer.Option("clymer", "--plan", "-p", help="Built-in plan name or a plan YAML file."),
    samples: int = SAMPLES_OPT,
    seed: int = SEED_OPT,
    workers: int = WORKERS_OPT,
    chunk_size: int = CHUNK_OPT,
    backend: str = BACKEND_OPT,
    address: str | None = ADDRESS_OPT,
    jit: bool = JIT_OPT,
    json_out: bool = typer.Option(False, "--json", help="Print the result as JSON on stdout (nothing else)."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar."),
    no_save: bool = typer.Option(False, "--no-save", help="Do not save the run in the run store."),
) -> None:
    """Simulate one plan on one scenario and print outcome probabilities, milestones and risk.

    \b
    Example: crunchtime run --scenario default --plan clymer --samples 4000 --seed 1 --json
    On a Ray cluster: crunchtime run --plan clymer --samples 100000 --backend ray --address auto
    """
    with progress_bar("simulating", not (quiet or json_out)) as cb:
        result = api.simulate(
            scenario,
            plan,
            samples=samples,
            seed=seed,
            chunk_size=chunk_size,
            workers=workers,
            progress=cb,
            backend=backend,
            address=address,
            jit=jit,
        )
    summary = result.summary()
    run_id = None if no_save else api.save_run(result)
    if json_out:
        typer.echo(json.dumps(summary | ({"run_id": run_id} if run_id else {}), indent=1))
        return
    _print_run(summary)
    if run_id:
        out.print(f"saved as run [bold]{run_id}[/] (crunchtime report {run_id} -o report.html)")


def compare(
    plans: str = typer.Option(
        "", "--plans", help="Comma-separated plan names or files (default: every built-in plan)."
    ),
    scenario: str = SCENARIO_OPT,
    samples: int = SAMPLES_OPT,
    seed: int = SEED_OPT,
    workers: int = WORKERS_OPT,
    chunk_size: int = CHUNK_OPT,
    backend: str = BACKEND_OPT,
    address: str | None = ADDRESS_OPT,
    jit: bool = JIT_OPT,
    report: Path | None = typer.Option(None, "--report", help="Also write an HTML report to this file."),
    json_out: bool = typer.Option(False, "--json", help="Print the comparison as JSON on stdout (nothing else)."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar."),
    no_save: bool = typer.Option(False, "--no-save", help="Do not save the comparison in the run store."),
) -> None:
    """Run several plans on the same sampled worlds and report paired differences with 95% intervals.

    \b
    Example: crunchtime compare --plans clymer,stop-now,build-faster --scenario default --samples 4000
    On a Ray cluster: crunchtime compare --samples 100000 --backend ray --address auto
    """
    names = [p.strip() for p in plans.split(",") if p.strip()] or [n for n, _ in api.list_plans()]
    if report is not None and no_save:
        raise api.InputError("--report", None, "a report needs the saved run; drop --no-save")
    if report is not None:
        check_writable(report)
    with progress_bar(f"simulating {len(names)} plans", not (quiet or json_out)) as cb:
        result = api.compare(
            scenario,
            names,
            samples=samples,
            seed=seed,
            chunk_size=chunk_size,
            workers=workers,
            progress=cb,
            backend=backend,
            address=address,
            jit=jit,
        )
    summary = result.summary()
    run_id = None if no_save else api.save_run(result)
    report_path = None
    if report is not None and run_id:
        with progress_bar("drawing the report", not (quiet or json_out)) as cb:
            report_path = api.write_report(run_id, report, progress=cb)
    if json_out:
        extra = {"run_id": run_id} if run_id else {}
        if report_path:
            extra["report"] = str(report_path)
        typer.echo(json.dumps(summary | extra, indent=1))
        return
    _print_comparison(result, summary)
    if run_id:
        out.print(f"saved as run [bold]{run_id}[/]")
    if report_path:
        out.print(f"report: {report_path}")


def _print_horizon(per_plan: dict[str, dict[str, Any]], n: int) -> None:
    """The risk worlds unresolved at the horizon still carry, and P(catastrophe) with and without it."""
    months = next(iter(per_plan.values()))["horizon_risk"]["months_after"]
    h = Table(
        title=f"Risk left at the horizon (%): worlds still unresolved, and the chance of catastrophe within "
        f"{months} months after it at their last month's hazard"
    )
    h.add_column("plan", no_wrap=True)
    for c in ("catastrophe by horizon", "unresolved", f"within {months} months after", "catastrophe with it"):
        h.add_column(c, justify="right", no_wrap=True)
    for name, s in per_plan.items():
        r = s["horizon_risk"]
        h.add_row(
            name,
            *[
                _pm(r[k], n)
                for k in (
                    "catastrophe_by_horizon",
                    "unresolved",
                    "catastrophe_after_horizon",
                    "catastrophe_with_horizon_risk",
                )
            ],
        )
    out.print(h)


def _print_comparison(result: api.ComparisonResult, summary: dict[str, Any]) -> None:
    n, seed = summary["samples"], summary["seed"]
    t = Table(
        title=f"Outcome probabilities (%) on {summary['scenario']}: {n} trajectories per plan, common random "
        f"numbers, seed {seed}; [low, high] is the 95% Monte Carlo interval"
    )
    t.add_column("plan", no_wrap=True)
    for o in api.OUTCOME_ORDER:
        t.add_column(o.replace("_", " "), justify="right", no_wrap=True)
    for name, s in summary["plans"].items():
        t.add_row(name, *[_pm(s["outcomes"][o], n) for o in api.OUTCOME_ORDER])
    out.print(t)
    for key, order, title in (
        ("world_outcomes", api.WORLD_ORDER, "The world's outcome (%)"),
        ("magma_paths", api.PATH_ORDER, "Magma's path (%)"),
    ):
        w = Table(title=title)
        w.add_column("plan", no_wrap=True)
        for o in order:
            w.add_column(o.replace("_", " "), justify="right", no_wrap=True)
        for name, s in summary["plans"].items():
            w.add_row(name, *[_pm(s[key][o], n) for o in order])
        out.print(w)
    _print_horizon(summary["plans"], n)
    names = result.plans
    if len(names) > 1:  # plan names, not what was typed (my-plan.yaml is the plan my-plan)
        base = names[0]
        d = Table(
            title=f"Paired difference in P(catastrophe) against {base} (95% interval), and with the risk "
            f"left at the horizon ({api.HORIZON_RISK_MONTHS} months after it)"
        )
        d.add_column("plan")
        d.add_column("difference", justify="right")
        d.add_column("95% interval", justify="right")
        d.add_column("with horizon risk", justify="right")
        d.add_column("95% interval ", justify="right")
        with_h = {
            row["b"]: row
            for row in summary.get("world_differences", [])
            if row["a"] == base and row["metric"] == "catastrophe_with_horizon_risk"
        }
        for row in summary["differences"]:
            if row["a"] == base and row["metric"] == "catastrophe":
                cells = []
                for r in (row, with_h.get(row["b"])):
                    if r is None:
                        cells += ["-", "-"]
                        continue
                    d_, lo, hi = (-100 * x + 0.0 for x in (r["diff"], *r["ci95"]))  # + 0.0: no "-0.0"
                    cells += [f"{d_:+.1f} pts", f"[{hi:+.1f}, {lo:+.1f}]"]
                d.add_row(row["b"], *cells)
        out.print(d)
    _beliefs_note()


def check_writable(path: Path) -> None:
    """Refuse, before any simulation, a report path whose folder does not exist (one line, exit 2)."""
    parent = path.expanduser().resolve().parent
    if not parent.is_dir():
        raise api.InputError(str(path), None, f"cannot write the report: folder {parent} does not exist")


@scenarios_app.command("list")
def scenarios_list(json_out: bool = typer.Option(False, "--json", help="Machine-readable output.")) -> None:
    """List the built-in scenarios.

    \b
    Example: crunchtime scenarios list --json
    """
    items = api.list_scenarios()
    if json_out:
        typer.echo(json.dumps([{"name": n, "description": d} for n, d in items], indent=1))
        return
    t = Table(title="Built-in scenarios")
    t.add_column("name")
    t.add_column("description")
    for n, d in items:
        t.add_row(n, d)
    out.print(t)


@scenarios_app.command("show")
def scenarios_show(
    name: str = typer.Argument(..., help="Built-in scenario name or YAML file."),
    json_out: bool = typer.Option(False, "--json", help="Machine-readable output."),
) -> None:
    """Show a scenario's parameters and actors (resolved through `extends`).

    \b
    Example: crunchtime scenarios show clymer-2025
    """
    sc = api.load_scenario(name)
    data: dict[str, Any] = {
        "name": sc.name,
        "description": sc.description,
        "start": sc.start,
        "horizon_months": sc.horizon_months,
        "parameters": {k: v.describe() for k, v in sc.parameters.items()},
        "actors": [{"name": a.name, **{k: v.describe() for k, v in a.fields.items()}} for a in sc.actors],
    }
    if json_out:
        typer.echo(json.dumps(data, indent=1))
        return
    out.print(f"[bold]{sc.name}[/]: {sc.description}\nstart {sc.start}, horizon {sc.horizon_months} months")
    t = Table(title="Parameters")
    t.add_column("name")
    t.add_column("distribution")
    for k, v in data["parameters"].items():
        t.add_row(k, v)
    out.print(t)
    a = Table(title="Actors")
    cols = list(data["actors"][0])
    for c in cols:
        a.add_column(c)
    for row in data["actors"]:
        a.add_row(*[row[c] for c in cols])
    out.print(a)
