"""`crunchtime table1`: variant plans, the paired experiments, JSON, CLI and report section (small sizes)."""

from __future__ import annotations

import json

import numpy as np
import pytest
from tests.cli_helpers import cli

from crunchtime import api
from crunchtime.analysis.table1_essay import ESSAY, LEVELS
from crunchtime.analysis.table1_plans import CATEGORIES, CATEGORY_BY_KEY, REFERENCE, variant_plan
from crunchtime.model.knobs import PORTFOLIO_KNOBS
from crunchtime.model.observables import OBSERVABLE_NAMES

SAMPLES = 64  # trajectories per plan: the tests check shape, pairing and mechanisms, not the table's values
AXES = ("safety_per_cost", "use_to_other_developers", "benefit_of_acting_early")
SHORT = "extends: default\nname: short\nhorizon_months: 36\n"
FLAGS = ("reached_3x", "pause_active", "self_destructed", "tedai_reached", "deferred")


@pytest.fixture(scope="module")
def short(tmp_path_factory):
    """The default beliefs over three years, so that 19 plans run in seconds."""
    path = tmp_path_factory.mktemp("sc") / "short.yaml"
    path.write_text(SHORT)
    return api.load_scenario(path)


@pytest.fixture(scope="module")
def result(short):
    return api.table1(short, "clymer", samples=SAMPLES, seed=3)


def _observables(n: int = 4000, seed: int = 0) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    obs = {k: rng.uniform(0, 1, n) for k in OBSERVABLE_NAMES}
    obs.update({k: (rng.uniform(size=n) < 0.5).astype(float) for k in FLAGS})
    obs.update(months_behind_leader=rng.uniform(0, 12, n), months_since_3x=rng.uniform(0, 24, n))
    return obs


