"""Magma's knobs (the essay's Figure 5): what a plan sets each month, with ranges and defaults.

A plan returns one float array of shape (samples,) per knob. Continuous knobs live in their
range; actions are 0/1 flags. Portfolio weights need not sum to one: the engine normalises them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True)
class KnobSpec:
    name: str
    kind: Literal["continuous", "portfolio", "action"]
    low: float
    high: float
    default: float
    doc: str


KNOBS: tuple[KnobSpec, ...] = (
    KnobSpec(
        "velocity", "continuous", 0.0, 1.0, 1.0, "share of maximum capability scaling Magma pursues (0 is a pause)"
    ),
    KnobSpec(
        "safety_share",
        "continuous",
        0.0,
        1.0,
        0.05,
        "share of Magma's resources (compute, staff) spent on safety; it costs velocity one for one",
    ),
    KnobSpec(
        "prep_share",
        "continuous",
        0.0,
        1.0,
        0.5,
        "share of safety effort on preparation (stocks for later) rather than mitigation of current risk",
    ),
    # safety portfolio: relative weights across the essay's goal-2 routes and goal-1 research
    KnobSpec("w_security", "portfolio", 0.0, 1.0, 1.0, "nonproliferation: security of weights and IP (SL1-SL5)"),
    KnobSpec("w_alignment", "portfolio", 0.0, 1.0, 1.0, "alignment research"),
    KnobSpec("w_control", "portfolio", 0.0, 1.0, 1.0, "control and scalable oversight research"),
    KnobSpec("w_evaluation", "portfolio", 0.0, 1.0, 1.0, "evaluation methodology (control and alignment evals)"),
    KnobSpec(
        "w_governance", "portfolio", 0.0, 1.0, 1.0, "governance and communication: awareness, advocacy, coordination"
    ),
    KnobSpec("w_defense", "portfolio", 0.0, 1.0, 0.5, "AI defense: hardening the world against unmitigated AI"),
    KnobSpec(
        "w_distribution",
        "portfolio",
        0.0,
        1.0,
        0.5,
        "safety distribution: exporting techniques, funding outside researchers",
    ),
    # actions: 0/1 flags
    KnobSpec("advocate_pause", "action", 0.0, 1.0, 0.0, "publicly advocate a coordinated pause"),
    KnobSpec("join_pause", "action", 0.0, 1.0, 1.0, "join a coordinated pause when one forms"),
    KnobSpec("share_research", "action", 0.0, 1.0, 1.0, "share safety research with other developers"),
    KnobSpec(
        "defer_to_tedai", "action", 0.0, 1.0, 0.0, "hand scaling decisions to TEDAI once Magma has it (deference)"
    ),
    KnobSpec(
        "self_destruct",
        "action",
        0.0,
        1.0,
        0.0,
        "stop scaling for good; put everything into safety and advocacy (irreversible)",
    ),
    KnobSpec("deploy", "action", 0.0, 1.0, 1.0, "deploy externally for revenue and investment (goal 3)"),
    KnobSpec("seek_merger", "action", 0.0, 1.0, 0.0, "seek a merger with, or access to, a leader's systems"),
)

KNOB_NAMES: tuple[str, ...] = tuple(k.name for k in KNOBS)
KNOB_BY_NAME: dict[str, KnobSpec] = {k.name: k for k in KNOBS}
PORTFOLIO_KNOBS: tuple[str, ...] = tuple(k.name for k in KNOBS if k.kind == "portfolio")
ACTION_KNOBS: tuple[str, ...] = tuple(k.name for k in KNOBS if k.kind == "action")
