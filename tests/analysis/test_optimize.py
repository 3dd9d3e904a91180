"""`crunchtime optimize`: trial 0 is the start plan, the out-of-sample JSON, the tuned plan YAML, determinism,
resuming an interrupted study, the search space and bad input (small sizes: a few trials, <= 256 samples)."""

from __future__ import annotations

import json
import sys

import pytest

from cli_helpers import cli
from crunchtime import api
from crunchtime.analysis.optimize import validation_seed
from crunchtime.analysis.search_space import RANGE_FACTOR, build_space, default_range, parse_space, parse_weights

SMALL = dict(samples=128, validation_samples=256, seed=1)


@pytest.fixture(scope="module")
def home(tmp_path_factory):
    return tmp_path_factory.mktemp("store")


@pytest.fixture(scope="module")
def result(home):
    return api.optimize("default", "clymer", trials=3, home=home, **SMALL)


def test_trial_zero_is_the_start_plan_and_the_best_is_no_worse(result):
    d = result.data
    first = d["trials"][0]
    assert first["start"] and sum(t["start"] for t in d["trials"]) == 1
    assert first["params"] == api.load_plan("clymer").params == d["start_params"]
    assert d["in_sample"]["start"] == first["value"]
    assert d["in_sample"]["best"] <= first["value"]  # the start plan is a candidate, so never worse in sample
    assert d["trials_completed"] == d["trials_requested"] == 3 == result.tables["trials"].num_rows
    assert [t["best_so_far"] for t in d["trials"]] == sorted((t["best_so_far"] for t in d["trials"]), reverse=True)


def test_out_of_sample_json_shape(result):
    d = result.to_dict()
    oos = d["out_of_sample"]
    assert sorted(oos) == ["ci95", "diff", "samples", "start", "tuned"]
    assert oos["samples"] == 256
    assert oos["diff"] == pytest.approx(oos["tuned"] - oos["start"], abs=1e-12)
    assert oos["ci95"][0] <= oos["diff"] <= oos["ci95"][1]
    # 0/1 outcomes on 256 trajectories: probabilities are multiples of 1/256
    assert (oos["start"] * 256) == pytest.approx(round(oos["start"] * 256))
    assert d["validation_seed"] == validation_seed(1) != 1
    assert d["verdict"] == ("better" if oos["ci95"][1] < 0 else "worse" if oos["ci95"][0] > 0 else "inconclusive")
    json.dumps(d)  # all of it is JSON


def test_tuned_plan_yaml_validates_and_loads(result, tmp_path):
    path = tmp_path / "tuned.yaml"
    path.write_text(result.data["tuned_plan_yaml"])
    api.validate_file(path)
    plan = api.load_plan(path)
    assert plan.name == "clymer-tuned"
    assert plan.params == pytest.approx(result.data["best_params"])
    text = path.read_text()
    assert f"crunchtime {api.__version__}" in text and "seed 1" in text and "out of sample" in text


def test_report_section_renders(result):
    html = result._repr_html_()
    assert "Search history" in html and "Out of sample" in html and "clymer-tuned" in html


def test_same_seed_same_result(home):
    a = api.optimize("default", "clymer", trials=2, home=home, samples=64, validation_samples=64, seed=3)
    b = api.optimize("default", "clymer", trials=2, home=home, samples=64, validation_samples=64, seed=3)
    strip = ("study", "tuned_plan_yaml")
    assert {k: v for k, v in a.data.items() if k not in strip} == {k: v for k, v in b.data.items() if k not in strip}
    assert a.data["study"] != b.data["study"]


def test_resume_after_interruption_completes_the_requested_trials(tmp_path):
    seen: dict[str, str] = {}

    def stop_after_two(done, total):
        if done == 2:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        api.optimize(
            "default",
            "clymer",
            trials=4,
            home=tmp_path,
            samples=64,
            validation_samples=64,
            seed=1,
            progress=stop_after_two,
            on_study=lambda s: seen.setdefault("id", s),
        )
    with pytest.raises(api.ArgumentError, match=r"resume.*samples=64, not 128"):
        api.optimize("default", "clymer", trials=4, home=tmp_path, samples=128, seed=1, resume=seen["id"])
    res = api.optimize(
        "default", "clymer", trials=4, home=tmp_path, samples=64, validation_samples=64, seed=1, resume=seen["id"]
    )
    d = res.data
    assert d["resumed"] and d["study"] == seen["id"]
    assert d["trials_completed"] == 4 and len(d["trials"]) == 4
    assert d["trials"][0]["start"] and sum(t["start"] for t in d["trials"]) == 1
    # the resumed search does not repeat the draws made before the interruption
    assert d["trials"][3]["params"] != d["trials"][1]["params"]


def test_pareto_front_is_not_dominated_and_the_choice_keeps_the_frontier(tmp_path):
    d = api.optimize(
        "default", "clymer", trials=4, pareto=True, home=tmp_path, samples=64, validation_samples=64, seed=2
    ).data
    assert d["sampler"] == "nsga2" and d["pareto_front"]
    for p in d["pareto_front"]:
        assert not any(
            t["catastrophe_risk"] <= p["catastrophe_risk"]
            and t["frontier"] >= p["frontier"]
            and (t["catastrophe_risk"] < p["catastrophe_risk"] or t["frontier"] > p["frontier"])
            for t in d["trials"]
        )
    chosen, start = d["trials"][d["best_trial"]], d["trials"][0]
    assert chosen["on_front"] and chosen["frontier"] >= start["frontier"]


