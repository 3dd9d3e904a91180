"""The claims as data: `claims.yaml` loaded and validated into `Claim`s, each with the runs (scenario, plan,
coefficient) whose paired difference tests it and tests its flip. Every error names the claim's field."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from crunchtime.analysis.claims_sides import _SideChecker
from crunchtime.errors import InputError

CLAIMS_SOURCE = "claims.yaml"
"""How errors name the shipped claims file."""

KINDS = ("paired", "difference_in_differences")
SIGNS = (">", "<")
FLIP_EXPECTED = ("vanish", "reverse")

_CLAIM_FIELDS = {
    "id",
    "claim",
    "source",
    "scenario",
    "kind",
    "metric",
    "beliefs",
    "a",
    "b",
    "at",
    "relative_to",
    "expected",
    "flip",
}
_SIDE_FIELDS = {"plan", "beliefs"}
_FLIP_FIELDS = {"belief_change", "beliefs", "expected"}
_CONDITION_FIELDS = {"label", "beliefs"}


@dataclass(eq=False)
class _Term:
    """One (scenario, plan) run entering a claim's difference with coefficient +1 or -1."""

    coef: int
    scenario: Any  # crunchtime.model.scenario.Scenario
    scenario_text: str
    plan: Any  # crunchtime.model.plans.Plan


@dataclass(frozen=True, eq=False)
class Claim:
    """One validated claim: what is asserted, where, and the experiments that test it and its flip."""

    id: str
    claim: str
    source: str
    scenario: str
    kind: str
    metric: str
    expected: str
    plans: dict[str, str]
    belief_change: str
    flip_expected: str
    data: dict[str, Any]
    design: tuple[_Term, ...] = field(repr=False)
    flip_design: tuple[_Term, ...] = field(repr=False)

    def __repr__(self) -> str:
        return f"Claim({self.id!r}, {self.plans['a']} {self.expected} {self.plans['b']} on {self.metric})"


def load_claims(path: str | Path | None = None) -> list[Claim]:
    """The essays' claims as paired experiments, validated and ready to run.

    Parameters
    ----------
    path : str or Path, optional
        A claims YAML file (default: crunchtime's own claims.yaml, see docs/claims.md).

    Returns
    -------
    list of Claim
        In file order; each names its plans, scenario, metric, expected sign and flip.

    Examples
    --------
    >>> [c.id for c in load_claims()][:2]  # doctest: +SKIP
    """
    if path is None:
        text = resources.files("crunchtime.analysis").joinpath("claims.yaml").read_text(encoding="utf-8")
        return claims_from_text(text, CLAIMS_SOURCE)
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(str(p), None, f"cannot read claims file ({exc.strerror})") from None
    return claims_from_text(text, str(p))


def claims_from_text(text: str, source: str = CLAIMS_SOURCE) -> list[Claim]:
    """Validate claims YAML text (a mapping with a `claims` list); errors name `source`.

    Parameters
    ----------
    text : str
        The YAML document.
    source : str
        How errors name the document.

    Returns
    -------
    list of Claim
    """
    from crunchtime.model.plans.yamlsrc import parse_yaml

    data = parse_yaml(text, source)
    if not isinstance(data, dict) or not isinstance(data.get("claims"), list) or not data["claims"]:
        raise InputError(source, "claims", "expected a mapping with a non-empty list `claims`")
    out: list[Claim] = []
    seen: set[str] = set()
    for i, raw in enumerate(data["claims"]):
        cid = raw.get("id") if isinstance(raw, dict) else None
        if not isinstance(cid, str) or not cid.strip():
            raise InputError(source, f"claims[{i}].id", "each claim needs an id (a short name)")
        if cid in seen:
            raise InputError(source, cid, "duplicate claim id")
        seen.add(cid)
        out.append(_Validator(source, cid).claim(raw))
    return out


