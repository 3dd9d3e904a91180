"""`crunchtime serve`: bad arguments are one line; a non-local host warns (checked without serving)."""

from __future__ import annotations

from cli_helpers import cli


def test_bad_port_is_one_line(capsys):
    code, out, err = cli(capsys, "serve", "--port", "70000")
    assert code == 2 and err.strip() == "error: --port: must be in 1..65535, got 70000"


def test_serve_help_names_the_example(capsys):
    code, out, _ = cli(capsys, "serve", "--help")
    assert code == 0 and "crunchtime serve --port 8765 --open" in out
