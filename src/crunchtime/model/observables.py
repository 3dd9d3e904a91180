"""What a plan may see (partial observability): one named set, never the hidden true risk.

Each observable is a float array of shape (samples,) each month. Flags are 0/1.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ObservableSpec:
    name: str
    unit: str
    doc: str


OBSERVABLES: tuple[ObservableSpec, ...] = (
    ObservableSpec("date", "decimal year", "calendar date, e.g. 2027.5 is July 2027"),
    ObservableSpec("months_elapsed", "months", "months since the scenario start"),
    ObservableSpec(
        "capability",
        "OOM",
        "Magma's capability: orders of magnitude of effective compute above the scenario's starting frontier",
    ),
    ObservableSpec("ai_rd_speedup", "x", "Magma's own AI software R&D speed-up relative to 2024 (1 = none)"),
    ObservableSpec(
        "eval_danger_signal",
        "probability",
        "noisy evaluation of the extreme-risk hazard Magma's frontier model would pose if scaled flat out",
    ),
    ObservableSpec(
        "eval_misalignment_signal",
        "0-1",
        "noisy evaluation of how misaligned Magma's frontier model is (0 none, 1 flagrant)",
    ),
    ObservableSpec(
        "lead_months",
        "months",
        "noisy estimate of Magma's lead over the best rival (negative: behind), in calendar months at the leader's current pace (the gap in capability divided by the leader's current monthly growth, which rises with its AI R&D speed-up; docs/model.md 2.14)",
    ),
    ObservableSpec("months_behind_leader", "months", "max(0, -lead_months)"),
    ObservableSpec("rival_ai_rd_speedup", "x", "noisy estimate of the leading rival's AI R&D speed-up"),
    ObservableSpec("political_will", "0-1", "public political will to regulate and coordinate"),
    ObservableSpec("awareness", "0-1", "public and elite awareness of extreme AI risk"),
    ObservableSpec("coordination_support", "0-1", "share of frontier rivals publicly willing to join a pause"),
    ObservableSpec("security_level", "SL", "Magma's achieved security level, 1 (SL1) to 5 (SL5)"),
    ObservableSpec("preparation", "0-1", "Magma's preparation stock (tooling, methods, trained people)"),
    ObservableSpec("alignment_progress", "0-1", "Magma's alignment research stock"),
    ObservableSpec("control_progress", "0-1", "Magma's control and scalable-oversight stock"),
    ObservableSpec("evaluation_progress", "0-1", "Magma's evaluation-methodology stock"),
    ObservableSpec("incidents", "count", "public AI incidents (warning shots) observed so far"),
    ObservableSpec("pause_active", "flag", "a coordinated pause is in force"),
    ObservableSpec("months_in_pause", "months", "length of the current coordinated pause"),
    ObservableSpec("reached_3x", "flag", "Magma has reached 3x AI software R&D speed-up"),
    ObservableSpec("months_since_3x", "months", "months since Magma reached 3x (0 before)"),
    ObservableSpec("tedai_reached", "flag", "Magma has TEDAI (AI that can automate all AI software R&D)"),
    ObservableSpec("deferred", "flag", "Magma has deferred to TEDAI"),
    ObservableSpec("self_destructed", "flag", "Magma has self-destructed"),
    ObservableSpec("compute_share", "0-1", "Magma's share of all actors' compute"),
    ObservableSpec("random", "0-1", "a fresh uniform draw each month (for randomised plans)"),
    ObservableSpec("trajectory_random", "0-1", "one uniform draw per trajectory, fixed over time"),
)

OBSERVABLE_NAMES: tuple[str, ...] = tuple(o.name for o in OBSERVABLES)
