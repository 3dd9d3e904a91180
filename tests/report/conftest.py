"""Fixtures: a synthetic five-plan comparison in the result contract's shape, rendered once per session."""

from __future__ import annotations

import pytest
from synth_result import make_provenance, make_result

from crunchtime.report import render_report


@pytest.fixture(scope="session")
def five_plan() -> tuple[dict, dict, dict]:
    summary, tables = make_result()
    return summary, tables, make_provenance(summary)


@pytest.fixture(scope="session")
def five_plan_html(five_plan) -> str:
    summary, tables, provenance = five_plan
    return render_report(summary, tables, provenance)
