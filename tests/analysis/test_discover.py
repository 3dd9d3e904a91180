"""Scenario discovery (`crunchtime discover`): PRIM boxes where a plan fails or loses, at small sizes."""

import inspect
import json
import sys

import numpy as np
import pyarrow.compute as pc
import pytest

from cli_helpers import cli
from crunchtime import api
from crunchtime.analysis import discover as D
from crunchtime.analysis import discover_boxes as B

N = 400  # worlds for the planted box: safety_difficulty moves clymer's risk a lot, so 400 worlds show it
N_SMALL = 200  # worlds for shape, determinism and the CLI
PLANTED = ["safety_difficulty", "intel_noise_months"]  # a belief that drives catastrophe, and a weak one


@pytest.fixture(autouse=True)
def _home(tmp_path, monkeypatch):
    monkeypatch.setenv("CRUNCHTIME_HOME", str(tmp_path / "home"))


@pytest.fixture(scope="module")
def planted():
    return api.discover("default", "clymer", samples=N, seed=3, parameters=PLANTED)


def test_planted_box_restricts_safety_difficulty_upward_with_density_above_the_base_rate(planted):
    data = planted.to_dict()
    assert data["boxes"], "a driving belief must give at least one box"
    box = data["boxes"][0]
    assert "safety_difficulty" in box["limits"]
    dim = next(d for d in box["dimensions"] if d["parameter"] == "safety_difficulty")
    assert dim["restricted"][0] and dim["limits"][0] > dim["belief_range"][0]  # harder safety: more failure
    assert box["density"] > data["base_rate"]
    assert dim["qp"][0] is not None and dim["qp"][0] < B.QP_MAX  # kept restrictions are significant


def test_json_shape_and_invariants(planted):
    data = json.loads(json.dumps(planted.to_dict(), allow_nan=False))
    assert data["kind"] == "discover" and data["plans"] == ["clymer"] and data["samples"] == N
    assert data["versus"] is None and data["threshold"] == D.DEFAULT_RISK_THRESHOLD
    assert data["cases"] == round(data["base_rate"] * N) and 0 < data["cases"] < N
    assert data["parameters"] == PLANTED
    total = 0.0
    for b in data["boxes"]:
        assert set(b) >= {"limits", "coverage", "density", "mass", "dimensions", "meets_min_density"}
        assert 0 < b["coverage"] <= 1 and 0 < b["density"] <= 1 and D.DEFAULT_MIN_MASS <= b["mass"] <= 1
        assert b["cases"] == round(b["density"] * b["worlds"]) and b["worlds"] == round(b["mass"] * N)
        assert set(b["limits"]) <= set(PLANTED) and b["limits"]  # restricted dimensions only
        for lo, hi in b["limits"].values():
            assert lo <= hi
        total += b["coverage"]
    assert data["coverage_total"] == pytest.approx(total) and total <= 1 + 1e-12
    peeling = planted.tables["peeling"]
    assert peeling.schema == B.PEELING_SCHEMA
    for i in range(len(data["boxes"])):
        rows = peeling.filter(pc.equal(peeling["box"], i))
        assert rows["chosen"].to_pylist().count(True) == 1 and rows["picked"].to_pylist().count(True) == 1
        assert rows["coverage"][0].as_py() <= 1 and rows["step"].to_pylist() == list(range(rows.num_rows))
    worlds = planted.tables["worlds"]
    assert worlds.num_rows == N and sum(worlds["case"].to_pylist()) == data["cases"]


def test_a_synthetic_planted_box_is_found_exactly():
    rng = np.random.default_rng(0)
    x = rng.uniform(size=(1000, 2))
    y = (x[:, 0] > 0.7).astype(int)  # cases exactly where a > 0.7; b is noise
    boxes, _ = B.find_boxes(x, y, ["a", "b"], {"a": "-", "b": "-"}, 0.5, 0.05, 0.05, 3)
    assert len(boxes) == 1  # nothing is left to cover
    b = boxes[0]
    assert list(b["limits"]) == ["a"] and b["limits"]["a"][0] == pytest.approx(0.7, abs=0.02)
    assert b["coverage"] > 0.99 and b["density"] > 0.99 and b["meets_min_density"]  # peeling steps by quantiles


