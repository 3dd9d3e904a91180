"""`crunchtime takeoff ...` commands."""

import typer

app = typer.Typer(help="takeoff tools", no_args_is_help=True)
