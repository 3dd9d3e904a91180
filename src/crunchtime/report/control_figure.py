"""The control-evidence figure: safety against audit budget per protocol, in the report's style."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import matplotlib

from crunchtime.errors import InputError
from crunchtime.report.figures import WIDTH, _figure, _styled, to_svg
from crunchtime.report.style import PLAN_PALETTE


@_styled
def safety_budget_figure(protocols: Sequence[Any]) -> Any:
    """Safety (caught / (caught + uncaught successful attacks)) against the audit budget, one line per protocol,
    with the 95% bootstrap interval at the measured budget. `protocols`: `ProtocolMeasure`s."""
    fig = _figure(3.4, WIDTH * 0.6)
    ax = fig.subplots()
    for i, p in enumerate(protocols):
        color = PLAN_PALETTE[i % len(PLAN_PALETTE)]
        budgets = [b for b, _ in p.safety_curve]
        ax.plot(budgets, [s for _, s in p.safety_curve], "o-", color=color, lw=1.6, ms=4, label=p.name)
        s = p.safety
        ax.errorbar(
            [p.audit_budget], [s.estimate], yerr=[[s.estimate - s.low], [s.high - s.estimate]],
            fmt="o", color=color, ms=7, capsize=4, lw=1.4, mfc="white", mew=1.6,
        )  # fmt: skip
        ax.annotate(
            f"{100 * s.estimate:.0f}% [{100 * s.low:.0f}, {100 * s.high:.0f}]",
            (p.audit_budget, s.estimate),
            textcoords="offset points",
            xytext=(8, -12),
            fontsize=8.5,
            color=color,
        )
    ax.set_xscale("log")
    ax.xaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _: f"{v:g}%"))
    ax.yaxis.set_major_formatter(matplotlib.ticker.PercentFormatter(1.0, decimals=0))
    ax.set_ylim(0, 1.04)
    ax.set_xlabel("audit budget (share of honest runs audited)")
    ax.set_ylabel("safety")
    ax.set_title("Safety against audit budget")
    if len(protocols) > 1:
        ax.legend(fontsize=8.5, loc="lower right")
    return fig


def save_safety_budget_figure(protocols: Sequence[Any], path: str | Path) -> Path:
    """Save the figure as PNG or SVG (by the suffix); the report's SVG serialisation for .svg."""
    out = Path(path)
    if out.suffix.lower() not in (".png", ".svg"):
        raise InputError(str(out), None, "the figure is written as .png or .svg")
    fig = safety_budget_figure(protocols)
    try:
        if out.suffix.lower() == ".svg":
            out.write_text(to_svg(fig, "control"), encoding="utf-8")
        else:
            fig.savefig(out, dpi=150)
    except OSError as exc:
        raise InputError(str(out), None, f"cannot write the figure ({exc.strerror or exc})") from None
    return out