class _Validator(_SideChecker):
    """Checks one claim's data and builds its scenarios and plans; every error names the claim's field."""

    # --- the claim -------------------------------------------------------------------------------------
    def claim(self, raw: dict) -> Claim:
        """The claim in `raw`, checked, with the runs of its difference and of its flip."""
        kind = self._kind(raw)
        metric = self._metric(raw.get("metric", "catastrophe"))
        flip = self._flip(raw["flip"])
        base_name, base = self._base(raw["scenario"])
        sides = {s: self._fields(raw[s], _SIDE_FIELDS, s, ["plan"]) for s in ("a", "b")}
        plans = {s: self.plan(sides[s]["plan"], f"{s}.plan", s) for s in ("a", "b")}
        shared = (self._beliefs(raw.get("beliefs"), "beliefs"), "beliefs")
        side_beliefs = {s: (self._beliefs(sides[s].get("beliefs"), f"{s}.beliefs"), f"{s}.beliefs") for s in ("a", "b")}
        flip_beliefs = self._beliefs(flip["beliefs"], "flip.beliefs")
        conditions = self._conditions(raw, kind)
        main = self._design(base, base_name, plans, shared, side_beliefs, conditions, [])
        self._check_distinct(main, plans)
        return Claim(
            id=self.cid,
            claim=self._text(raw, "claim"),
            source=self._text(raw, "source"),
            scenario=base_name,
            kind=kind,
            metric=metric,
            expected=raw["expected"],
            plans={s: plans[s].name for s in ("a", "b")},
            belief_change=flip["belief_change"].strip(),
            flip_expected=flip["expected"],
            data=copy.deepcopy(raw),
            design=main,
            flip_design=self._design(
                base, base_name, plans, shared, side_beliefs, conditions, [(flip_beliefs, "flip.beliefs")]
            ),
        )

    def _kind(self, raw: dict) -> str:
        """The claim's kind, after checking its fields (the conditions only where the kind has them) and sign."""
        kind = raw.get("kind", "paired")
        required = ["claim", "source", "scenario", "a", "b", "expected", "flip"]
        if kind == "difference_in_differences":
            required += ["at", "relative_to"]
        self._fields(raw, _CLAIM_FIELDS, "", required)
        if kind not in KINDS:
            raise self.fail("kind", f"expected one of {', '.join(KINDS)}, got {kind!r}")
        if kind == "paired" and ("at" in raw or "relative_to" in raw):
            raise self.fail(
                "at" if "at" in raw else "relative_to", "only a difference_in_differences claim has conditions"
            )
        if raw["expected"] not in SIGNS:
            raise self.fail("expected", f"expected '>' or '<' (the sign of mean(a - b)), got {raw['expected']!r}")
        return kind

    def _flip(self, value: Any) -> dict:
        """The flip's fields, checked (its beliefs are checked with the others)."""
        flip = self._fields(value, _FLIP_FIELDS, "flip", ["belief_change", "beliefs", "expected"])
        if flip["expected"] not in FLIP_EXPECTED:
            raise self.fail("flip.expected", f"expected 'vanish' or 'reverse', got {flip['expected']!r}")
        if not isinstance(flip["belief_change"], str) or not flip["belief_change"].strip():
            raise self.fail("flip.belief_change", "expected non-empty text")
        return flip

    def _base(self, base_name: Any) -> tuple[str, dict]:
        """The built-in scenario's name and its resolved data."""
        from crunchtime.model.scenario import _raw

        if not isinstance(base_name, str):
            raise self.fail("scenario", "expected a built-in scenario name")
        try:
            base, _, _ = _raw(base_name)
        except InputError as exc:
            raise self.fail("scenario", exc.problem) from None
        return base_name, base

    def _conditions(self, raw: dict, kind: str) -> list[tuple[int, list[tuple[dict, str]]]]:
        """The conditions under which (a - b) is measured, each with its sign: one, or `at` minus `relative_to`."""
        if kind == "paired":
            return [(1, [])]
        conds = {c: self._fields(raw[c], _CONDITION_FIELDS, c, ["beliefs"]) for c in ("at", "relative_to")}
        return [
            (1, [(self._beliefs(conds["at"]["beliefs"], "at.beliefs"), "at.beliefs")]),
            (-1, [(self._beliefs(conds["relative_to"]["beliefs"], "relative_to.beliefs"), "relative_to.beliefs")]),
        ]

    def _design(
        self,
        base: dict,
        base_name: str,
        plans: dict,
        shared: tuple[dict, str],
        side_beliefs: dict[str, tuple[dict, str]],
        conditions: list,
        extra: list,
    ) -> tuple[_Term, ...]:
        """The runs of (a - b) under each condition: beliefs shared, then the condition's, the side's, `extra`."""
        terms = []
        for sign, cond in conditions:
            for coef, s in ((1, "a"), (-1, "b")):
                layers = [shared, *cond, side_beliefs[s], *extra]
                sc, text = self.scenario(base, base_name, layers)
                terms.append(_Term(sign * coef, sc, text, plans[s]))
        return tuple(terms)

    def _check_distinct(self, main: tuple[_Term, ...], plans: dict) -> None:
        """On the same scenario the two sides need plans with distinct names (and cannot be identical)."""
        if main[0].scenario_text == main[1].scenario_text:
            if plans["a"].name == plans["b"].name:
                if plans["a"].source_text == plans["b"].source_text:
                    raise self.fail("b", "sides a and b are identical (same plan and beliefs)")
                raise self.fail("b.plan.name", "on the same scenario the two sides' plans need distinct names")

    def _metric(self, metric: Any) -> str:
        from crunchtime.model.state import MAGMA_PATHS, MILESTONES, OUTCOMES, WORLD_OUTCOMES
        from crunchtime.results.result import WITH_HORIZON_RISK

        if not isinstance(metric, str):
            raise self.fail("metric", "expected an outcome name, 'event:NAME' or 'milestone:NAME'")
        kind, _, name = metric.partition(":")
        if not name:
            if metric not in OUTCOMES and metric != WITH_HORIZON_RISK:
                raise self.fail(
                    "metric",
                    f"unknown outcome {metric!r} (outcomes: {', '.join(OUTCOMES)}; or write "
                    "'event:NAME' or 'milestone:NAME')",
                )
        elif kind == "milestone":
            if name not in MILESTONES:
                raise self.fail("metric", f"unknown milestone {name!r} (milestones: {', '.join(MILESTONES)})")
        elif kind in ("world", "path"):
            names = WORLD_OUTCOMES if kind == "world" else MAGMA_PATHS
            if name not in names:
                raise self.fail("metric", f"unknown {kind} {name!r} ({kind}: {', '.join(names)})")
        elif kind != "event" or not name.replace("_", "").isalnum():
            raise self.fail("metric", f"expected an outcome name, 'event:NAME' or 'milestone:NAME', got {metric!r}")
        return metric
