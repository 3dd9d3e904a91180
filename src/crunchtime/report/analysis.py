"""Report pages of the analyses (optimize, sensitivity, discover, table1): one section per kind.

Each kind's section builder lives in `crunchtime.report.sections.<kind>` and has the signature
`section(summary, tables) -> Section`; this module wraps it in the shared page and style.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa

from crunchtime._version import __version__
from crunchtime.report.page import environment

#: the analyses the run store and report know (each has a section module in crunchtime.report.sections)
KINDS = ("optimize", "sensitivity", "discover", "table1")


@dataclass
class Section:
    """A report section: a title, a lead paragraph, tables (header and rows of text) and SVG figures."""

    title: str
    lead: str
    tables: list[dict[str, Any]] = field(default_factory=list)  # {"caption", "header": [...], "rows": [[...]]}
    figures: list[dict[str, str]] = field(default_factory=list)  # {"id", "title", "caption", "svg"}


def section(summary: Mapping[str, Any], tables: Mapping[str, pa.Table]) -> Section:
    """The section of one analysis' summary (its `to_dict()`), built by its kind's module."""
    kind = summary.get("kind")
    module = importlib.import_module(f"crunchtime.report.sections.{kind}")
    return module.section(summary, tables)


def render_analysis(
    summary: Mapping[str, Any], tables: Mapping[str, pa.Table], provenance: Mapping[str, Any] | None = None
) -> str:
    """A self-contained HTML page for one saved analysis (same inputs, same bytes)."""
    sec = section(summary, tables)
    prov = provenance or {}
    return (
        environment()
        .get_template("analysis.html.j2")
        .render(
            s=sec,
            kind=summary.get("kind"),
            scenario=summary.get("scenario"),
            plans=summary.get("plans") or [],
            seed=summary.get("seed"),
            samples=summary.get("samples"),
            version=__version__,
            wall=prov.get("wall_time_s"),
            page=True,
        )
    )


def render_section_html(summary: Mapping[str, Any], tables: Mapping[str, pa.Table]) -> str:
    """The section alone (for a notebook's rich display)."""
    return environment().get_template("analysis.html.j2").render(s=section(summary, tables), page=False)
