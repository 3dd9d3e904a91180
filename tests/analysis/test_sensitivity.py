"""`crunchtime sensitivity`: Sobol' indices over the beliefs, the noise floor, switch points, bad input."""

import builtins
import json

import numpy as np
import pytest

from cli_helpers import cli
from crunchtime import api
from crunchtime.analysis.sensitivity_sweeps import crossing
from crunchtime.report.analysis import render_analysis

#: the two beliefs of the small runs: one that drives catastrophe risk, one the default scenario never reads
DRIVER, INERT = "safety_difficulty", "eval_noise"
SMALL = dict(
    base_samples=4, seed=3, parameters=[DRIVER, INERT], replicates=1, switch_top=1, sweep_points=3, sweep_samples=64
)


@pytest.fixture(autouse=True)
def _home(tmp_path, monkeypatch):
    monkeypatch.setenv("CRUNCHTIME_HOME", str(tmp_path))


@pytest.fixture(scope="module")
def small():
    return api.sensitivity("default", "clymer", versus="stop-now", **SMALL)


def test_json_shape(small):
    d = small.to_dict()
    assert d["kind"] == "sensitivity" and d["plans"] == ["clymer", "stop-now"] and d["output"] == "clymer - stop-now"
    assert [set(i) for i in d["indices"]] == [{"parameter", "S1", "S1_ci", "ST", "ST_ci"}] * 2
    assert {i["parameter"] for i in d["indices"]} == {DRIVER, INERT}
    st = [i["ST"] for i in d["indices"]]
    assert st == sorted(st, reverse=True)
    for i in d["indices"]:
        assert i["S1_ci"][0] <= i["S1"] <= i["S1_ci"][1] and i["ST_ci"][0] <= i["ST"] <= i["ST_ci"][1]
    # 4 base samples x (2 + 2) rows, one replicate, plus the noise probe (the 4 A rows on a fresh seed)
    assert d["rows"] == 16 and d["trajectories"] == 16 + 4
    assert 0 <= d["noise"]["share"] <= 1 and d["noise"]["df"] == 3
    [sp] = d["switch_points"]
    assert sp["parameter"] == d["indices"][0]["parameter"]
    assert len(sp["sweep"]) == 3 and all(set(s) >= {"value", "diff", "ci95"} for s in sp["sweep"])
    assert [s["quantile"] for s in sp["sweep"]] == pytest.approx([0.05, 0.5, 0.95])
    assert (sp["quantile"] is not None) == (sp["value"] is not None and sp["within_belief"])
    assert small.tables["rows"].num_rows == 16 and small.tables["sweeps"].num_rows == 3 + 2  # and the range's ends
    json.dumps(d)  # plain JSON


def test_the_driver_outranks_the_inert_belief():
    # build-faster's risk depends on how hard safety is; eval_noise is read by no mechanism of the default
    # scenario's plans
    res = api.sensitivity("default", "build-faster", base_samples=64, seed=2, parameters=[DRIVER, INERT], replicates=2)
    d = res.to_dict()
    by = {i["parameter"]: i for i in d["indices"]}
    assert [i["parameter"] for i in d["indices"]] == [DRIVER, INERT]
    assert by[DRIVER]["ST_ci"][0] > 0 and by[DRIVER]["S1_ci"][0] > 0  # a real effect
    # common random numbers across the Saltelli matrices: an inert belief changes no trajectory, exactly
    assert by[INERT] == {"parameter": INERT, "S1": 0.0, "S1_ci": [0.0, 0.0], "ST": 0.0, "ST_ci": [0.0, 0.0]}
    assert 0 < d["noise"]["share"] < 1 and d["noise"]["df"] == 64 * 4 * 1


def test_same_seed_same_result(small):
    again = api.sensitivity("default", "clymer", versus="stop-now", **SMALL).to_dict()
    first = small.to_dict()
    first.pop("wall_time_s"), again.pop("wall_time_s")
    assert again == first


def test_switch_point_is_found_where_the_sign_flips():
    q = np.linspace(0.05, 0.95, 5)
    values = np.array([1.0, 2.0, 4.0, 8.0, 16.0])
    diff = np.array([-0.04, -0.02, -0.01, 0.01, 0.03])
    lo, hi = diff - 0.005, diff + 0.005
    cross = crossing(q, values, diff, lo, hi)
    assert cross["value"] == pytest.approx(6.0) and cross["quantile"] == pytest.approx(0.5 + 0.225 / 2)
    assert cross["clear"] and cross["crossings"] == 1
    assert crossing(q, values, -np.abs(diff), lo, hi)["value"] is None
    assert not crossing(q, values, diff, diff - 0.1, diff + 0.1)["clear"]  # flips, but within noise