def _shares(knobs: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Share of Magma's resources per area, as the engine reads the knobs (weights normalised)."""
    w = np.stack([knobs[k] for k in PORTFOLIO_KNOBS])
    return {k: knobs["safety_share"] * w[i] / w.sum(axis=0) for i, k in enumerate(PORTFOLIO_KNOBS)}


@pytest.mark.parametrize("phase", ["all", "early", "late"])
def test_variant_adds_exactly_the_step_to_its_category_and_nothing_else(phase):
    base, obs = api.load_plan("clymer"), _observables()
    a = base.decide(obs)
    for cat in (*CATEGORIES, REFERENCE):
        b = variant_plan(base, cat, phase, 0.03).decide(obs)
        on = {
            "all": np.ones(obs["reached_3x"].size, bool),
            "early": obs["reached_3x"] == 0,
            "late": obs["reached_3x"] == 1,
        }[phase]
        for k in a:  # every other knob is the base plan's, exactly
            if k != "safety_share" and k not in PORTFOLIO_KNOBS:
                assert np.array_equal(a[k], b[k]), (cat.key, k)
        extra = np.where(on, np.minimum(a["safety_share"] + 0.03, 1) - a["safety_share"], 0)
        assert np.allclose(b["safety_share"], a["safety_share"] + extra)
        sa, sb = _shares(a), _shares(b)
        full = a["safety_share"] + 0.03 <= 1  # below full safety the other areas keep their effort exactly
        for k in PORTFOLIO_KNOBS:
            gain = (
                0.03 * a[k] / sum(a[j] for j in PORTFOLIO_KNOBS)
                if not cat.areas
                else 0.03 / len(cat.areas)
                if k.removeprefix("w_") in cat.areas
                else 0.0
            )
            assert np.allclose(sb[k][full], (sa[k] + np.where(on, gain, 0))[full], atol=1e-12), (cat.key, k)


def test_variant_with_no_step_decides_the_base_plans_knobs():
    base, obs = api.load_plan("clymer"), _observables(seed=1)
    a, b = base.decide(obs), variant_plan(base, CATEGORY_BY_KEY["governance"], "all", 0.0).decide(obs)
    sa, sb = _shares(a), _shares(b)
    assert all(np.allclose(sa[k], sb[k], atol=1e-12) for k in PORTFOLIO_KNOBS)
    assert np.array_equal(a["safety_share"], b["safety_share"])


def test_variants_are_plan_yaml_that_validates_again(tmp_path):
    v = variant_plan(api.load_plan("clymer"), CATEGORY_BY_KEY["nonproliferation"], "early", 0.02)
    path = tmp_path / "v.yaml"
    path.write_text(v.source_text)
    again = api.load_plan(path)
    assert again.params["table1_step"] == 0.02 and again.to_dict() == v.to_dict()


def test_late_variant_leaves_worlds_that_never_reach_3x_untouched(short):
    base = api.load_plan("clymer")
    late = variant_plan(base, CATEGORY_BY_KEY["ai_defense"], "late", 0.05)
    early = variant_plan(base, CATEGORY_BY_KEY["ai_defense"], "early", 0.05)
    cmp = api.compare(short, [base, late, early], samples=SAMPLES, seed=5)
    never = np.isnan(cmp[base.name].milestones[:, api.MILESTONES.index("3x_ai_rd")])
    assert never.any() and (~never).any()  # the test needs both kinds of world
    r = {p: cmp[p].scalars["catastrophe_risk"] for p in cmp.plans}
    assert np.array_equal(r[base.name][never], r[late.name][never])
    assert not np.array_equal(r[base.name][never], r[early.name][never])


def test_more_effort_on_a_category_moves_its_own_stock(short):
    """Mechanisms 2.7 and 2.9: extra security effort raises Magma's security level, extra defense the hardening."""
    base = api.load_plan("clymer")
    sec = variant_plan(base, CATEGORY_BY_KEY["nonproliferation"], "all", 0.05)
    dfn = variant_plan(base, CATEGORY_BY_KEY["ai_defense"], "all", 0.05)
    cmp = api.compare(short, [base, sec, dfn], samples=SAMPLES, seed=2)
    level = {p: cmp[p].scalars["final_security_level"].mean() for p in cmp.plans}
    assert level[sec.name] > level[base.name] and level[sec.name] > level[dfn.name]
    from crunchtime.engine import SERIES_ALL

    i = SERIES_ALL.index("hardening")
    hard = {p: cmp[p].series_mean[:, i].sum() for p in cmp.plans}
    assert hard[dfn.name] > hard[base.name] and hard[dfn.name] > hard[sec.name]


def test_table_has_every_category_with_intervals(result):
    d = result.to_dict()
    assert d["kind"] == "table1" and d["samples"] == SAMPLES and d["seed"] == 3 and d["base_plan"] == "clymer"
    assert [r["category"] for r in d["rows"]] == [c.key for c in CATEGORIES]
    for r in d["rows"]:
        for ax in AXES:
            m = r[ax]
            lo, hi = m["ci95"]
            assert lo <= m["value"] <= hi and hi > lo
            vs = m["vs_reference"]
            assert vs["ci95"][0] <= vs["value"] <= vs["ci95"][1]
            assert r["essay"][ax] == ESSAY[r["category"]][ax]
            assert m["model_tier"] in LEVELS
            assert m["agrees"] is (
                None
                if ESSAY[r["category"]][ax]["rating"] is None
                else m["model_tier"] == ESSAY[r["category"]][ax]["rating"]
            )
    # a category's value minus the reference's is the paired difference of the two (exact algebra)
    for r in d["rows"]:
        for ax in AXES:
            assert r[ax]["value"] - d["reference"][ax]["value"] == pytest.approx(
                r[ax]["vs_reference"]["value"], abs=1e-9
            )
    json.dumps(d, allow_nan=False)  # valid JSON, no NaN
    assert len(result.plans) == 1 + 3 * (len(CATEGORIES) + 1) and "table1" in result.tables


def test_tiers_follow_the_ranks(result):
    d = result.to_dict()
    for ax in AXES:
        order = sorted(d["rows"], key=lambda r: -r[ax]["value"])
        assert [r[ax]["model_tier"] for r in order] == ["high", "high", "medium", "low", "low"]


def test_same_seed_same_table(short, result):
    again = api.table1(short, "clymer", samples=SAMPLES, seed=3)
    assert again.to_dict() == result.to_dict()


def test_report_section_has_the_figure_and_table(result):
    from crunchtime.report.analysis import render_section_html

    html = render_section_html(result.to_dict(), result.tables)
    assert "<svg" in html and "Nonproliferation" in html and "lowest hanging fruit" in html


@pytest.mark.parametrize(
    "argv, field",
    [
        (["--step", "0"], "step"),
        (["--step", "0.5"], "step"),
        (["--samples", "1"], "samples"),
        (["--plan", "no-such-plan"], "no-such-plan"),
        (["--scenario", "nowhere"], "nowhere"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(capsys, argv, field):
    code, out, err = cli(capsys, "table1", "--no-save", "--json", *argv)
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and field in err and "Traceback" not in err


def test_cli_json_saves_and_prints_the_run_id(capsys, tmp_path, monkeypatch):
    """One month: no world can spend a month after 3x, so the early-benefit axis is null (not NaN) everywhere."""
    monkeypatch.setenv("CRUNCHTIME_HOME", str(tmp_path / "home"))
    sc = tmp_path / "month.yaml"
    sc.write_text("extends: default\nname: month\nhorizon_months: 1\n")
    code, out, err = cli(capsys, "table1", "--scenario", str(sc), "--samples", "32", "--seed", "1", "--json")
    assert code == 0, err
    d = json.loads(out)
    assert {"rows", "base_plan", "step", "samples", "seed", "run_id"} <= set(d)
    assert api.load_run(d["run_id"]).summary["rows"] == d["rows"]
    assert d["cost_pp_years"]["late"] == 0
    assert all(
        r["benefit_of_acting_early"]["value"] is None and r["safety_per_cost"]["value"] is not None for r in d["rows"]
    )
    code, out, err = cli(capsys, "table1", "--scenario", str(sc), "--samples", "32", "--no-save")
    assert code == 0 and "Nonproliferation" in out and "n/a" in out and "saved as run" not in out
