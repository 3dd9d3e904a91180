"""`crunchtime run`, `crunchtime compare` and `crunchtime scenarios ...`: thin shells over crunchtime.api."""

from __future__ import annotations

import json
import sys
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.table import Table

from crunchtime import api
from crunchtime.cli.progress import progress_bar
from crunchtime.engine import DEFAULT_CHUNK
from crunchtime.errors import InputError
from crunchtime.result import EXCLUSIVE, ComparisonResult
from crunchtime.scenario import builtin_scenarios, load_scenario

scenarios_app = typer.Typer(help="List and show scenarios (beliefs).", no_args_is_help=True)
out = Console(width=None if sys.stdout.isatty() else 140)  # piped output: wide enough for the tables

SCENARIO_OPT = typer.Option("default", "--scenario", "-s", help="Built-in scenario name or a scenario YAML file.")
SAMPLES_OPT = typer.Option(2000, "--samples", "-n", help="Monte Carlo trajectories (per plan).")
SEED_OPT = typer.Option(0, "--seed", help="Random seed; the same inputs and seed give identical results.")
WORKERS_OPT = typer.Option(1, "--workers", "-j", help="Processes; results do not depend on it.")
CHUNK_OPT = typer.Option(DEFAULT_CHUNK, "--chunk-size", help="Trajectories per work unit (multiple of 256); "
                         "results do not depend on it.")


def _pm(entry: dict[str, float]) -> str:
    return f"{entry['p'] * 100:.1f}±{entry['se'] * 100:.1f}"


def _save(result, kind: str, scenario_text: str, started: datetime, wall: float, no_save: bool) -> str | None:
    if no_save:
        return None
    from crunchtime.store import RunStore
    from crunchtime.store.provenance import make_provenance

    res = result.results if isinstance(result, ComparisonResult) else {result.plan_name: result}
    first = next(iter(res.values()))
    prov = make_provenance(scenario_name=first.scenario.name, scenario_text=scenario_text,
                           plans={k: v.extra.get("plan_source_text") for k, v in res.items()},
                           seed=first.seed, samples=first.samples, started_at=started, wall_time_s=wall)
    return RunStore().save(kind, prov, result.summary(), result.tables())


def _print_run(summary: dict[str, Any]) -> None:
    t = Table(title=f"{summary['plan']} on {summary['scenario']} ({summary['samples']} trajectories, seed "
              f"{summary['seed']}); ± is one Monte Carlo standard error")
    t.add_column("outcome")
    t.add_column("probability (%)", justify="right")
    for k, v in summary["outcomes"].items():
        t.add_row(k, _pm(v))
    out.print(t)
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
        r.add_row(k, _pm(v))
    out.print(r)


