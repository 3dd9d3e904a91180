"""Table 1's variant plans: the base plan with a small extra share of resources put into one category.

A variant is built as data: the base plan's `to_dict()`, rewritten and validated again as plan YAML
(`crunchtime.model.plans.parse_plan`); nothing is evaluated. The rewrite:

1. Every rule and default loses its safety knobs (`safety_share` and the seven portfolio weights); a
   rule left with nothing to set is dropped (it could only have set safety knobs).
2. The base plan's safety knobs are re-expressed as *regimes*: one rule per combination of the base
   rules that set safety knobs and fire together (a decision tree in rule order, pruned once every
   safety knob is decided), so that within a regime the base plan's safety share s and weights w_j are
   known expressions. The regimes are mutually exclusive and cover every case, so their order does not
   matter and the other knobs keep exactly the base plan's values.
3. In each regime the variant sets

       safety_share' = min(s + e, 1)
       w_j'          = (s · w_j / W + e_j) / (s + e)         W = Σ_j w_j,  e_j = e / |category| for j in it

   where e = `table1_step` (a plan parameter) in the phase the variant covers and 0 outside it (each
   regime is split on `reached_3x` for the early and late variants). The
   engine normalises the weights, so area j receives the share s · w_j / W of Magma's resources, as
   before, plus e_j: the extra effort is paid for by capability work (the `safety_share` knob "costs
   velocity one for one"), and no other category loses anything. Where s + e would pass 1 (a plan
   already spending everything on safety, e.g. after self-destruction) the extra is a reallocation.

With `table1_step` = 0 a variant decides exactly the base plan's knobs (up to the weights' common
scale, which the engine normalises away); the tests check this.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import yaml

from crunchtime.errors import ArgumentError
from crunchtime.model.knobs import KNOB_BY_NAME, PORTFOLIO_KNOBS
from crunchtime.model.plans import Plan, parse_plan
from crunchtime.model.plans.checks import MAX_RULES

#: the knobs a variant rewrites: the safety share and the portfolio it is split over
SAFETY_KNOBS: tuple[str, ...] = ("safety_share", *PORTFOLIO_KNOBS)
#: the plan parameter that holds the extra share (a name no built-in plan uses)
STEP_PARAM = "table1_step"
#: when a variant adds its step: always, only before 3x AI R&D speed-up (preparation), only after it;
#: each phase is a list of (condition added to every regime, extra share there)
PHASES: dict[str, tuple[tuple[str | None, str], ...]] = {
    "all": ((None, STEP_PARAM),),
    "early": (("not reached_3x", STEP_PARAM), ("reached_3x", "0")),
    "late": (("not reached_3x", "0"), ("reached_3x", STEP_PARAM)),
}
#: guards a division by a sum that can be zero (a plan with no safety effort or all weights zero)
TINY = 1e-12


@dataclass(frozen=True)
class Category:
    """One of Table 1's intervention categories and the model's safety areas it acts through."""

    key: str
    label: str
    areas: tuple[str, ...]
    doc: str


CATEGORIES: tuple[Category, ...] = (
    Category(
        "nonproliferation",
        "Nonproliferation",
        ("security",),
        "security of weights (SL1-SL5): the security pipeline and, through preparation, the SL cap (model 2.7)",
    ),
    Category(
        "safety_distribution",
        "Safety distribution",
        ("distribution",),
        "exports of Magma's research to rivals, scaled by influence (model 2.8)",
    ),
    Category(
        "governance",
        "Governance and communication",
        ("governance",),
        "awareness and political will (2.10); governance preparation lowers the pause threshold (2.5)",
    ),
    Category(
        "ai_defense",
        "AI defense",
        ("defense",),
        "the world-hardening stock that scales every actor's hazard down (2.9)",
    ),
    Category(
        "alignment_control_evaluation",
        "Alignment, control and evaluation research",
        ("alignment", "control", "evaluation"),
        "Magma's research stocks, readiness to elicit AI safety work, exported to rivals (2.8)",
    ),
)
#: the reference variant: the same extra share spread over the base plan's own mix (no areas named), so a
#: category's value minus the reference's isolates what the category adds beyond more safety in general
REFERENCE = Category(
    "base_mix",
    "Reference: the base plan's own mix",
    (),
    "the extra share split over the areas in the base plan's proportions",
)
CATEGORY_BY_KEY: dict[str, Category] = {c.key: c for c in (*CATEGORIES, REFERENCE)}


def _text(value: Any) -> str:
    """A knob value or condition from `Plan.to_dict()` as expression text."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(float(value))
    return str(value)