def test_sweep_reports_the_switch_between_clymer_and_stop_now():
    # measured on the default scenario: stopping now wins only if Magma's compute grows slowly (the belief's
    # far low tail), so the sweep spans 0.1%..50% of that belief
    res = api.sensitivity(
        "default",
        "clymer",
        versus="stop-now",
        base_samples=2,
        seed=1,
        parameters=["Magma.compute_growth"],
        replicates=1,
        switch_top=1,
        sweep_points=3,
        sweep_samples=256,
        sweep_range=(0.001, 0.5),
    )
    [sp] = res.to_dict()["switch_points"]
    first, last = sp["sweep"][0], sp["sweep"][-1]
    assert first["diff"] > 0 > last["diff"]
    assert first["value"] < sp["value"] < last["value"] and 0.001 < sp["quantile"] < 0.5 and sp["within_belief"]
    assert sp["note"].startswith(f"stop-now is preferred below {sp['value']:.4g}")
    assert [e["value"] for e in sp["range_ends"]] == [1.0, 100.0]  # the valid range's ends, for context


def test_cli_json_saves_and_reports(capsys, tmp_path):
    code, out, err = cli(
        capsys,
        "sensitivity",
        "--plan",
        "clymer",
        "--base-samples",
        "4",
        "--parameters",
        f"{DRIVER},{INERT}",
        "--replicates",
        "1",
        "--json",
    )
    assert code == 0 and err == ""
    d = json.loads(out)
    assert len(d["indices"]) == 2 and "switch_points" not in d
    stored = api.load_run(d["run_id"])
    assert stored.summary["indices"] == d["indices"]
    page = tmp_path / "sens.html"
    code, out, _ = cli(capsys, "report", d["run_id"], "-o", str(page))
    assert code == 0 and 'id="sobol"' in page.read_text(encoding="utf-8")


def test_cli_table(capsys):
    code, out, _ = cli(
        capsys,
        "sensitivity",
        "--plan",
        "clymer",
        "--base-samples",
        "4",
        "--parameters",
        f"{DRIVER},{INERT}",
        "--replicates",
        "1",
        "--no-save",
        "--quiet",
    )
    assert code == 0 and DRIVER in out and "Simulation noise" in out and "saved as run" not in out


def test_cli_table_with_switch_points(capsys):
    code, out, err = cli(
        capsys,
        "sensitivity",
        "--plan",
        "clymer",
        "--versus",
        "stop-now",
        "--base-samples",
        "4",
        "--parameters",
        f"{DRIVER},{INERT}",
        "--replicates",
        "1",
        "--switch-top",
        "1",
        "--sweep-points",
        "3",
        "--sweep-samples",
        "64",
        "--no-save",
        "--quiet",
    )
    assert code == 0 and err == "" and "clymer - stop-now" in out
    assert any(line.startswith(DRIVER) or line.startswith(INERT) for line in out.splitlines()[-8:])


def test_report_section_draws_bars_and_sweeps(small):
    html = render_analysis(small.to_dict(), small.tables)
    assert 'id="sobol"' in html and 'id="switch"' in html and "Switch points" in html


@pytest.mark.parametrize(
    "argv, flag",
    [
        (("--parameters", "nope"), "--parameters"),
        (("--base-samples", "0"), "--base-samples"),
        (("--versus", "clymer"), "--versus"),
        (("--metric", "joy"), "--metric"),
        (("--parameters", "team_years_per_month"), "--parameters"),  # a constant in the default scenario
        (("--versus", "stop-now", "--sweep-range", "0.5,0.2"), "--sweep-range"),
    ],
)
def test_bad_input_is_one_line_exit_2(capsys, argv, flag):
    code, out, err = cli(capsys, "sensitivity", "--plan", "clymer", *argv)
    assert code == 2 and out == "" and err.count("\n") == 1 and err.startswith(f"error: {flag}")


def test_missing_extra_names_the_install(capsys, monkeypatch):
    real = builtins.__import__

    def no_salib(name, *a, **k):
        if name.startswith("SALib"):
            raise ImportError(name)
        return real(name, *a, **k)

    monkeypatch.setattr(builtins, "__import__", no_salib)
    code, _, err = cli(capsys, "sensitivity", "--plan", "clymer", "--base-samples", "2", "--parameters", DRIVER)
    assert code == 2 and err.count("\n") == 1 and 'pip install "crunchtime[sensitivity]"' in err