def test_at_bound_flags_moved_values_at_the_edge():
    from crunchtime.analysis.optimize import _at_bound
    from crunchtime.analysis.search_space import Dimension

    d = Dimension("lagging_months", 1.5, 24.0, 6.0, False, "factor")
    assert _at_bound(d, 23.9) and _at_bound(d, 1.6) and not _at_bound(d, 12.0)
    assert not _at_bound(Dimension("x", 0.0, 1.0, 1.0), 1.0)  # unmoved: the start value sits on the bound


def test_space_rules_and_overrides():
    assert default_range(0.6) == (0.0, 1.0, "unit")
    assert default_range(6.0) == (6.0 / RANGE_FACTOR, 6.0 * RANGE_FACTOR, "factor")
    assert default_range(-2.0) == (-2.0 * RANGE_FACTOR, -2.0 / RANGE_FACTOR, "factor")
    data = api.load_plan("clymer").to_dict()
    dims = {d.name: d for d in build_space(data, api.KNOBS, False, {"lagging_months": (3, 12)})}
    assert (dims["lagging_months"].low, dims["lagging_months"].high, dims["lagging_months"].rule) == (3, 12, "user")
    assert not any(n.startswith("defaults.") for n in dims)
    knobs = {d.name: d for d in build_space(data, api.KNOBS, True, None)}
    velocity = knobs["defaults.velocity"]
    assert (velocity.low, velocity.high, velocity.start) == (0, 1, 1)
    assert knobs["defaults.join_pause"].integer and not knobs["defaults.prep_share"].integer
    with pytest.raises(api.ArgumentError, match="only with tune_knobs"):
        build_space(data, api.KNOBS, False, {"defaults.velocity": (0, 1)})
    assert parse_space("a=1:2, b=-1:0.5") == {"a": (1.0, 2.0), "b": (-1.0, 0.5)}
    assert parse_weights("pause=1,obsolescence=0.8") == {"coordinated_pause": 1.0, "obsolescence": 0.8}


def test_tune_knobs_searches_defaults(tmp_path):
    d = api.optimize(
        "default",
        "clymer",
        trials=2,
        tune_knobs=True,
        objective="utility",
        utility="pause=1,catastrophe=-1",
        home=tmp_path,
        samples=64,
        validation_samples=64,
        seed=1,
    ).data
    assert "defaults.velocity" in d["best_params"] and d["direction"] == ["maximize"]
    assert d["utility_weights"]["coordinated_pause"] == 1 and d["utility_weights"]["catastrophe"] == -1
    assert sorted(d["out_of_sample_utility"]) == ["ci95", "diff", "samples", "start", "tuned"]
    assert d["in_sample"]["best"] >= d["in_sample"]["start"]  # maximising


@pytest.mark.parametrize(
    "argv, flag",
    [
        (["--trials", "0"], "--trials"),
        (["--space", "nope=0:1"], "--space"),
        (["--space", "pause_will=0.9:0.1"], "--space"),
        (["--space", "pause_will=0.7:0.9"], "--space"),
        (["--space", "pause_will"], "--space"),
        (["--resume", "20260101-000000-abcdef"], "--resume"),
        (["--objective", "speed"], "--objective"),
        (["--sampler", "cmaes", "--pareto"], "--sampler"),
        (["--utility", "doom=1"], "--utility"),
    ],
)
def test_bad_input_is_one_line_exit_2(capsys, monkeypatch, tmp_path, argv, flag):
    monkeypatch.setenv("CRUNCHTIME_HOME", str(tmp_path))
    code, out, err = cli(capsys, "optimize", "--samples", "64", *argv)
    assert code == 2 and out == ""
    assert err.startswith(f"error: {flag}:") and err.count("\n") == 1


def test_missing_extra_is_one_line(capsys, monkeypatch, tmp_path):
    monkeypatch.setenv("CRUNCHTIME_HOME", str(tmp_path))
    monkeypatch.setitem(sys.modules, "optuna", None)  # import optuna -> ImportError
    code, _out, err = cli(capsys, "optimize", "--trials", "2", "--samples", "64")
    assert code == 2 and err.count("\n") == 1
    assert 'pip install "crunchtime[optimize]"' in err


def test_cli_writes_a_valid_plan_and_saves_the_run(capsys, monkeypatch, tmp_path):
    monkeypatch.setenv("CRUNCHTIME_HOME", str(tmp_path))
    out_file = tmp_path / "tuned.yaml"
    code, out, err = cli(
        capsys,
        "optimize",
        "--plan",
        "clymer",
        "--trials",
        "2",
        "--samples",
        "64",
        "--validation-samples",
        "64",
        "--seed",
        "1",
        "--out",
        str(out_file),
        "--json",
    )
    assert code == 0, err
    d = json.loads(out)
    assert sorted(d["out_of_sample"]) == ["ci95", "diff", "samples", "start", "tuned"]
    assert api.load_run(d["run_id"]).summary["out_of_sample"] == d["out_of_sample"]
    code, out, err = cli(capsys, "validate", str(out_file))
    assert code == 0, err


def test_timeout_stops_early_and_cmaes_starts_at_the_start_plan(tmp_path):
    d = api.optimize(
        "default",
        "clymer",
        trials=5,
        timeout=1e-6,
        sampler="cmaes",
        home=tmp_path,
        samples=64,
        validation_samples=64,
        seed=1,
    ).data
    # optuna checks the clock between trials: the start plan runs, then the budget is spent
    assert d["stopped"] == "timeout" and d["trials_completed"] == 1 < d["trials_requested"]
    assert d["best_trial"] == 0 and d["best_params"] == d["start_params"]
    assert d["out_of_sample"]["diff"] == 0.0  # the start plan against itself, on the same worlds
