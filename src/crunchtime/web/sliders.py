"""Which beliefs the page offers as sliders, and each slider's range, scale and belief.

The beliefs that matter most to the essays' questions: timelines and takeoff, the difficulty of safety,
the race (Magma's lag, rivals' safety culture and aggression) and political will. A slider spans the
belief's 1st to 99th percentile (clipped to the parameter's valid range, which is also what the server
accepts); an unmoved slider leaves the parameter drawn from the belief.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from crunchtime import api

#: (group, world parameter or ACTOR.FIELD) in page order; "RIVALS.field" expands to every actor but the first
SLIDERS: tuple[tuple[str, str], ...] = (
    ("Timelines and takeoff", "doublings_to_3x"),
    ("Timelines and takeoff", "tedai_speedup"),
    ("Timelines and takeoff", "algorithmic_progress"),
    ("Difficulty of safety", "safety_difficulty"),
    ("Difficulty of safety", "misalignment_propensity"),
    ("The race", "Magma.lag_months"),
    ("The race", "RIVALS.safety_culture"),
    ("The race", "RIVALS.aggression"),
    ("Political will", "political_will0"),
    ("Political will", "pause_threshold"),
)
#: the essays' words for the world parameters (others: the name with spaces)
LABELS = {
    "doublings_to_3x": "Doublings to 3x AI R&D",
    "tedai_speedup": "TEDAI speed-up",
    "algorithmic_progress": "Algorithmic progress",
    "safety_difficulty": "Difficulty of safety",
    "misalignment_propensity": "Misalignment propensity",
    "political_will0": "Political will at the start",
    "pause_threshold": "Will needed for a pause",
    "Magma.lag_months": "Magma's lag behind the frontier",
}
#: slider ends as belief percentiles (a belief's tails beyond these are still reachable by scripts)
TAIL = 0.01
#: a slider with positive ends this far apart moves on a log scale
LOG_RATIO = 20.0
#: a constant belief's slider spans this factor either side of it (clipped to the valid range) when the
#: valid range is wide; otherwise the whole valid range
CONSTANT_SPAN = 3.0


def _names(sc: api.Scenario) -> list[tuple[str, str]]:
    rivals = sc.actor_names[1:]
    out = []
    for group, name in SLIDERS:
        if name.startswith("RIVALS."):
            out += [(group, f"{a}.{name.split('.', 1)[1]}") for a in rivals]
        else:
            out.append((group, name))
    return out


def _label(name: str) -> str:
    """LABELS, else 'Frontier Lab A.safety_culture' -> 'Frontier Lab A: safety culture'."""
    return LABELS.get(name) or ": ".join(name.rsplit(".", 1)).replace("_", " ")


def _range(p: api.Parameter) -> tuple[float, float]:
    low, high = p.spec.low, p.spec.high
    if p.uncertain:
        lo, hi = (float(x) for x in p.ppf(np.array([TAIL, 1 - TAIL])))
    else:
        c = float(p.ppf(np.array([0.5]))[0])
        wide = high - low > 10 * max(abs(c), 1.0)
        lo, hi = (c / CONSTANT_SPAN, c * CONSTANT_SPAN) if wide and c > 0 else (low, high)
    lo, hi = max(lo, low), min(hi, high)
    if hi <= lo:
        lo, hi = low, high
    return lo, hi


def sliders(sc: api.Scenario) -> list[dict[str, Any]]:
    """The page's belief sliders for a scenario: name, group, label, unit, range, scale, median, belief."""
    table = {p.name: p for p in api.parameters(sc)}
    out = []
    for group, name in _names(sc):
        p = table.get(name)
        if p is None:
            continue
        lo, hi = _range(p)
        median = float(np.clip(p.ppf(np.array([0.5]))[0], lo, hi))
        out.append(
            {
                "name": name,
                "group": group,
                "label": _label(name),
                "doc": p.spec.doc,
                "unit": p.spec.unit,
                "min": lo,
                "max": hi,
                "median": median,
                "log": bool(lo > 0 and hi / lo >= LOG_RATIO),
                "belief": p.distribution.describe(),
                "valid": [p.spec.low, p.spec.high],
            }
        )
    return out


def plan_param_range(value: float) -> tuple[float, float]:
    """A plan parameter's slider: [0, 1] for shares and probabilities, else 0 to twice the value."""
    if 0.0 <= value <= 1.0:
        return 0.0, 1.0
    span = 2.0 * abs(value)
    return (-span, span) if value < 0 else (0.0, span)


def plan_info(plan: api.Plan) -> dict[str, Any]:
    """What the page shows of a plan: name, description, params with slider ranges, resolved YAML."""
    params = []
    for k, v in plan.params.items():
        lo, hi = plan_param_range(float(v))
        params.append({"name": k, "value": float(v), "min": lo, "max": hi})
    return {
        "name": plan.name,
        "description": getattr(plan, "description", ""),
        "params": params,
        "yaml": plan.source_text,
    }
