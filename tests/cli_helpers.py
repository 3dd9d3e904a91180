"""Running the CLI in-process in tests: exit code, stdout and stderr."""

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
