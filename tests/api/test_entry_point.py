"""The real entry point, `python -m crunchtime`, in a fresh process: its exit codes and output streams.

Everything else about the CLI is tested in process (tests/cli_helpers.py), which is many times faster; these
two cases keep the process boundary honest: the module entry point, exit code 0 with the result on stdout,
exit code 2 with one line on stderr, and results that do not depend on the process computing them."""

import os
import subprocess
import sys

from tests.cli_helpers import invoke


def _fresh(*args, home):
    env = dict(os.environ, CRUNCHTIME_HOME=str(home))
    return subprocess.run(
        [sys.executable, "-m", "crunchtime", *args], capture_output=True, text=True, env=env, timeout=300
    )


def test_run_in_a_fresh_process_prints_what_the_in_process_cli_prints(tmp_path, capsys, monkeypatch):
    args = (
        "run",
        "--scenario",
        "default",
        "--plan",
        "clymer",
        "--samples",
        "256",
        "--seed",
        "3",
        "--json",
        "--no-save",
    )
    fresh = _fresh(*args, home=tmp_path)
    assert fresh.returncode == 0, fresh.stderr
    monkeypatch.setenv("CRUNCHTIME_HOME", str(tmp_path))
    here = invoke(capsys, *args)
    assert here.returncode == 0, here.stderr
    assert fresh.stdout == here.stdout and fresh.stdout.lstrip().startswith("{")


def test_bad_input_in_a_fresh_process_is_one_line_and_exit_2(tmp_path):
    path = tmp_path / "hostile.yaml"
    path.write_text(
        "name: hostile\ndescription: attack\nrules:\n"
        '  - when: "().__class__.__bases__[0].__subclasses__()"\n    set: {velocity: 0}\n',
        encoding="utf-8",
    )
    proc = _fresh("validate", str(path), home=tmp_path)
    assert proc.returncode == 2 and proc.stdout == ""
    assert proc.stderr.splitlines() == [f"error: {path}:4: rules[0].when: attribute access is not allowed (column 3)"]
