"""The `crunchtime` command: registers each sub-command group and turns input errors into one line."""

from __future__ import annotations

import sys

import typer

from crunchtime.errors import CrunchtimeError

app = typer.Typer(
    name="crunchtime",
    help="Plan a frontier AI developer's safety strategy through crunch time.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


def _register() -> None:
    from crunchtime.cli import crunch, plans, report, runs, simulate, takeoff

    app.command("run")(simulate.run)
    app.command("compare")(simulate.compare)
    app.add_typer(simulate.scenarios_app, name="scenarios")

    app.add_typer(crunch.app, name="crunch")
    app.add_typer(takeoff.app, name="takeoff")
    app.add_typer(runs.app, name="runs")
    app.command("report")(report.report)
    app.add_typer(plans.app, name="plans")
    app.command("validate")(plans.validate)
    app.command("claims")(__import__("crunchtime.cli.claims", fromlist=["claims"]).claims)


_register()


def run_cli(argv: list[str] | None = None) -> None:
    """Entry point: run the typer app; a CrunchtimeError becomes one line on stderr and exit code 2."""
    try:
        app(args=argv, standalone_mode=False)
    except CrunchtimeError as exc:
        print(f"error: {exc}", file=sys.stderr)
        raise SystemExit(2) from None
    except SystemExit:
        raise
    except Exception as exc:  # click usage errors carry their own exit code
        import click

        if isinstance(exc, click.exceptions.ClickException):
            exc.show()
            raise SystemExit(2) from None
        if isinstance(exc, click.exceptions.Abort):
            raise SystemExit(1) from None
        raise