def test_choose_maximises_coverage_times_density_at_the_density_goal():
    cov = np.array([1.0, 0.9, 0.6, 0.3])
    den = np.array([0.2, 0.4, 0.55, 0.9])
    res = np.array([0, 1, 2, 3])
    assert B.choose(cov, den, res, 0.5) == (2, True)  # 0.33 beats 0.27; 0.36 is below the goal
    assert B.choose(cov, den, res, 0.95) == (1, False)  # none reaches the goal: 0.9 * 0.4 = 0.36 is best
    assert B.choose(np.array([1.0, 1.0, 1.0]), np.array([0.3, 0.5, 1.0]), np.array([0, 1, 1]), 0.5) == (2, True)
    assert B.choose(cov, den, np.zeros(4), 0.5) == (-1, False)


def test_same_seed_same_boxes(planted):
    again = api.discover("default", "clymer", samples=N, seed=3, parameters=PLANTED).to_dict()
    assert again == planted.to_dict() and again["boxes"]
    assert planted.tables["peeling"].equals(
        api.discover("default", "clymer", samples=N, seed=3, parameters=PLANTED).tables["peeling"]
    )


def test_cli_json_saves_and_reports(capsys, tmp_path):
    code, out, err = cli(
        capsys,
        "discover",
        "--samples",
        str(N_SMALL),
        "--seed",
        "5",
        "--parameters",
        ",".join(PLANTED),
        "--versus",
        "stop-now",
        "--max-boxes",
        "2",
        "--json",
    )
    assert code == 0, err
    data = json.loads(out)
    run_id = data.pop("run_id")
    expected = api.discover(
        "default", "clymer", samples=N_SMALL, seed=5, parameters=PLANTED, versus="stop-now", max_boxes=2
    ).to_dict()
    assert data == expected
    assert data["plans"] == ["clymer", "stop-now"] and data["threshold"] == D.DEFAULT_LOSS_MARGIN
    assert "catastrophe_risk(clymer) - catastrophe_risk(stop-now)" in data["case"]
    assert data["boxes"] or data["note"]  # a box, or one line saying why there is none
    assert api.load_run(run_id).summary["kind"] == "discover"
    code, out, err = cli(capsys, "report", run_id, "-o", str(tmp_path / "d.html"))
    assert code == 0, err
    html = (tmp_path / "d.html").read_text()
    assert "Scenario discovery" in html and ("Peeling trajectory" in html) == bool(data["boxes"])


def test_cli_text_output_and_no_save(capsys):
    code, out, err = cli(
        capsys, "discover", "--samples", str(N_SMALL), "--parameters", ",".join(PLANTED), "--no-save", "--quiet"
    )
    assert code == 0, err
    assert "base rate" in out and "saved as run" not in out
    assert api.list_runs() == []


@pytest.mark.parametrize(
    "argv, flag",
    [
        (["--samples", "50"], "--samples"),
        (["--parameters", "nope"], "--parameters"),
        (["--parameters", "dangerous_threshold"], "--parameters"),  # a constant of the default scenario
        (["--versus", "clymer"], "--versus"),
        (["--min-density", "2"], "--min-density"),
        (["--max-boxes", "0"], "--max-boxes"),
        (["--plan", "no-such-plan"], "no-such-plan"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(capsys, argv, flag):
    code, out, err = cli(capsys, "discover", *argv)
    assert code == 2 and out == ""
    assert err.startswith("error: ") and flag in err and err.count("\n") == 1


def test_missing_extra_is_one_line_naming_the_install(capsys, monkeypatch):
    for mod in ("ema_workbench", "ema_workbench.analysis", "ema_workbench.analysis.prim"):
        monkeypatch.setitem(sys.modules, mod, None)
    code, _out, err = cli(capsys, "discover", "--samples", str(N_SMALL))
    assert code == 2 and err.count("\n") == 1
    assert 'pip install "crunchtime[discover]"' in err


def test_api_defaults_are_the_module_constants():
    sig = inspect.signature(api.discover).parameters
    assert sig["min_density"].default == D.DEFAULT_MIN_DENSITY
    assert sig["peel_alpha"].default == D.DEFAULT_PEEL_ALPHA
    assert sig["min_mass"].default == D.DEFAULT_MIN_MASS
    assert sig["max_boxes"].default == D.DEFAULT_MAX_BOXES
