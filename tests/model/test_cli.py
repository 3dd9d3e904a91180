"""`crunchtime run`, `compare` and `scenarios`: JSON contracts and one-line errors with exit code 2."""

import json

import pytest
from tests.cli_helpers import invoke


@pytest.fixture
def _cli(capsys, monkeypatch, tmp_path):
    """`crunchtime *args` in this process, with its store in the test's folder."""
    monkeypatch.setenv("CRUNCHTIME_HOME", str(tmp_path))
    return lambda *args: invoke(capsys, *args)


def test_run_json_contract_and_determinism(_cli, tmp_path):
    args = ("run", "--scenario", "default", "--plan", "clymer", "--samples", "256", "--seed", "3", "--json")
    a = _cli(*args, "--no-save")
    b = _cli(*args, "--no-save")
    assert a.returncode == 0, a.stderr
    assert a.stdout == b.stdout
    doc = json.loads(a.stdout)
    assert doc["samples"] == 256 and doc["seed"] == 3
    assert sum(v["p"] for v in doc["outcomes"].values()) == pytest.approx(1.0)
    assert all({"p", "se", "low", "high"} == set(v) for v in doc["outcomes"].values())
    assert all(v["low"] <= v["p"] <= v["high"] for v in doc["outcomes"].values())  # the 95% interval
    for m in doc["milestones"].values():
        assert {"p_reached", "p10", "median", "p90"} <= set(m)
        assert m["median"] is None or (len(m["median"]) == 7 and m["median"][4] == "-")
    assert set(doc["risk_by_source"]) == {"direct", "proliferation", "sabotage", "competition", "human_takeover"}
    assert "coordinated_pause" in doc["events"]


def test_compare_json_saves_and_reports_differences(_cli, tmp_path):
    r = _cli("compare", "--plans", "stop-now,build-faster", "--samples", "256", "--json")
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    assert set(doc["plans"]) == {"stop-now", "build-faster"}
    metrics = {d["metric"] for d in doc["differences"]}
    assert {"catastrophe", "obsolescence", "coordinated_pause", "self_destruction", "unresolved"} <= metrics
    for d in doc["differences"]:
        assert d["ci95"][0] <= d["diff"] <= d["ci95"][1]
    listed = json.loads(_cli("runs", "list", "--json").stdout)
    assert doc["run_id"] in {row["run_id"] for row in listed["runs"]}


@pytest.mark.parametrize(
    "args,needle",
    [
        (("run", "--scenario", "no-such-scenario", "--samples", "10"), "no-such-scenario"),
        (("run", "--plan", "no-such-plan", "--samples", "10"), "no-such-plan"),
        (("run", "--samples", "0"), "--samples"),
        (("run", "--chunk-size", "100", "--samples", "10"), "--chunk-size"),
        (("compare", "--plans", "clymer", "--report", "/no/such/dir/r.html", "--samples", "10"), "does not exist"),
    ],
)
def test_bad_input_is_one_line_exit_2(_cli, tmp_path, args, needle):
    r = _cli(*args)
    assert r.returncode == 2
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and needle in lines[0] and "Traceback" not in r.stderr


def test_bad_scenario_file_names_file_and_field(_cli, tmp_path):
    f = tmp_path / "bad.yaml"
    f.write_text("extends: default\nparameters:\n  returns_r: '3 to 1'\n")
    r = _cli("run", "--scenario", str(f), "--samples", "10")
    assert r.returncode == 2
    assert str(f) in r.stderr and "parameters.returns_r" in r.stderr and len(r.stderr.strip().splitlines()) == 1


def test_scenarios_list_and_show(_cli, tmp_path):
    doc = json.loads(_cli("scenarios", "list", "--json").stdout)
    assert {"default", "clymer-2025"} <= {d["name"] for d in doc}
    show = json.loads(_cli("scenarios", "show", "clymer-2025", "--json").stdout)
    assert show["start"] == "2025-01" and show["actors"][0]["name"] == "Magma"