def _regimes(
    rules: Sequence[Mapping[str, Any]], defaults: Mapping[str, Any]
) -> Iterator[tuple[list[str], dict[str, str]]]:
    """(conditions, safety knob texts) for every combination of safety-setting rules that can fire together."""
    relevant = [r for r in rules if any(k in r["set"] for k in SAFETY_KNOBS)]
    fallback = {k: _text(defaults.get(k, KNOB_BY_NAME[k].default)) for k in SAFETY_KNOBS}

    def walk(i: int, conds: list[str], values: dict[str, str]) -> Iterator[tuple[list[str], dict[str, str]]]:
        if len(values) == len(SAFETY_KNOBS) or i == len(relevant):
            yield conds, {k: values.get(k, fallback[k]) for k in SAFETY_KNOBS}
            return
        rule = relevant[i]
        new = {k: _text(rule["set"][k]) for k in SAFETY_KNOBS if k in rule["set"] and k not in values}
        when = rule["when"]
        if not new or when is False:
            yield from walk(i + 1, conds, values)
            return
        fires = [] if when is True else [f"({_text(when)})"]
        yield from walk(i + 1, [*conds, *fires], {**values, **new})
        if when is not True:
            yield from walk(i + 1, [*conds, f"not ({_text(when)})"], values)

    yield from walk(0, [], {})


def _safety_values(values: Mapping[str, str], areas: Sequence[str], extra: str) -> dict[str, str]:
    """The variant's safety knobs in one regime: the base effort kept per area, plus `extra` split over `areas`."""
    s = f"({values['safety_share']})"
    weights = {k: f"({values[k]})" for k in PORTFOLIO_KNOBS}
    total = f"max({' + '.join(weights.values())}, {TINY!r})"
    spend = f"max({s} + {extra}, {TINY!r})"
    out = {"safety_share": f"min({s} + {extra}, 1)"}
    for k, w in weights.items():
        if not areas:  # the reference: in proportion to the base mix
            gain = f" + {extra} * {w} / {total}"
        else:
            gain = f" + {extra} / {len(areas)}" if k.removeprefix("w_") in areas else ""
        out[k] = f"min(({s} * {w} / {total}{gain}) / {spend}, 1)"
    return out


def variant_plan(base: Plan, category: Category, phase: str, step: float) -> Plan:
    """The base plan with `step` more of Magma's resources put into `category` during `phase`.

    Parameters
    ----------
    base : Plan
        The plan to vary (its knobs outside the safety portfolio are kept exactly).
    category : Category
        Where the extra share goes (split evenly over its areas; REFERENCE: in the base plan's proportions).
    phase : str
        One of PHASES: "all" months, "early" (before 3x AI R&D speed-up) or "late" (after it).
    step : float
        The extra share of Magma's resources, in [0, 1].

    Returns
    -------
    Plan
        A validated plan named `<base>.t1.<category>.<phase>` whose `source_text` is its YAML.

    Examples
    --------
    >>> from crunchtime.model.plans import load_plan
    >>> variant_plan(load_plan("clymer"), CATEGORY_BY_KEY["ai_defense"], "early", 0.02).params["table1_step"]
    0.02
    """
    if phase not in PHASES:
        raise ArgumentError("phase", f"must be one of {', '.join(PHASES)}, got {phase!r}")
    data = base.to_dict()
    if STEP_PARAM in data["params"]:
        raise ArgumentError("plan", f"{base.name}: its parameter {STEP_PARAM!r} clashes with table1's own")
    kept = []
    for rule in data["rules"]:
        rest = {k: v for k, v in rule["set"].items() if k not in SAFETY_KNOBS}
        if rest:
            kept.append({**rule, "set": rest})
    regimes: list[dict[str, Any]] = []
    for conds, values in _regimes(data["rules"], data["defaults"]):
        for when, extra in PHASES[phase]:
            regimes.append(
                {
                    "name": f"table1-regime-{len(regimes) + 1}",
                    "when": " and ".join(conds + ([when] if when else [])) or "true",
                    "why": "table1: the base plan's safety knobs in this regime, plus the extra share",
                    "set": _safety_values(values, category.areas, extra),
                }
            )
    if len(kept) + len(regimes) > MAX_RULES:
        raise ArgumentError(
            "plan",
            f"{base.name}: too many combinations of rules setting safety knobs "
            f"({len(regimes)}) for table1's variants (at most {MAX_RULES} rules)",
        )
    taken = {r["name"] for r in kept}
    if taken & {r["name"] for r in regimes}:
        raise ArgumentError("plan", f"{base.name}: a rule name starting 'table1-regime-' clashes with table1's own")
    name = f"{base.name[:40]}.t1.{category.key[:12]}.{phase}"
    out = {
        "name": name,
        "description": f"table1 variant of {base.name}: +{step:g} of resources to {category.label.lower()} ({phase})"[
            :200
        ],
        "params": {**data["params"], STEP_PARAM: float(step)},
        "defaults": {k: v for k, v in data["defaults"].items() if k not in SAFETY_KNOBS},
        "rules": regimes + kept,
    }
    return parse_plan(yaml.safe_dump(out, sort_keys=False, allow_unicode=True), source=f"table1:{name}")
