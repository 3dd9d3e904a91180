"""`crunchtime optimize`: tune a plan and test it out of sample (a thin shell over crunchtime.api.optimize)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.table import Table

from crunchtime import api
from crunchtime.cli.analysis_output import JSON_OPT, NO_SAVE_OPT, QUIET_OPT, print_saved, save_and_emit
from crunchtime.cli.progress import progress_bar
from crunchtime.cli.simulate import ADDRESS_OPT, BACKEND_OPT, WORKERS_OPT

out = Console(width=None if sys.stdout.isatty() else 140)


def optimize(
    plan: str = typer.Option("clymer", "--plan", "-p", help="Start plan: built-in name or plan YAML file."),
    scenario: str = typer.Option("default", "--scenario", "-s", help="Built-in scenario name or scenario YAML file."),
    trials: int = typer.Option(40, "--trials", help="Candidate plans to evaluate (trial 0 is the start plan)."),
    samples: int = typer.Option(500, "--samples", "-n", help="Trajectories per trial (same worlds for every trial)."),
    seed: int = typer.Option(1, "--seed", help="Seed of the search; the out-of-sample check derives its own."),
    objective: str = typer.Option("catastrophe", "--objective", help="catastrophe (minimise) or utility (maximise)."),
    utility: str = typer.Option(
        "",
        "--utility",
        help="Outcome weights, e.g. pause=1,obsolescence=0.8,self_destruction=0.5,unresolved=0.5,catastrophe=0.",
    ),
    tune_knobs: bool = typer.Option(False, "--tune-knobs", help="Also tune the plan's knob defaults."),
    space: str = typer.Option(
        "", "--space", help="Ranges replacing the default rule: name=lo:hi,... (knob defaults as defaults.KNOB)."
    ),
    sampler: str = typer.Option("", "--sampler", help="tpe (default), cmaes, nsga2 (default with --pareto), random."),
    pareto: bool = typer.Option(False, "--pareto", help="Safety against staying at the frontier: report the front."),
    validation_samples: int = typer.Option(
        0,
        "--validation-samples",
        help="Paired trajectories of the out-of-sample check (default: max(4 x samples, 2000)).",
    ),
    timeout: float = typer.Option(0, "--timeout", help="Seconds after which no new trial starts (0: none)."),
    resume: str = typer.Option("", "--resume", help="Continue the study with this id (same settings)."),
    out_path: Path | None = typer.Option(None, "--out", "-o", help="Write the tuned plan YAML here."),
    workers: int = WORKERS_OPT,
    backend: str = BACKEND_OPT,
    address: str | None = ADDRESS_OPT,
    json_out: bool = JSON_OPT,
    quiet: bool = QUIET_OPT,
    no_save: bool = NO_SAVE_OPT,
) -> None:
    """Tune a plan's params on common random numbers, then test the tuned plan against the start plan on a fresh seed.

    The search scores each candidate by its mean smooth catastrophe risk on the same sampled worlds.
    The claim is the out-of-sample paired difference in P(catastrophe), tuned - start, with a 95% interval.
    Interrupted? Run the same command with --resume STUDY to continue.

    \b
    Example: crunchtime optimize --plan clymer --scenario default --trials 40 --samples 500 --seed 1 --out tuned.yaml
    """
    if out_path is not None and not out_path.expanduser().resolve().parent.is_dir():
        raise api.InputError(str(out_path), None, "cannot write the tuned plan: its folder does not exist")
    study: dict[str, str] = {}

    def started(study_id: str) -> None:
        study["id"] = study_id
        if not (quiet or json_out):
            print(f"study {study_id} (interrupted? add --resume {study_id})", file=sys.stderr)

    try:
        with progress_bar("optimizing", not (quiet or json_out)) as cb:
            result = api.optimize(
                scenario,
                plan,
                trials=trials,
                samples=samples,
                seed=seed,
                objective=objective,
                utility=utility or None,
                tune_knobs=tune_knobs,
                space=space or None,
                sampler=sampler or None,
                pareto=pareto,
                validation_samples=validation_samples or None,
                timeout=timeout or None,
                workers=workers,
                progress=cb,
                resume=resume or None,
                backend=backend,
                address=address,
                on_study=started,
            )
    except KeyboardInterrupt:
        hint = f"; continue with the same command and --resume {study['id']}" if study else ""
        print(f"interrupted{hint}", file=sys.stderr)
        raise SystemExit(130) from None
    if out_path is not None:
        out_path.expanduser().write_text(result.to_dict()["tuned_plan_yaml"], encoding="utf-8")
    data, run_id = save_and_emit(result, json_out, no_save, {"out": str(out_path)} if out_path is not None else None)
    if json_out:
        return
    _print(data)
    if out_path is not None:
        out.print(f"tuned plan written to {out_path} (crunchtime validate {out_path})")
    print_saved(out, run_id, "optimize")


def _pp(x: float) -> str:
    return f"{100 * x:+.2f}"


def _print(d: dict[str, Any]) -> None:
    t = Table(
        title=f"{d['start_plan']} -> {d['tuned_plan']} on {d['scenario']}: {d['trials_completed']} trials x "
        f"{d['samples']} trajectories (seed {d['seed']}, sampler {d['sampler']}, objective {d['objective']})"
    )
    for c in ("parameter", "range", "start", "tuned"):
        t.add_column(c, justify="left" if c == "parameter" else "right")
    for name, dim in d["space"].items():
        tuned = d["best_params"][name]
        mark = "" if tuned == dim["start"] else "[bold]"
        t.add_row(name, f"{dim['low']:g}..{dim['high']:g} ({dim['rule']})", f"{dim['start']:g}", f"{mark}{tuned:.4g}")
    out.print(t)
    key = "catastrophe risk" if d["objective"] == "catastrophe" or d["pareto"] else "utility"
    out.print(
        f"in sample (search seed, mean {key}): start {d['in_sample']['start']:.4f}, best "
        f"{d['in_sample']['best']:.4f} (trial {d['best_trial']}); biased towards the winner, hence:"
    )
    o = d["out_of_sample"]
    lo, hi = o["ci95"]
    out.print(
        f"out of sample (seed {d['validation_seed']}, {o['samples']} paired trajectories): P(catastrophe) "
        f"start {100 * o['start']:.2f}%, tuned {100 * o['tuned']:.2f}%, tuned - start {_pp(o['diff'])} pp "
        f"[95% {_pp(lo)}, {_pp(hi)}]"
    )
    r = d["out_of_sample_risk"]
    out.print(
        f"  same worlds, smooth catastrophe risk: {_pp(r['diff'])} pp [95% {_pp(r['ci95'][0])}, {_pp(r['ci95'][1])}]"
    )
    verdict = {
        "better": "[green]The tuned plan lowers P(catastrophe): the interval excludes zero.[/]",
        "worse": "[red]The tuned plan raises P(catastrophe) out of sample: keep the start plan.[/]",
        "inconclusive": "[yellow]The interval includes zero: no evidence the tuned plan beats the start plan "
        "out of sample (more trials or samples may help).[/]",
    }[d["verdict"]]
    out.print(verdict)
    if d["pareto"]:
        front = sorted(d["pareto_front"], key=lambda p: p["catastrophe_risk"])
        out.print(
            "Pareto front (trial: catastrophe risk, share at the frontier): "
            + "; ".join(f"{p['trial']}: {p['catastrophe_risk']:.3f}, {p['frontier']:.3f}" for p in front)
        )
    if d["at_bound"]:
        out.print(
            f"at the edge of the search range: {', '.join(d['at_bound'])} (the best value may lie beyond; "
            "widen with --space NAME=LOW:HIGH)"
        )
    if d["stopped"] == "timeout":
        out.print(
            f"stopped by --timeout after {d['trials_completed']} of {d['trials_requested']} trials; "
            f"continue with --resume {d['study']}"
        )
    out.print(f"study {d['study']}", style="dim")
