"""`crunchtime crunch ...` commands."""

import typer

app = typer.Typer(help="crunch tools", no_args_is_help=True)
