"""`crunchtime runs list|show|delete` with --json; unknown ids are one line and exit code 2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from store_helpers import make_run

from crunchtime.cli.main import run_cli
from crunchtime.results.store import RunStore


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("CRUNCHTIME_HOME", str(tmp_path / "home"))
    return tmp_path / "home"


def _json(capsys, argv: list[str]) -> dict:
    run_cli(argv)
    return json.loads(capsys.readouterr().out)


def test_list_show_delete_json(home: Path, capsys) -> None:
    store = RunStore(home)
    ids = [store.save("run", *make_run(i, rows=20)) for i in range(2)]
    listed = _json(capsys, ["runs", "list", "--json"])
    assert [r["run_id"] for r in listed["runs"]] == ids and listed["runs"][0]["seed"] == 0
    shown = _json(capsys, ["runs", "show", ids[1], "--json"])
    assert shown["info"]["run_id"] == ids[1] and shown["tables"]["trajectories"]["rows"] == 20
    assert shown["summary"]["check"] == 1 and len(shown["provenance"]["scenario_sha256"]) == 64
    assert _json(capsys, ["runs", "delete", ids[0], "--json"]) == {"deleted": ids[0]}
    assert [r["run_id"] for r in _json(capsys, ["runs", "list", "--json"])["runs"]] == [ids[1]]


def test_human_output_mentions_runs(home: Path, capsys) -> None:
    rid = RunStore(home).save("run", *make_run(3, rows=5))
    run_cli(["runs", "list"])
    assert rid in capsys.readouterr().out
    run_cli(["runs", "show", rid])
    out = capsys.readouterr().out
    assert "20.0 [18.0, 22.0]" in out  # percent with its 95% interval, as run, compare, the report and the arcade print


@pytest.mark.parametrize("command", ["show", "delete"])
def test_unknown_id_is_one_line_exit_2(home: Path, capsys, command: str) -> None:
    with pytest.raises(SystemExit) as exc:
        run_cli(["runs", command, "20990101-000000-abcdef", "--json"])
    captured = capsys.readouterr()
    assert exc.value.code == 2 and captured.out == ""
    assert "no run" in captured.err and captured.err.count("\n") == 1
