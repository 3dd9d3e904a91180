"""Running the CLI in-process in tests: exit code, stdout and stderr."""

from typing import NamedTuple

from crunchtime.cli.main import run_cli


def cli(capsys, *argv):
    """Run `crunchtime *argv`; return (exit code, stdout, stderr)."""
    code = 0
    try:
        run_cli(list(argv))
    except SystemExit as exc:
        code = exc.code or 0
    out, err = capsys.readouterr()
    return code, out, err


class Result(NamedTuple):
    """What a finished `crunchtime` process shows: its exit code, stdout and stderr."""

    returncode: int
    stdout: str
    stderr: str


def invoke(capsys, *argv) -> Result:
    """`cli`, with the fields of a finished subprocess (`returncode`, `stdout`, `stderr`)."""
    capsys.readouterr()  # only this command's output
    return Result(*cli(capsys, *argv))