def run(
    scenario: str = SCENARIO_OPT,
    plan: str = typer.Option("clymer", "--plan", "-p", help="Built-in plan name or a plan YAML file."),
    samples: int = SAMPLES_OPT, seed: int = SEED_OPT, workers: int = WORKERS_OPT, chunk_size: int = CHUNK_OPT,
    json_out: bool = typer.Option(False, "--json", help="Print the result as JSON on stdout (nothing else)."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar."),
    no_save: bool = typer.Option(False, "--no-save", help="Do not save the run in the run store."),
) -> None:
    """Simulate one plan on one scenario and print outcome probabilities, milestones and risk.

    Example: crunchtime run --scenario default --plan clymer --samples 4000 --seed 1 --json
    """
    _check_chunk(chunk_size)
    sc = load_scenario(scenario)
    started, t0 = datetime.now(timezone.utc), time.perf_counter()
    with progress_bar("simulating", not (quiet or json_out)) as cb:
        result = api.simulate(sc, plan, samples=samples, seed=seed, chunk_size=chunk_size, workers=workers,
                              progress=cb)
    summary = result.summary()
    run_id = _save(result, "run", sc.source_text, started, time.perf_counter() - t0, no_save)
    if json_out:
        typer.echo(json.dumps(summary | ({"run_id": run_id} if run_id else {}), indent=1))
        return
    _print_run(summary)
    if run_id:
        out.print(f"saved as run [bold]{run_id}[/] (crunchtime report {run_id} -o report.html)")


def compare(
    plans: str = typer.Option("", "--plans", help="Comma-separated plan names or files (default: every built-in plan)."),
    scenario: str = SCENARIO_OPT, samples: int = SAMPLES_OPT, seed: int = SEED_OPT, workers: int = WORKERS_OPT,
    chunk_size: int = CHUNK_OPT,
    report: Path | None = typer.Option(None, "--report", help="Also write an HTML report to this file."),
    json_out: bool = typer.Option(False, "--json", help="Print the comparison as JSON on stdout (nothing else)."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar."),
    no_save: bool = typer.Option(False, "--no-save", help="Do not save the comparison in the run store."),
) -> None:
    """Run several plans on the same sampled worlds and report paired differences with 95% intervals.

    Example: crunchtime compare --plans clymer,stop-now,build-faster --scenario default --samples 4000
    """
    _check_chunk(chunk_size)
    from crunchtime.plans import list_builtin_plans

    names = [p.strip() for p in plans.split(",") if p.strip()] or [n for n, _ in list_builtin_plans()]
    if report is not None and no_save:
        raise InputError("--report", None, "a report needs the saved run; drop --no-save")
    if report is not None:
        _check_writable(report)
    sc = load_scenario(scenario)
    plan_objs = [api.load_plan(n) for n in names]
    started, t0 = datetime.now(timezone.utc), time.perf_counter()
    with progress_bar(f"simulating {len(plan_objs)} plans", not (quiet or json_out)) as cb:
        result = api.compare(sc, plan_objs, samples=samples, seed=seed, chunk_size=chunk_size, workers=workers,
                             progress=cb)
    summary = result.summary()
    run_id = _save(result, "compare", sc.source_text, started, time.perf_counter() - t0, no_save)
    report_path = None
    if report is not None and run_id:
        from crunchtime.report import write_report
        from crunchtime.store import RunStore

        report_path = write_report(RunStore().load(run_id), report)
    if json_out:
        extra = {"run_id": run_id} if run_id else {}
        if report_path:
            extra["report"] = str(report_path)
        typer.echo(json.dumps(summary | extra, indent=1))
        return
    t = Table(title=f"Outcome probabilities (%) on {sc.name}: {samples} trajectories per plan, common random "
              f"numbers, seed {seed}; ± is one Monte Carlo standard error")
    t.add_column("plan", no_wrap=True)
    for o in EXCLUSIVE:
        t.add_column(o.replace("_", " "), justify="right", no_wrap=True)
    for name, s in summary["plans"].items():
        t.add_row(name, *[_pm(s["outcomes"][o]) for o in EXCLUSIVE])
    out.print(t)
    base = names[0] if len(names) > 1 else None
    if base:
        d = Table(title=f"Paired difference in P(catastrophe) against {base} (95% interval)")
        d.add_column("plan")
        d.add_column("difference", justify="right")
        d.add_column("95% interval", justify="right")
        for row in summary["differences"]:
            if row["a"] == base and row["metric"] == "catastrophe":
                lo, hi = row["ci95"]
                d.add_row(row["b"], f"{-row['diff'] * 100:+.1f} pts", f"[{-hi * 100:+.1f}, {-lo * 100:+.1f}]")
        out.print(d)
    if run_id:
        out.print(f"saved as run [bold]{run_id}[/]")
    if report_path:
        out.print(f"report: {report_path}")


def _check_chunk(chunk_size: int) -> None:
    from crunchtime.engine import BLOCK

    if chunk_size <= 0 or chunk_size % BLOCK:
        raise InputError("--chunk-size", None, f"must be a positive multiple of {BLOCK}, got {chunk_size}")


def _check_writable(path: Path) -> None:
    parent = path.expanduser().resolve().parent
    if not parent.is_dir():
        raise InputError(str(path), None, f"cannot write the report: folder {parent} does not exist")


@scenarios_app.command("list")
def scenarios_list(json_out: bool = typer.Option(False, "--json", help="Machine-readable output.")) -> None:
    """List the built-in scenarios.

    Example: crunchtime scenarios list --json
    """
    items = builtin_scenarios()
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
def scenarios_show(name: str = typer.Argument(..., help="Built-in scenario name or YAML file."),
                   json_out: bool = typer.Option(False, "--json", help="Machine-readable output.")) -> None:
    """Show a scenario's parameters and actors (resolved through `extends`).

    Example: crunchtime scenarios show clymer-2025
    """
    sc = load_scenario(name)
    data = {"name": sc.name, "description": sc.description, "start": sc.start, "horizon_months": sc.horizon_months,
            "parameters": {k: v.describe() for k, v in sc.parameters.items()},
            "actors": [{"name": a.name, **{k: v.describe() for k, v in a.fields.items()}} for a in sc.actors]}
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
