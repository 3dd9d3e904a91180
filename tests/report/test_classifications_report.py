"""The report carries the world's outcome, Magma's path and the risk left at the horizon (issue 25), and
still renders a run saved before them."""

import crunchtime as ct
from crunchtime.report.render import render_report


def test_report_has_both_classifications_and_the_horizon_risk(tmp_path):
    cmp = ct.compare("default", ["clymer", "rsp"], samples=256, seed=1)
    run_id = ct.save_run(cmp, home=tmp_path)
    html = ct.write_report(run_id, tmp_path / "r.html", home=tmp_path).read_text()
    for needle in (
        'id="world-outcomes"',
        'id="magma-paths"',
        'id="horizon-risk"',
        'id="fig-horizon-risk"',
        "Trustworthy obsolescence",
        "Chose to self-destruct",
        "Was overtaken",
    ):
        assert needle in html, needle


def test_a_summary_saved_before_issue_25_still_renders():
    summary = ct.compare("default", ["clymer", "rsp"], samples=256, seed=1).summary()
    for s in summary["plans"].values():
        for key in ("world_outcomes", "magma_paths", "horizon_risk"):
            s.pop(key)
    summary.pop("world_differences")
    html = render_report(summary, {})
    assert 'id="horizon-risk"' not in html and 'id="fig-horizon-risk"' not in html and "Outcomes" in html
