"""`crunchtime crunch ...`: plan safety research for crunch time (effective years, scheduling, exchange rate, evidence)."""

from __future__ import annotations

import json
import sys
from contextlib import nullcontext
from dataclasses import fields
from pathlib import Path
from typing import Any

import typer
from rich.console import Console, JustifyMethod
from rich.table import Table

from crunchtime import api
from crunchtime.api import InputError

app = typer.Typer(
    help="Plan safety research before and during crunch time: effective research years, scheduling against "
    "automation timelines, the worth of preparation, and weak-proxy evidence.",
    no_args_is_help=True,
)


def _emit_json(doc: Any) -> None:
    sys.stdout.write(json.dumps(doc, indent=2, allow_nan=False, default=float) + "\n")


def _console() -> Console:
    return Console()


def _fmt(x: float, digits: int = 2) -> str:
    return f"{x:,.{digits}f}"


@app.command("effective-years")
def effective_years_cmd(
    segment: list[str] | None = typer.Option(
        None, "--segment", "-s", help="MONTHS:MULTIPLIER, a stretch of crunch time at an AI speed-up (repeatable)."
    ),
    loss: float = typer.Option(
        0.0, "--loss", help="Share of the speed-up's benefit lost (integration delays, safety taxes), 0..1."
    ),
    run: str | None = typer.Option(
        None, "--run", help="ID of a saved world-model run: use its speed-up paths instead."
    ),
    window: str | None = typer.Option(
        None,
        "--window",
        help="START:END months of the run to count (default: first dangerous AI to deference/deployment).",
    ),
    plan: str | None = typer.Option(
        None, "--plan", help="With --run of a comparison: which plan (default: the first)."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print JSON only."),
) -> None:
    """Research time a window of AI speed-ups holds: effective, calendar and additional years.

    \b
    Example: crunchtime crunch effective-years --segment 12:3 --segment 12:10 --loss 0.5 --json
    """
    if run is not None:
        if segment:
            raise InputError("--run", None, "give either --run or --segment, not both")
        win = api.parse_window(window) if window is not None else None
        doc = api.effective_years_from_run(run, loss, win, plan=plan)
        if as_json:
            _emit_json(doc)
            return
        table = Table(
            title=f"Effective crunch-time research, run {run}, plan {doc['plan']} ({doc['trajectories']} trajectories)"
        )
        table.add_column("years")
        for q in doc["effective_years"]:
            table.add_column(q, justify="right")
        for key in ("calendar_years", "effective_years", "additional_years"):
            table.add_row(key.replace("_years", ""), *[_fmt(v) for v in doc[key].values()])
        _console().print(table)
        return
    if window is not None:
        raise InputError("--window", None, "only applies with --run")
    if not segment:
        raise InputError("--segment", None, "give at least one MONTHS:MULTIPLIER segment (or --run ID)")
    segments = [api.parse_segment(s) for s in segment]
    res = api.effective_years(segments, loss)
    doc = {
        "segments": [{"months": s.months, "multiplier": s.multiplier} for s in segments],
        "loss": loss,
        **res.as_dict(),
    }
    if as_json:
        _emit_json(doc)
        return
    table = Table(title=f"Effective research time (loss {loss:g})")
    for col in ("months", "speed-up", "effective months"):
        table.add_column(col, justify="right")
    for s in segments:
        table.add_row(
            _fmt(s.months, 1), f"{s.multiplier:g}x", _fmt(float(s.months * api.effective_rate(s.multiplier, loss)))
        )
    _console().print(table)
    _console().print(
        f"calendar {_fmt(res.calendar_years)} y, effective {_fmt(res.effective_years)} y, "
        f"[bold]additional {_fmt(res.additional_years)} y[/bold]"
    )


@app.command("schedule")
def schedule_cmd(
    file: str | None = typer.Argument(None, help="YAML project file (see docs/crunch.md)."),
    example: str | None = typer.Option(None, "--example", help="Use a project file shipped with crunchtime: essay."),
    researchers: int | None = typer.Option(None, "--researchers", "-k", help="Team size (overrides the file)."),
    objective: str | None = typer.Option(
        None, "--objective", help="value (by the deadlines) or makespan (overrides the file)."
    ),
    time_limit: float = typer.Option(10.0, "--time-limit", help="Solver time limit in seconds."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON only."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress display."),
) -> None:
    """Choose start times and order of research projects against automation forecasts; show the naive order beside it.

    \b
    Example: crunchtime crunch schedule --example essay
    """
    path: str | Path
    if file is not None and example is None:
        path = file
    elif example is not None and file is None:
        path = api.example_projects(example)
    else:
        raise InputError("schedule", None, "give a project FILE or --example NAME (one of them)")
    problem = api.load_projects(path, researchers, objective)
    if time_limit <= 0:
        raise InputError("--time-limit", None, "must be > 0 seconds")
    console = Console(stderr=True)
    show = not (as_json or quiet) and sys.stdout.isatty()
    with console.status("solving schedule (CP-SAT)...") if show else nullcontext():
        result = api.solve_schedule(problem, time_limit=time_limit)
    doc = result.to_dict()
    if as_json:
        _emit_json(doc)
        return
    out = _console()
    uncertain = len(problem.scenarios) > 1
    title = f"Plan for {problem.researchers} researcher(s), objective {problem.objective}" + (
        " (expected times over automation scenarios)" if uncertain else ""
    )
    table = Table(title=title)
    has_deadlines = any(row["deadline"] is not None for row in doc["projects"])
    cols: list[tuple[str, JustifyMethod]] = [("project", "left"), ("kind", "left")]
    if problem.researchers > 1:
        cols.append(("res.", "right"))
    cols += [("start", "right"), ("end", "right")]
    if has_deadlines:
        cols += [("deadline", "right"), ("P(on time)", "right")]
    cols += [("naive start", "right"), ("naive end", "right")]
    for col, just in cols:
        table.add_column(col, justify=just, no_wrap=col == "project")
    for row in doc["projects"]:
        cells = [row["name"], row["kind"]] + ([str(row["researcher"])] if problem.researchers > 1 else [])
        cells += [_fmt(row["start"]), _fmt(row["end"])]
        if has_deadlines:
            cells += ["-" if row["deadline"] is None else _fmt(row["deadline"], 1), _fmt(row["p_on_time"])]
        cells += [_fmt(row["naive_start"]), _fmt(row["naive_end"])]
        table.add_row(*cells)
    out.print(table)
    if uncertain:
        sc = Table(title="Automation scenarios")
        for col in ("probability", "automation from month", "makespan", "value", "naive makespan", "naive value"):
            sc.add_column(col, justify="right")
        for s in doc["scenarios"]:
            months = "; ".join(f"{k}: {', '.join(f'{m:g}' for m in v)}" for k, v in s["automation_months"].items() if v)
            sc.add_row(
                _fmt(s["probability"]),
                months,
                _fmt(s["makespan_months"]),
                _fmt(s["value"]),
                _fmt(s["naive_makespan_months"]),
                _fmt(s["naive_value"]),
            )
        out.print(sc)
    exp = "expected " if uncertain else ""
    out.print(
        f"{exp}makespan [bold]{_fmt(doc['makespan_months'])}[/bold] months (naive file order {_fmt(doc['naive_makespan_months'])}); "
        f"{exp}value by the deadlines [bold]{_fmt(doc['expected_value'])}[/bold] of {_fmt(doc['total_value'])} "
        f"(naive {_fmt(doc['naive_expected_value'])}); solver {doc['solver']['status'].lower()} in {doc['solver']['seconds']:.2f} s"
    )


@app.command("exchange-rate")
def exchange_rate_cmd(
    delay_cost_per_day: float = typer.Option(
        1e9, help="$ per day of delayed internal deployment ('a billion dollars of revenue per day')."
    ),
    lab_researchers: float = typer.Option(
        50, help="Safety researchers inside the lab in crunch time ('far fewer ... than the whole community')."
    ),
    community_researchers: float = typer.Option(
        1000, help="Researchers in the community doing pre-crunch (weak-proxy) research."
    ),
    crunch_hours_per_day: float = typer.Option(12, help="Working hours per lab researcher per crunch day."),
    researcher_month_cost: float = typer.Option(25_000, help="$ opportunity cost of one pre-crunch researcher-month."),
    hours_per_month: float = typer.Option(160, help="Working hours in a pre-crunch researcher-month."),
    crunch_days: float = typer.Option(
        90, help="Days of early crunch time (first dangerous model trained to internal deployment)."
    ),
    prep_share: float = typer.Option(
        0.3, help="Share of crunch-time work preparation speeds up (takeaways, tooling, who fits which role)."
    ),
    prep_speedup: float = typer.Option(
        1.1, help="How much faster that share goes after preparation ('slightly speed us up'); 1 = none."
    ),
    prep_months: float = typer.Option(
        12, help="Months the community spends preparing ('months now to save days later')."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print JSON only."),
) -> None:
    """How many pre-crunch months are worth one crunch-time day saved, and whether a preparation programme pays.

    \b
    Example: crunchtime crunch exchange-rate --lab-researchers 30 --prep-share 0.2 --json
    """
    values = dict(locals())
    inp = api.ExchangeInputs(**{f.name: float(values[f.name]) for f in fields(api.ExchangeInputs)})
    doc = api.exchange_rate(inp)
    if as_json:
        _emit_json({**doc, "arguments": api.EXCHANGE_ARGUMENTS})
        return
    out = _console()
    table = Table(title="Exchange rate: pre-crunch months against crunch-time days")
    table.add_column("quantity")
    table.add_column("value", justify="right")
    rows = [
        ("value of a lab researcher-hour in crunch time ($)", _fmt(doc["crunch_hour_value"], 0)),
        ("value of a pre-crunch researcher-hour ($)", _fmt(doc["precrunch_hour_value"], 0)),
        ("one crunch hour is worth this many pre-crunch hours", _fmt(doc["hour_exchange_rate"], 0)),
        (
            "break-even: researcher-months per crunch day saved",
            _fmt(doc["break_even_researcher_months_per_crunch_day"], 0),
        ),
        (
            "break-even: whole-community months per crunch day saved",
            _fmt(doc["break_even_community_months_per_crunch_day"], 2),
        ),
        ("crunch days the programme saves", _fmt(doc["days_saved"], 2)),
        (
            "community months the programme spends per crunch day saved",
            _fmt(doc["programme_community_months_per_crunch_day"], 2),
        ),
        ("benefit / cost of the programme", _fmt(doc["benefit_cost_ratio"], 1)),
        ("prep speed-up needed to break even", _fmt(doc["break_even_prep_speedup"], 4)),
    ]
    for row in rows:
        table.add_row(*row)
    out.print(table)
    out.print("worth it" if doc["worth_it"] else "not worth it", style="bold green" if doc["worth_it"] else "bold red")


@app.command("evidence")
def evidence_cmd(
    prior_mean: float = typer.Option(0.5, help="Prior mean of the crunch-time effect difference, technique A minus B."),
    prior_sd: float = typer.Option(1.0, help="Prior standard deviation of that difference."),
    noise_sd: float = typer.Option(0.5, help="The experiment's nominal measurement noise (standard deviation)."),
    validity: float = typer.Option(
        0.3, help="Proxy validity: correlation of the experiment's result with the crunch-time difference, 0..1."
    ),
    observed: float | None = typer.Option(None, help="An observed experiment result: print both posteriors."),
    plot: str | None = typer.Option(None, "--plot", help="Save a PNG of value of information against validity."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON only."),
) -> None:
    """Value of a weak-proxy experiment to a calibrated and to a naive updater (who treats the proxy as valid).

    \b
    Example: crunchtime crunch evidence --validity 0.2 --observed 1.5 --plot voi.png --json
    """
    try:
        doc = api.weak_proxy_evidence(prior_mean, prior_sd, noise_sd, validity, observed, plot)
    except InputError as exc:
        if plot is None or exc.source != plot:
            raise
        raise InputError("--plot", plot, exc.problem) from None
    if as_json:
        _emit_json(doc)
        return
    out = _console()
    table = Table(
        title=f"Weak-proxy experiment (validity {validity:g}, nominal validity {doc['nominal_validity']:.3f})"
    )
    table.add_column("")
    table.add_column("calibrated", justify="right")
    table.add_column("naive", justify="right")
    table.add_row("value of information", f"{doc['voi_calibrated']:+.4f}", f"{doc['voi_naive']:+.4f}")
    if observed is not None:
        cal, nai = doc["calibrated_posterior"], doc["naive_posterior"]
        table.add_row(
            f"posterior after y = {observed:g}",
            f"N({cal['mean']:.3f}, {cal['sd']:.3f}²)",
            f"N({nai['mean']:.3f}, {nai['sd']:.3f}²)",
        )
        table.add_row("choice", cal["choice"], nai["choice"])
    out.print(table)
    out.print(
        f"decision without the experiment: {doc['decision_now']}; naive updating loses value below validity "
        f"{doc['break_even_validity']:.3f}" + (f"; plot saved to {plot}" if plot else "")
    )
