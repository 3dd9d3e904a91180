"""Colours, labels and number formats shared by every figure and table of the report.

One colour per outcome (and per plan, source, actor) everywhere, so a reader learns them once.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from crunchtime.model.state import MILESTONES as MILESTONES  # one source for names: the model
from crunchtime.results.result import OUTCOME_ORDER
from crunchtime.results.view import format_probability

OUTCOMES = OUTCOME_ORDER  # the outcomes in the order every table and figure shows them

OUTCOME_LABELS = {
    "catastrophe": "Catastrophe",
    "obsolescence": "Researcher obsolescence",
    "coordinated_pause": "Coordinated pause",
    "self_destruction": "Self-destruction",
    "unresolved": "Unresolved at horizon",
}
OUTCOME_COLORS = {
    "catastrophe": "#c0392b",
    "obsolescence": "#2471a3",
    "coordinated_pause": "#229954",
    "self_destruction": "#ca6f1e",
    "unresolved": "#909497",
}
#: the world's outcome and Magma's path (docs/model.md, "Two classifications")
WORLD_LABELS = {
    "catastrophe": "Catastrophe",
    "coordinated_pause": "Coordinated pause",
    "trustworthy_obsolescence": "Trustworthy obsolescence",
    "unresolved": "Unresolved at horizon",
}
WORLD_COLORS = {
    "catastrophe": OUTCOME_COLORS["catastrophe"],
    "coordinated_pause": OUTCOME_COLORS["coordinated_pause"],
    "trustworthy_obsolescence": OUTCOME_COLORS["obsolescence"],
    "unresolved": OUTCOME_COLORS["unresolved"],
}
PATH_LABELS = {
    "chose_self_destruction": "Chose to self-destruct",
    "overtaken": "Was overtaken",
    "deferred": "Deferred to its AI",
    "paused": "Paused",
    "still_racing": "Still racing",
}
PATH_COLORS = {
    "chose_self_destruction": "#ca6f1e",
    "overtaken": "#7d3c98",
    "deferred": "#2471a3",
    "paused": "#229954",
    "still_racing": "#909497",
}
MILESTONE_LABELS = {
    "3x_ai_rd": "3x AI software R&D",
    "first_dangerous_ai": "First dangerous AI",
    "tedai": "TEDAI",
    "deference": "Deference to TEDAI",
    "recovery_phase_end": "End of recovery phase",
    "superdangerous_ai": "Superdangerous AI",
    "obsolescence": "Obsolescence",
    "end_of_acute_risk": "End of acute risk period",
}
SOURCE_LABELS = {
    "direct": "Direct",
    "proliferation": "Proliferation",
    "sabotage": "Sabotage",
    "competition": "Competition",
    "human_takeover": "Human takeover",
}
SOURCE_COLORS = {
    "direct": "#e15759",
    "proliferation": "#f28e2b",
    "sabotage": "#b07aa1",
    "competition": "#edc948",
    "human_takeover": "#9c755f",
}
KNOB_LABELS = {
    "velocity": "Velocity",
    "safety_share": "Safety share of resources",
    "prep_share": "Preparation share of safety",
    "w_security": "Portfolio: security",
    "w_alignment": "Portfolio: alignment",
    "w_control": "Portfolio: control",
    "w_evaluation": "Portfolio: evaluation",
    "w_governance": "Portfolio: governance",
    "w_defense": "Portfolio: AI defense",
    "w_distribution": "Portfolio: safety distribution",
    "advocate_pause": "Advocate a pause",
    "join_pause": "Join a pause",
    "share_research": "Share safety research",
    "defer_to_tedai": "Defer to TEDAI",
    "self_destruct": "Self-destruct",
    "deploy": "Deploy externally",
    "seek_merger": "Seek a merger",
}
PLAN_PALETTE = ("#1f3b73", "#17a2b8", "#c2185b", "#8d6e63", "#7e57c2", "#9e9d24", "#37474f", "#ff8f00")
ACTOR_PALETTE = ("#4e79a7", "#76b7b2", "#ff9da7", "#59a14f", "#bab0ac", "#af7aa1", "#9c755f")
PREP_COLOR, MITIGATION_COLOR = "#5dade2", "#e59866"
OTHER_COLOR = "#bdc3c7"


def pretty(name: str) -> str:
    """Human label for an identifier without a fixed label ('human_takeover' -> 'Human takeover')."""
    return name.replace("_", " ").replace("-", " ").strip().capitalize() or name


def palette(names: Iterable[str], colors: tuple[str, ...], fixed: dict[str, str] | None = None) -> dict[str, str]:
    """Stable colour per name: fixed ones first, then the palette in order of first appearance."""
    fixed = fixed or {}
    out, i = {}, 0
    for n in names:
        if n in fixed:
            out[n] = fixed[n]
        else:
            out[n] = colors[i % len(colors)]
            i += 1
    return out


def actor_colors(actors: Iterable[str]) -> dict[str, str]:
    """Magma always takes the first actor colour; rivals follow in order."""
    actors = list(actors)
    ordered = (["Magma"] if "Magma" in actors else []) + [a for a in actors if a != "Magma"]
    return palette(ordered, ACTOR_PALETTE)


def fmt_prob(p: float | None, se: float | None, n: int | None = None) -> str:
    """'21.0% [19.2, 22.8]': the estimate with its 95% interval (`format_probability`, as the CLI prints
    it); '–' when unknown. At exactly 0 or 1 of `n` trajectories: the rule of three, '<0.15% (0 of 2000)'."""
    if p is None or (isinstance(p, float) and math.isnan(p)):
        return "–"
    if se is None or (isinstance(se, float) and math.isnan(se)):
        return f"{100 * p:.1f}% [interval unknown]"
    # a no-break space inside the interval: a narrow cell wraps between the estimate and its interval only
    return format_probability(p, se, n or 0, True).replace(", ", ",\u00a0").replace(" of ", "\u00a0of\u00a0")


def fmt_diff(diff: float, ci: tuple[float, float] | list[float] | None) -> str:
    """'−3.1 pp [−5.0, −1.2]' (percentage points with the 95% interval)."""

    def pp(x: float) -> str:
        return f"{100 * x:+.1f}".replace("-", "−")

    if not ci:
        return f"{pp(diff)} pp [?]"
    return f"{pp(diff)} pp [{pp(ci[0])}, {pp(ci[1])}]"
