"""`crunchtime evidence ...`: turn measured evidence into beliefs and plans (control evaluations' logs)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.table import Table

from crunchtime import api
from crunchtime.api import InputError

app = typer.Typer(
    help="Evidence from evaluations: measured control (Inspect / ControlArena logs) to beliefs to plans.",
    no_args_is_help=True,
)


def _emit_json(doc: Any) -> None:
    sys.stdout.write(json.dumps(doc, indent=2, allow_nan=False, default=float) + "\n")


def _interval(d: Any) -> str:
    return f"{100 * d.estimate:.1f}% [{100 * d.low:.1f}, {100 * d.high:.1f}]"


def _plans(spec: str | None) -> list[str] | None:
    if spec is None:
        return None
    plans = [p.strip() for p in spec.split(",") if p.strip()]
    if not plans:
        raise InputError("--compare", None, "give plan names separated by commas, e.g. clymer,rsp")
    return plans


def _print(ev: Any, plot: str | None, scenario_out: str | None) -> None:
    out = Console()
    table = Table(title=f"Control evaluations (audit budget {ev.protocols[0].audit_budget:g}%)")
    for col in ("protocol", "honest", "attack", "threshold", "caught", "uncaught successful", "safety", "usefulness"):
        table.add_column(col, justify="left" if col == "protocol" else "right")
    for p in ev.protocols:
        table.add_row(
            p.name, str(p.honest_samples), str(p.attack_samples), f"{p.threshold:g}", str(p.caught),
            str(p.uncaught_successful), _interval(p.safety), _interval(p.usefulness),
        )  # fmt: skip
    out.print(table)
    if ev.posterior is None:
        out.print(ev.note)
    else:
        post = ev.posterior
        m = post.measurement
        t = Table(
            title=f"Beliefs: {post.base.name} updated (proxy validity {m.proxy_validity:g}, capability {m.capability:g} "
            f"doublings past TEDAI, {m.control_years:g} control / {m.evaluation_years:g} evaluation team-years)"
        )
        for col in ("parameter", "prior", "posterior"):
            t.add_column(col)
        for k in post.posterior:
            t.add_row(k, post.prior[k], post.posterior[k])
        t.add_row("predicted safety K (mean)", f"{post.prior_safety:.3f}", f"{post.posterior_safety:.3f}")
        out.print(t)
    if ev.comparison is not None:
        c = ev.comparison
        t = Table(title=f"P(catastrophe) under prior and posterior ({c.samples} paired worlds per run, seed {c.seed})")
        for col in ("plan", "prior", "posterior", "moved"):
            t.add_column(col, justify="left" if col == "plan" else "right")
        for plan in c.plans:
            a, b, d = c.prior[plan], c.posterior[plan], c.moved[plan]
            lo, hi = d["ci95"]
            t.add_row(
                plan,
                f"{100 * a['p']:.1f}%",
                f"{100 * b['p']:.1f}%",
                f"{100 * d['diff']:+.1f} [{100 * lo:+.1f}, {100 * hi:+.1f}] pt",
            )
        out.print(t)
        rv = c.realised_value
        change = "unchanged" if c.best_prior == c.best_posterior else f"{c.best_prior} -> {c.best_posterior}"
        out.print(
            f"best plan {change}; realised value of the evidence {100 * rv['diff']:+.1f} pt "
            f"[{100 * rv['ci95'][0]:+.1f}, {100 * rv['ci95'][1]:+.1f}] of P(catastrophe)"
        )
    if plot:
        out.print(f"figure saved to {plot}")
    if scenario_out:
        out.print(f"posterior scenario written to {scenario_out} (crunchtime validate {scenario_out})")


@app.command("control")
def control_cmd(
    logs: list[str] | None = typer.Argument(None, help="Inspect eval logs (.eval or .json) or folders of them."),
    example: bool = typer.Option(False, "--example", help="Use the example logs shipped with crunchtime."),
    audit_budget: float = typer.Option(
        1.0, "--audit-budget", help="Percent of honest runs audited (sets the threshold)."
    ),
    scenario: str = typer.Option("default", "--scenario", help="Prior beliefs: a built-in scenario or a YAML file."),
    protocol: str | None = typer.Option(None, "--protocol", help="Protocol whose counts update the beliefs."),
    capability: float = typer.Option(
        0.0,
        "--capability",
        help="Evaluated model's capability, effective-compute doublings past TEDAI (0: at or below).",
    ),
    control_years: float = typer.Option(
        1.0, "--control-years", help="Team-years of control research behind the protocol."
    ),
    evaluation_years: float = typer.Option(
        1.0, "--evaluation-years", help="Team-years of evaluation methodology behind the protocol."
    ),
    proxy_validity: float = typer.Option(
        0.3, "--proxy-validity", help="How far the evaluation stands for crunch-time deployment, 0..1 (power prior)."
    ),
    compare: str | None = typer.Option(
        None, "--compare", help="Plans to compare under prior and posterior: clymer,rsp."
    ),
    samples: int = typer.Option(2000, "--samples", "-n", help="Worlds per plan in the comparison."),
    seed: int = typer.Option(0, "--seed", help="Seed of the update, the bootstrap and the comparison."),
    scorer: str = typer.Option("max_suspicion_scorer", "--scorer", help="The suspicion scorer in the logs."),
    bootstrap: int = typer.Option(1000, "--bootstrap", help="Bootstrap resamples of the 95% intervals."),
    plot: str | None = typer.Option(None, "--plot", help="Save the safety-vs-audit-budget figure (.png or .svg)."),
    write_scenario: str | None = typer.Option(
        None, "--write-scenario", help="Write the posterior as a scenario YAML that extends the base one."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print JSON only."),
) -> None:
    """Measured control from ControlArena logs: safety and usefulness, the posterior beliefs, and the plans.

    \b
    Example: crunchtime evidence control --example --compare clymer,rsp --write-scenario post.yaml
    """
    if example == bool(logs):
        raise InputError("evidence control", None, "give LOG files or --example (one of them)")
    paths: list[str | Path] = list(api.example_control_logs()) if example else list(logs or [])
    ev = api.control_evidence(
        paths, audit_budget=audit_budget, scenario=scenario, protocol=protocol, capability=capability,
        control_years=control_years, evaluation_years=evaluation_years, proxy_validity=proxy_validity,
        compare=_plans(compare), samples=samples, seed=seed, scorer=scorer, bootstrap=bootstrap,
    )  # fmt: skip
    if plot:
        ev.plot(plot)
    if write_scenario:
        try:
            ev.write_scenario(write_scenario)
        except OSError as exc:
            raise InputError(write_scenario, None, f"cannot write ({exc.strerror or exc})") from None
    if as_json:
        _emit_json(ev.to_dict())
        return
    _print(ev, plot, write_scenario)
