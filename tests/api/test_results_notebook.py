"""Results read well in a terminal and a notebook: short reprs, HTML tables, pandas frames, honest zeros."""

import pytest

import crunchtime as ct


@pytest.fixture(scope="module")
def cmp():
    return ct.compare("default", ["clymer", "stop-now"], samples=512, seed=2)


def test_reprs_are_a_line_or_two(cmp):
    for obj in (ct.load_scenario("default"), ct.load_plan("clymer")):
        text = repr(obj)
        assert len(text.splitlines()) <= 2 and len(text) < 600, text
    # results add a line each for the world's outcome, Magma's path and the risk left at the horizon (issue 25)
    for obj in (cmp, cmp["clymer"]):
        text = repr(obj)
        assert len(text.splitlines()) <= 5 and len(text) < 1000, text
    assert "world: catastrophe" in repr(cmp["clymer"]) and "Magma: chose_self_destruction" in repr(cmp["clymer"])
    assert "risk left at the horizon" in repr(cmp["clymer"]) and "past the horizon" in repr(cmp)
    assert repr(cmp["clymer"]).startswith("SimulationResult(plan='clymer', scenario='default', samples=512, seed=2)")
    assert "catastrophe" in repr(cmp["clymer"]) and "stop-now" in repr(cmp)


def test_html_tables(cmp):
    html = cmp._repr_html_()
    assert html.count("<table>") == 5 and "Paired difference" in html and "not forecasts" in html
    assert (
        "trustworthy_obsolescence" in html and "chose_self_destruction" in html and "Risk left at the horizon" in html
    )
    res_html = cmp["clymer"]._repr_html_()
    assert (
        res_html.count("<table>") == 6 and "first_dangerous_ai" in res_html and "trustworthy_obsolescence" in res_html
    )
    assert "<table>" in ct.load_scenario("default")._repr_html_()
    plan_html = ct.load_plan("clymer")._repr_html_()
    assert "join-coordinated-pause" in plan_html and "lagging_months" in plan_html


def test_html_escapes_user_text(tmp_path):
    f = tmp_path / "x.yaml"
    f.write_text('name: x\ndescription: "<script>alert(1)</script>"\n')
    assert "<script>" not in ct.load_plan(str(f))._repr_html_()


def test_to_pandas(cmp):
    res = cmp["clymer"]
    traj = res.to_pandas()
    assert len(traj) == 512 and {"outcome", "outcome_month", "catastrophe_source"} <= set(traj.columns)
    summary = res.to_pandas("summary")
    outcomes = summary[summary.kind == "outcomes"]
    assert outcomes.p.sum() == pytest.approx(1.0)
    assert outcomes.set_index("name").p["catastrophe"] == pytest.approx((traj.outcome == "catastrophe").mean())
    both = cmp.to_pandas("trajectories")
    assert list(both.plan.unique()) == ["clymer", "stop-now"] and len(both) == 1024
    diffs = cmp.to_pandas("differences")
    assert (diffs.ci95_low <= diffs["diff"]).all() and (diffs["diff"] <= diffs.ci95_high).all()
    with pytest.raises(ct.ArgumentError, match=r"^table: must be one of"):
        res.to_pandas("nope")


def test_zero_probabilities_use_the_rule_of_three():
    assert ct.format_probability(0.0, 0.0, 2000) == "<0.15% (0 of 2000)"
    assert ct.format_probability(1.0, 0.0, 2000) == ">99.85% (2000 of 2000)"
    assert ct.format_probability(0.0, 0.0, 256) == "<1.2% (0 of 256)"
    assert ct.format_probability(0.25, 0.01, 2000) == "25.0 [23.0, 27.0]"  # the 95% interval, 1.96 standard errors
    assert ct.format_probability(0.0005, 0.0005, 2000) == "0.1 [0.0, 0.1]"  # one event: not a zero, clipped at 0


def test_public_functions_have_numpy_docstrings():
    import inspect

    missing = []
    for name in ct.__all__:
        obj = getattr(ct, name)
        if inspect.isfunction(obj):
            doc = inspect.getdoc(obj) or ""
            if not all(s in doc for s in ("Parameters", "Returns", "Examples")) and not all(
                s in doc for s in ("Returns", "Examples")
            ):
                missing.append(name)
    assert not missing, f"public functions without Parameters/Returns/Examples: {missing}"


def test_one_source_for_names():
    from crunchtime.model import state
    from crunchtime.report import style

    assert ct.OUTCOMES is state.OUTCOMES and ct.MILESTONES is state.MILESTONES and ct.SOURCES is state.SOURCES
    assert set(ct.OUTCOME_ORDER) == set(state.OUTCOMES) and ct.OUTCOME_ORDER[-1] == "unresolved"
    assert style.OUTCOMES == ct.OUTCOME_ORDER and style.MILESTONES == state.MILESTONES


def test_save_and_load_with_provenance(tmp_path):
    res = ct.simulate("default", "clymer", samples=256, seed=4)
    run_id = ct.save_run(res, home=tmp_path)
    stored = ct.load_run(run_id, home=tmp_path)
    prov = stored.provenance
    assert prov["seed"] == 4 and prov["samples"] == 256 and prov["scenario_name"] == "default"
    assert prov["scenario_text"] == res.scenario.source_text
    assert prov["plans"]["clymer"]["text"] == ct.load_plan("clymer").source_text
    assert prov["started_at"] and prov["wall_time_s"] > 0
    assert [i.run_id for i in ct.list_runs(home=tmp_path)] == [run_id]
    assert stored.summary == res.summary()
    ct.delete_run(run_id, home=tmp_path)
    assert ct.list_runs(home=tmp_path) == []
