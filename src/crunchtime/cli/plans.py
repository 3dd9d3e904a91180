"""`crunchtime plans list|show` and `crunchtime validate`: browse the built-in plans, check a plan or scenario file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import typer

from crunchtime import api

app = typer.Typer(help="Built-in and user plans: how Magma turns its knobs.", no_args_is_help=True)


def _echo_json(data: Any) -> None:
    typer.echo(json.dumps(data, indent=2, sort_keys=False))


@app.command("list")
def list_plans(json_out: bool = typer.Option(False, "--json", help="Machine-readable output on stdout.")) -> None:
    """List the built-in plans with a one-line description.

    \b
    Example: crunchtime plans list --json
    """
    plans = api.list_plans()
    if json_out:
        _echo_json([{"name": n, "description": d} for n, d in plans])
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title="Built-in plans (crunchtime plans show NAME)")
    table.add_column("name", style="bold", no_wrap=True)
    table.add_column("description")
    from rich.markup import escape

    for name, description in plans:
        table.add_row(escape(name), escape(description))
    Console().print(table)


def plan_summary(plan) -> dict[str, Any]:
    """A plan as JSON-ready data: fields, canonical expressions, observables read, and its YAML (resolved when it
    extends another plan; `extends` lists the plans it builds on, nearest first)."""
    data = plan.to_dict()
    return {
        "name": plan.name,
        "description": plan.description,
        "source": plan.source,
        "extends": list(plan.parents),
        "observables": sorted(plan.observables),
        "params": data["params"],
        "defaults": data["defaults"],
        "rules": data["rules"],
        "yaml": plan.source_text,
    }


@app.command("show")
def show(
    name: str = typer.Argument(..., help="A built-in plan name (see `plans list`) or a plan YAML file."),
    json_out: bool = typer.Option(False, "--json", help="Machine-readable output on stdout."),
) -> None:
    """Show a plan: its knob defaults, its rules in order (first matching rule wins per knob), and its YAML.

    A plan that extends another is shown resolved: every inherited and overridden field in place.

    \b
    Example: crunchtime plans show clymer
    """
    plan = api.load_plan(name)
    if json_out:
        _echo_json(plan_summary(plan))
        return
    from rich.console import Console
    from rich.markup import escape
    from rich.syntax import Syntax
    from rich.table import Table

    console = Console()
    origin = " extends ".join([plan.source, *plan.parents])
    console.print(f"[bold]{escape(plan.name)}[/bold]: {escape(plan.description)}\n[dim]source: {escape(origin)}[/dim]")
    data = plan.to_dict()
    if plan.params:
        table = Table(title="Parameters (usable by name in expressions)")
        table.add_column("name", no_wrap=True)
        table.add_column("value", justify="right")
        for key, value in plan.params.items():
            table.add_row(key, f"{value:g}")
        console.print(table)
    table = Table(title="Knobs: value when no rule applies")
    table.add_column("knob", no_wrap=True)
    table.add_column("default")
    table.add_column("range", no_wrap=True)
    for spec in api.KNOBS:
        given = data["defaults"].get(spec.name)
        shown = _value_text(given) if given is not None else f"[dim]{spec.default:g} (contract)[/dim]"
        table.add_row(spec.name, shown, f"{spec.low:g}-{spec.high:g}" + (" flag" if spec.kind == "action" else ""))
    console.print(table)
    if plan.rules:
        table = Table(title="Rules, in order: for each knob the first rule that holds and sets it wins")
        table.add_column("#", justify="right")
        table.add_column("rule / why")
        table.add_column("when")
        table.add_column("set")
        for i, (rule, raw) in enumerate(zip(plan.rules, data["rules"]), start=1):
            why = f"{escape(rule.name)}\n[dim]{escape(rule.why)}[/dim]" if rule.why else escape(rule.name)
            sets = "\n".join(f"{k} = {_value_text(v)}" for k, v in raw["set"].items())
            table.add_row(str(i), why, _value_text(raw["when"]), sets)
        console.print(table)
    console.print(Syntax(plan.source_text, "yaml", word_wrap=True))


def _value_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:g}"
    from rich.markup import escape

    return escape(str(value))  # no rich markup from user text


def validate(
    file: Path = typer.Argument(..., help="A plan or scenario YAML file.", show_default=False),
    json_out: bool = typer.Option(False, "--json", help="Machine-readable output on stdout."),
) -> None:
    """Check a plan or scenario file; prints a summary, or one line naming file, line and field (exit code 2).

    Plans and scenarios are told apart by their fields (rules, defaults, params against actors, parameters,
    start, horizon_months); a file with neither kind goes by what it extends.

    \b
    Example: crunchtime validate my-plan.yaml --json
    """
    try:
        result = api.validate_file(file)
    except api.CrunchtimeError as exc:
        if json_out:
            _echo_json({"ok": False, "file": str(file), "error": str(exc)})
        raise
    if json_out:
        _echo_json({"ok": True, **result})
    else:
        what = f"{result['kind']} '{result.get('name')}'"
        extra = (
            f", {result['rules']} rule(s), reads {len(result['observables'])} observable(s)"
            if result["kind"] == "plan"
            else ""
        )
        if result.get("extends"):
            extra += f", extends {' extends '.join(result['extends'])}"
        typer.echo(f"ok: {file}: {what}{extra}")
