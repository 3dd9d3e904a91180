"""The `crunchtime` command: registers each sub-command group and turns every bad input into one line.

Bad input of any kind (a usage mistake such as `--seed abc`, an unknown option or command, a bad file,
an out-of-range value) prints `error: ...` on one line of stderr and exits with code 2, no traceback.
To add a command, add one line to `COMMANDS` or `GROUPS`.
"""

from __future__ import annotations

import sys
from importlib import import_module
from typing import Any

import typer

from crunchtime.api import ArgumentError, CrunchtimeError

app = typer.Typer(
    name="crunchtime",
    help="Plan a frontier AI developer's safety strategy through crunch time.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    # plain help (no rich markup): it prints `pip install "crunchtime[ray]"` as written and starts in about a
    # tenth of a second; a docstring's `\b` line keeps its example block unwrapped
    rich_markup_mode=None,
)

#: (command name, "module:function") of single commands, in help order
COMMANDS: tuple[tuple[str, str], ...] = (
    ("run", "simulate:run"),
    ("compare", "simulate:compare"),
    ("report", "report:report"),
    ("validate", "plans:validate"),
    ("claims", "claims:claims"),
    ("table1", "table1:table1"),
    ("optimize", "optimize:optimize"),
    ("serve", "serve:serve"),
    ("discover", "discover:discover"),
    ("sensitivity", "sensitivity:sensitivity"),
)
#: (group name, "module:typer app") of command groups
GROUPS: tuple[tuple[str, str], ...] = (
    ("scenarios", "simulate:scenarios_app"),
    ("plans", "plans:app"),
    ("runs", "runs:app"),
    ("crunch", "crunch:app"),
    ("takeoff", "takeoff:app"),
    ("evidence", "evidence:app"),
)


def _attr(spec: str) -> Any:
    module, name = spec.split(":")
    return getattr(import_module(f"crunchtime.cli.{module}"), name)


def _register() -> None:
    for name, spec in COMMANDS:
        app.command(name)(_attr(spec))
    for name, spec in GROUPS:
        app.add_typer(_attr(spec), name=name)


_register()


def _cli_exception_types() -> tuple[type[BaseException], type[BaseException]]:
    """typer's (ClickException, Abort) classes: click's, or the copy of click that newer typer vendors."""
    usage = typer.BadParameter  # a subclass of ClickException in every typer
    click_exc = next(c for c in usage.__mro__ if c.__name__ == "ClickException")
    abort_mod = import_module(click_exc.__module__)
    return click_exc, getattr(abort_mod, "Abort", typer.Abort)


def _one_line(text: str) -> str:
    return " ".join(text.split())


def run_cli(argv: list[str] | None = None) -> None:
    """Entry point: run the typer app; every bad input becomes one line on stderr and exit code 2."""
    click_exc, abort = _cli_exception_types()
    try:
        app(args=argv, standalone_mode=False, prog_name="crunchtime")
    except ArgumentError as exc:
        _fail(exc.as_flag())
    except CrunchtimeError as exc:
        _fail(str(exc))
    except click_exc as exc:
        if type(exc).__name__ == "NoArgsIsHelpError":  # `crunchtime plans` alone: the help, as asked
            print(exc.format_message())  # type: ignore[attr-defined]
            raise SystemExit(0) from None
        _fail(_usage_message(exc))
    except (abort, typer.Abort, KeyboardInterrupt):
        print("aborted", file=sys.stderr)
        raise SystemExit(130) from None
    except typer.Exit as exc:
        raise SystemExit(exc.exit_code) from None


def _usage_message(exc: BaseException) -> str:
    """`Invalid value for '--seed': 'abc' is not a valid integer. (see crunchtime run --help)`."""
    message = _one_line(exc.format_message())  # type: ignore[attr-defined]
    ctx = getattr(exc, "ctx", None)
    path = getattr(ctx, "command_path", None)
    return f"{message} (see {path} --help)" if path else message


def _fail(message: str) -> None:
    print(f"error: {message}", file=sys.stderr)
    raise SystemExit(2) from None
