"""`crunchtime report ID -o FILE`: writes the report of a stored run; bad id or path is one line, exit 2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from dom_check import COMPARE_FIGURE_IDS, figures_in
from synth_result import make_provenance, make_result

from crunchtime.cli.main import run_cli
from crunchtime.results.store import RunStore


@pytest.fixture(scope="module")
def stored(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    home = tmp_path_factory.mktemp("home")
    summary, tables = make_result(plans=("clymer", "stop-now"), samples=150)
    return home, RunStore(home).save("compare", make_provenance(summary), summary, tables)


def test_report_command_writes_html(stored, tmp_path: Path, monkeypatch, capsys) -> None:
    home, run_id = stored
    monkeypatch.setenv("CRUNCHTIME_HOME", str(home))
    out = tmp_path / "r.html"
    run_cli(["report", run_id[:15], "-o", str(out), "--json"])
    reply = json.loads(capsys.readouterr().out)
    assert reply["run_id"] == run_id and Path(reply["path"]) == out.resolve()
    figs = figures_in(out.read_text())
    assert all(figs[f]["path"] > 10 for f in COMPARE_FIGURE_IDS)
    assert run_id in out.read_text()


@pytest.mark.parametrize(
    "args, message",
    [
        (["report", "20990101-000000-ffffff", "-o", "{tmp}/r.html"], "no run"),
        (["report", "{id}", "-o", "{tmp}/missing-dir/r.html"], "cannot write"),
    ],
)
def test_report_errors_are_one_line_exit_2(stored, tmp_path, monkeypatch, capsys, args, message) -> None:
    home, run_id = stored
    monkeypatch.setenv("CRUNCHTIME_HOME", str(home))
    with pytest.raises(SystemExit) as exc:
        run_cli([a.format(tmp=tmp_path, id=run_id) for a in args])
    assert exc.value.code == 2
    err = capsys.readouterr().err.strip()
    assert message in err and "\n" not in err
