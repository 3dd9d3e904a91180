"""The HTML report: every figure present and drawn, self-contained, probabilities with intervals."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pyarrow as pa
import pytest
from dom_check import COMPARE_FIGURE_IDS, FIGURE_IDS, figures_in
from synth_result import make_provenance, make_result

from crunchtime.errors import InputError
from crunchtime.report import data as D
from crunchtime.report import render_report, write_html
from crunchtime.report.style import OUTCOME_COLORS, fmt_diff, fmt_prob


def test_every_figure_is_drawn(five_plan_html: str) -> None:
    figs = figures_in(five_plan_html)
    for fid in COMPARE_FIGURE_IDS:
        assert fid in figs, fid
        assert figs[fid]["svg"] >= 1 and figs[fid]["path"] > 10, (fid, figs[fid])


def test_report_is_self_contained(five_plan_html: str) -> None:
    html = five_plan_html
    assert "<script" not in html and "<link" not in html and "@import" not in html
    assert not re.search(r'(?:src|href)\s*=\s*"(?:https?:)?//', html)
    assert not re.search(r"url\(\s*['\"]?(?:https?:)?//", html)


def test_outcome_colours_are_shared_across_figures(five_plan_html: str) -> None:
    blocks = dict(re.findall(r'<figure id="([^"]+)">(.*?)</figure>', five_plan_html, flags=re.S))
    for fid in ("fig-outcomes", "fig-outcome-timelines", "fig-differences"):
        for outcome in ("catastrophe", "coordinated_pause", "self_destruction"):
            assert OUTCOME_COLORS[outcome] in blocks[fid], (fid, outcome)


def test_every_printed_probability_has_its_interval(five_plan_html: str) -> None:
    cells = re.findall(r"<td>([^<]*%[^<]*)(?:<|$)", five_plan_html)
    assert len(cells) > 100
    for cell in cells:  # a 95% interval, or for an exact 0 or 1 the rule-of-three bound with its count
        assert re.fullmatch(r"[0-9.]+% \[[0-9.]+,\xa0[0-9.]+\]", cell) or re.fullmatch(
            r"(&lt;|&gt;)[0-9.]+% \((0|\d+)\xa0of\xa0\d+\)", cell
        ), cell
    diffs = re.findall(r"<td>([^<]* pp [^<]*)</td>", five_plan_html)
    assert len(diffs) == 50 and all("[" in d for d in diffs)


def test_outcome_table_matches_summary(five_plan, five_plan_html: str) -> None:
    summary, _, prov = five_plan
    html = five_plan_html
    p = summary["plans"]["stop-now"]["outcomes"]["self_destruction"]
    assert fmt_prob(p["p"], p["se"]) in html
    assert prov["scenario_sha256"] in html and prov["plans"]["clymer"]["sha256"] in html


def test_single_run_report(tmp_path: Path) -> None:
    summary, tables = make_result(plans=("clymer",), samples=200)
    html = render_report(summary, tables, make_provenance(summary))
    figs = figures_in(html)
    assert all(figs[f]["path"] > 10 for f in FIGURE_IDS)
    assert "fig-differences" not in figs


def test_missing_tables_leave_a_note_not_a_crash(five_plan) -> None:
    summary, tables, _prov = five_plan
    html = render_report(summary, {"trajectories": tables["trajectories"]}, None)
    figs = figures_in(html)
    assert set(COMPARE_FIGURE_IDS) <= set(figs)
    assert figs["fig-knobs"]["svg"] == 0 and "no “quantiles” table" in html
    assert figs["fig-milestones"]["path"] > 10


def test_write_html_errors_are_input_errors(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot write"):
        write_html("<html></html>", tmp_path / "no-such-dir" / "r.html")
    with pytest.raises(InputError, match="is a directory"):
        write_html("<html></html>", tmp_path)
    out = write_html("<p>x</p>", tmp_path / "r.html")
    assert out.read_text() == "<p>x</p>" and [p.name for p in tmp_path.iterdir()] == ["r.html"]


# --- data extraction: exact values on small hand-made tables -------------------------------------


def test_cumulative_outcomes_exact() -> None:
    traj = pa.table(
        {
            "outcome": ["catastrophe", "coordinated_pause", "catastrophe", "unresolved"],
            "outcome_month": [2.0, 1.0, 5.0, float("nan")],
        }
    )
    c = D.cumulative_outcomes(traj, 6)
    assert c.p["catastrophe"].tolist() == [0, 0, 0.25, 0.25, 0.25, 0.5, 0.5]
    assert c.p["coordinated_pause"].tolist() == [0, 0.25, 0.25, 0.25, 0.25, 0.25, 0.25]
    assert c.p["self_destruction"].sum() == 0
    assert np.isclose(c.se["catastrophe"][-1], np.sqrt(0.25 / 4))


def test_milestone_stats_exact() -> None:
    traj = pa.table({"m_tedai": [10.0, 20.0, float("nan"), 30.0], "m_3x_ai_rd": [1.0, 2.0, 3.0, 4.0]})
    stats = D.milestone_stats(traj)
    assert [s.name for s in stats] == ["3x_ai_rd", "tedai"]  # Figure 2 order, not column order
    tedai = stats[1]
    assert tedai.p_reached == 0.75 and tedai.p50 == 20.0 and np.isclose(tedai.p10, 12.0)


def test_risk_stack_sums_to_total(five_plan) -> None:
    _, tables, _ = five_plan
    _months, keys, h = D.risk_stack(tables["risk"], "clymer", "actor", 96)
    total = sum(r["hazard"] for r in D.for_plan(tables["risk"], "clymer").to_pylist())
    assert keys == ["Magma", "Rival-1", "Rival-2"] and np.isclose(h.sum(), total)


def test_formats() -> None:
    assert fmt_prob(0.21, 0.01) == "21.0% [19.0,\xa023.0]"  # no break inside the interval
    assert fmt_diff(-0.031, [-0.05, -0.012]) == "−3.1 pp [−5.0, −1.2]"


def test_exact_zero_and_one_are_shown_with_the_rule_of_three() -> None:
    assert fmt_prob(0.0, 0.0, 2000) == "<0.15% (0\xa0of\xa02000)"
    assert fmt_prob(1.0, 0.0, 2000) == ">99.85% (2000\xa0of\xa02000)"
    assert fmt_prob(0.21, 0.009, 2000) == "21.0% [19.2,\xa022.8]"  # 95% interval, 1.96 standard errors
