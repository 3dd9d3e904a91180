"""The essays' claims as paired experiments: expected sign, measured difference, verdict, and a flip test.

Each claim in `claims.yaml` (shipped beside this module) names a base scenario, two sides `a` and `b`
(each a plan and belief overrides), a per-trajectory metric and the expected sign of
mean(metric_a - metric_b). A claim also names a *belief change* (the flip) under which it should
vanish or reverse, so that a conclusion is seen to follow from beliefs rather than be built in.

Both sides run with the same seed and number of samples; sides on the same scenario run in one
`compare` call (common random numbers). The paired difference per trajectory is
d_i = x_a,i - x_b,i and the 95% interval is mean(d) +/- 1.96 sd(d) / sqrt(n). This interval is valid
whether or not the two sides share their random numbers; sharing them only makes it narrower.

Verdicts (`claim_verdict`, `flip_verdict`):

- the claim "holds" if the interval lies entirely on the expected side of 0, "fails" if entirely on
  the other side, and is "inconclusive" otherwise;
- a flip expected to "reverse" holds if the interval lies entirely on the side opposite to the
  claim's expected sign; one expected to "vanish" holds if the interval overlaps
  [-VANISH_TOLERANCE, +VANISH_TOLERANCE] or lies on the opposite side; either "fails" if the interval
  lies entirely beyond the tolerance on the claim's original side, and is "inconclusive" otherwise.

A claim of kind `difference_in_differences` measures (a - b) under condition `at` minus (a - b)
under condition `relative_to` (e.g. "the advantage of self-destruction grows with Magma's lag").

Examples
--------
>>> from crunchtime.analysis.claims import run_claims
>>> res = run_claims(samples=500, only=["heuristic-1-scale"])   # doctest: +SKIP
>>> res.to_dict()["claims"][0]["verdict"]                        # doctest: +SKIP
'holds'
"""

from __future__ import annotations

import copy
import html
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from crunchtime.engine.backends import check_backend
from crunchtime.errors import InputError

CLAIMS_SOURCE = "claims.yaml"
"""How errors name the shipped claims file."""

VANISH_TOLERANCE = 0.01
"""A flip expected to "vanish" holds when its interval reaches within this distance of 0 (one
percentage point of probability)."""

Z95 = 1.96
KINDS = ("paired", "difference_in_differences")
SIGNS = (">", "<")
FLIP_EXPECTED = ("vanish", "reverse")
VERDICTS = ("holds", "fails", "inconclusive")

_CLAIM_FIELDS = {"id", "claim", "source", "scenario", "kind", "metric", "beliefs", "a", "b", "at",
                 "relative_to", "expected", "flip"}
_SIDE_FIELDS = {"plan", "beliefs"}
_PLAN_FIELDS = {"base", "name", "description", "params", "defaults", "rules_drop", "rules_prepend"}
_BELIEF_FIELDS = {"parameters", "actors", "rivals", "add_actors", "drop_actors"}
_FLIP_FIELDS = {"belief_change", "beliefs", "expected"}
_CONDITION_FIELDS = {"label", "beliefs"}


# ----------------------------------------------------------------------------- statistics and verdicts


@dataclass(frozen=True)
class Measured:
    """A mean paired difference and its 95% interval [lo, hi]."""

    diff: float
    lo: float
    hi: float

    def to_dict(self) -> dict[str, Any]:
        return {"diff": self.diff, "ci95": [self.lo, self.hi]}


def paired_interval(d: np.ndarray) -> Measured:
    """Mean of per-trajectory differences with the interval mean +/- 1.96 sd(d) / sqrt(n).

    Parameters
    ----------
    d : numpy.ndarray
        Per-trajectory differences x_a,i - x_b,i (at least two).

    Returns
    -------
    Measured
        The mean and its 95% interval.
    """
    d = np.asarray(d, dtype=float)
    if d.size < 2:
        raise ValueError("a paired interval needs at least two differences")
    mean = float(d.mean())
    half = Z95 * float(d.std(ddof=1)) / math.sqrt(d.size)
    return Measured(mean, mean - half, mean + half)


def _oriented(m: Measured, expected: str) -> tuple[float, float]:
    """The interval in the claim's direction: positive means on the claim's expected side."""
    return (m.lo, m.hi) if expected == ">" else (-m.hi, -m.lo)


def claim_verdict(m: Measured, expected: str) -> str:
    """"holds" if the interval lies entirely on the `expected` side of 0, "fails" if entirely on the other.

    Parameters
    ----------
    m : Measured
        The measured difference a - b.
    expected : {">", "<"}
        The claim's expected sign of a - b.

    Returns
    -------
    str
        "holds", "fails" or "inconclusive".
    """
    lo, hi = _oriented(m, expected)
    if lo > 0:
        return "holds"
    if hi < 0:
        return "fails"
    return "inconclusive"


def flip_verdict(m: Measured, expected: str, flip_expected: str, tol: float = VANISH_TOLERANCE) -> str:
    """Whether the claim vanishes or reverses under the flip's belief change.

    Parameters
    ----------
    m : Measured
        The difference a - b measured under the changed beliefs.
    expected : {">", "<"}
        The claim's original expected sign.
    flip_expected : {"vanish", "reverse"}
        What the belief change should do to the claim.
    tol : float
        Half-width of the band around 0 that counts as "vanished" (default `VANISH_TOLERANCE`).

    Returns
    -------
    str
        "holds" ("reverse": interval entirely on the opposite side; "vanish": interval overlaps
        [-tol, tol] or lies on the opposite side), "fails" (interval entirely beyond `tol` on the
        original side) or "inconclusive".
    """
    lo, hi = _oriented(m, expected)
    if flip_expected == "reverse" and hi < 0:
        return "holds"
    if flip_expected == "vanish" and (lo <= tol and hi >= -tol or hi < 0):
        return "holds"
    if lo > tol:
        return "fails"
    return "inconclusive"


# ----------------------------------------------------------------------------- claims as data


@dataclass(eq=False)
class _Term:
    """One (scenario, plan) run entering a claim's difference with coefficient +1 or -1."""

    coef: int
    scenario: Any  # crunchtime.model.scenario.Scenario
    scenario_text: str
    plan: Any      # crunchtime.model.plans.Plan


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


class _Validator:
    """Checks one claim's data and builds its scenarios and plans; every error names the claim's field."""

    def __init__(self, source: str, cid: str):
        self.source, self.cid = source, cid

    def fail(self, where: str, problem: str) -> InputError:
        return InputError(self.source, f"{self.cid}.{where}" if where else self.cid, problem)

    def _fields(self, value: Any, allowed: set[str], where: str, required: Iterable[str] = ()) -> dict:
        if not isinstance(value, dict):
            raise self.fail(where, "expected a mapping")
        unknown = sorted(set(value) - allowed)
        if unknown:
            raise self.fail(f"{where}.{unknown[0]}".lstrip("."),
                            f"unknown field (allowed: {', '.join(sorted(allowed))})")
        for r in required:
            if r not in value:
                raise self.fail(f"{where}.{r}".lstrip("."), "missing")
        return value

    def _text(self, raw: dict, key: str) -> str:
        v = raw.get(key)
        if not isinstance(v, str) or not v.strip():
            raise self.fail(key, "expected non-empty text")
        return v.strip()

    # --- the claim -------------------------------------------------------------------------------------
    def claim(self, raw: dict) -> Claim:
        from crunchtime.model.scenario import _raw

        kind = raw.get("kind", "paired")
        required = ["claim", "source", "scenario", "a", "b", "expected", "flip"]
        if kind == "difference_in_differences":
            required += ["at", "relative_to"]
        self._fields(raw, _CLAIM_FIELDS, "", required)
        if kind not in KINDS:
            raise self.fail("kind", f"expected one of {', '.join(KINDS)}, got {kind!r}")
        if kind == "paired" and ("at" in raw or "relative_to" in raw):
            raise self.fail("at" if "at" in raw else "relative_to",
                            "only a difference_in_differences claim has conditions")
        if raw["expected"] not in SIGNS:
            raise self.fail("expected", f"expected '>' or '<' (the sign of mean(a - b)), got {raw['expected']!r}")
        metric = self._metric(raw.get("metric", "catastrophe"))
        flip = self._fields(raw["flip"], _FLIP_FIELDS, "flip", ["belief_change", "beliefs", "expected"])
        if flip["expected"] not in FLIP_EXPECTED:
            raise self.fail("flip.expected", f"expected 'vanish' or 'reverse', got {flip['expected']!r}")
        if not isinstance(flip["belief_change"], str) or not flip["belief_change"].strip():
            raise self.fail("flip.belief_change", "expected non-empty text")
        base_name = raw["scenario"]
        if not isinstance(base_name, str):
            raise self.fail("scenario", "expected a built-in scenario name")
        try:
            base, _, _ = _raw(base_name)
        except InputError as exc:
            raise self.fail("scenario", exc.problem) from None

        sides = {s: self._fields(raw[s], _SIDE_FIELDS, s, ["plan"]) for s in ("a", "b")}
        plans = {s: self.plan(sides[s]["plan"], f"{s}.plan", s) for s in ("a", "b")}
        shared = self._beliefs(raw.get("beliefs"), "beliefs")
        side_beliefs = {s: self._beliefs(sides[s].get("beliefs"), f"{s}.beliefs") for s in ("a", "b")}
        flip_beliefs = self._beliefs(flip["beliefs"], "flip.beliefs")
        if kind == "paired":
            conditions = [(1, [])]
        else:
            conds = {c: self._fields(raw[c], _CONDITION_FIELDS, c, ["beliefs"]) for c in ("at", "relative_to")}
            conditions = [(1, [(self._beliefs(conds["at"]["beliefs"], "at.beliefs"), "at.beliefs")]),
                          (-1, [(self._beliefs(conds["relative_to"]["beliefs"], "relative_to.beliefs"),
                                 "relative_to.beliefs")])]

        def design(extra: list) -> tuple[_Term, ...]:
            terms = []
            for sign, cond in conditions:
                for coef, s in ((1, "a"), (-1, "b")):
                    layers = [(shared, "beliefs"), *cond, (side_beliefs[s], f"{s}.beliefs"), *extra]
                    sc, text = self.scenario(base, base_name, layers)
                    terms.append(_Term(sign * coef, sc, text, plans[s]))
            return tuple(terms)

        main = design([])
        if main[0].scenario_text == main[1].scenario_text:
            if plans["a"].name == plans["b"].name:
                if plans["a"].source_text == plans["b"].source_text:
                    raise self.fail("b", "sides a and b are identical (same plan and beliefs)")
                raise self.fail("b.plan.name", "on the same scenario the two sides' plans need distinct names")
        return Claim(
            id=self.cid, claim=self._text(raw, "claim"), source=self._text(raw, "source"), scenario=base_name,
            kind=kind, metric=metric, expected=raw["expected"], plans={s: plans[s].name for s in ("a", "b")},
            belief_change=flip["belief_change"].strip(), flip_expected=flip["expected"], data=copy.deepcopy(raw),
            design=main, flip_design=design([(flip_beliefs, "flip.beliefs")]),
        )

    def _metric(self, metric: Any) -> str:
        from crunchtime.model.state import MAGMA_PATHS, MILESTONES, OUTCOMES, WORLD_OUTCOMES
        from crunchtime.results.result import WITH_HORIZON_RISK

        if not isinstance(metric, str):
            raise self.fail("metric", "expected an outcome name, 'event:NAME' or 'milestone:NAME'")
        kind, _, name = metric.partition(":")
        if not name:
            if metric not in OUTCOMES and metric != WITH_HORIZON_RISK:
                raise self.fail("metric", f"unknown outcome {metric!r} (outcomes: {', '.join(OUTCOMES)}; or write "
                                "'event:NAME' or 'milestone:NAME')")
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

    # --- plans -----------------------------------------------------------------------------------------
    def plan(self, spec: Any, where: str, side: str):
        from crunchtime.model.plans import builtin_plan_names, load_plan, parse_plan

        names = builtin_plan_names()
        if isinstance(spec, str):
            if spec not in names:
                raise self.fail(where, f"no such built-in plan {spec!r} (built-ins: {', '.join(names)})")
            return load_plan(spec)
        spec = self._fields(spec, _PLAN_FIELDS, where, ["base"])
        if spec["base"] not in names:
            raise self.fail(f"{where}.base", f"no such built-in plan {spec['base']!r} (built-ins: {', '.join(names)})")
        path = resources.files("crunchtime.model.plans").joinpath("builtin", f"{spec['base']}.yaml")
        text = path.read_text(encoding="utf-8")
        d = yaml.safe_load(text)
        d["name"] = str(spec.get("name") or f"{spec['base']}-{side}")
        if "description" in spec:
            d["description"] = str(spec["description"])
        for key in ("params", "defaults"):
            val = spec.get(key, {})
            if not isinstance(val, dict):
                raise self.fail(f"{where}.{key}", "expected a mapping of names to values")
            d[key] = {**(d.get(key) or {}), **val}
        rules = list(d.get("rules") or [])
        drop = spec.get("rules_drop", [])
        if not isinstance(drop, list):
            raise self.fail(f"{where}.rules_drop", "expected a list of rule names")
        have = [r.get("name") for r in rules]
        for j, name in enumerate(drop):
            if name not in have:
                raise self.fail(f"{where}.rules_drop[{j}]", f"no rule named {name!r} in {spec['base']} "
                                f"(rules: {', '.join(str(h) for h in have)})")
        prepend = spec.get("rules_prepend", [])
        if not isinstance(prepend, list):
            raise self.fail(f"{where}.rules_prepend", "expected a list of rules")
        d["rules"] = list(prepend) + [r for r in rules if r.get("name") not in drop]
        label = f"{self.source}#{self.cid}.{where}"
        try:
            return parse_plan(yaml.safe_dump(d, sort_keys=False, allow_unicode=True), source=label)
        except InputError as exc:
            fld = exc.field or ""
            if fld.startswith("rules[") and int(fld[6:fld.index("]")]) < len(prepend):
                fld = "rules_prepend" + fld[5:]  # a prepended rule keeps its index
            raise self.fail(f"{where}.{fld}" if fld else where, exc.problem) from None

    # --- beliefs ---------------------------------------------------------------------------------------
    def _beliefs(self, b: Any, where: str) -> dict:
        """Check belief overrides: names exist in the parameter table and every value is a valid distribution."""
        from crunchtime.model.params import ACTOR_BY_NAME, WORLD_BY_NAME
        from crunchtime.model.scenario import _dist, _unknown

        if b is None:
            return {}
        self._fields(b, _BELIEF_FIELDS, where)

        def check(values: Any, table: dict, at: str) -> None:
            if not isinstance(values, dict):
                raise self.fail(at, "expected a mapping of names to distributions")
            for k, v in values.items():
                if k not in table:
                    raise self.fail(f"{at}.{k}", _unknown(str(k), table))
                try:
                    _dist(v, self.source, f"{self.cid}.{at}.{k}", table[k])
                except InputError as exc:
                    raise InputError(self.source, exc.field, exc.problem) from None

        check(b.get("parameters", {}), WORLD_BY_NAME, f"{where}.parameters")
        check(b.get("rivals", {}), ACTOR_BY_NAME, f"{where}.rivals")
        actors = b.get("actors", {})
        if not isinstance(actors, dict):
            raise self.fail(f"{where}.actors", "expected a mapping of actor names to fields")
        for name, fields in actors.items():
            check(fields, ACTOR_BY_NAME, f"{where}.actors.{name}")
        adds = b.get("add_actors", [])
        if not isinstance(adds, list):
            raise self.fail(f"{where}.add_actors", "expected a list of actors")
        for j, a in enumerate(adds):
            at = f"{where}.add_actors[{j}]"
            if not isinstance(a, dict) or not isinstance(a.get("name"), str):
                raise self.fail(at, "each added actor needs a name (and `copy_of: NAME` or every actor field)")
            check({k: v for k, v in a.items() if k not in ("name", "copy_of")}, ACTOR_BY_NAME, at)
            missing = [f for f, ps in ACTOR_BY_NAME.items()
                       if f not in a and getattr(ps, "default", None) is None]
            if "copy_of" not in a and missing:
                raise self.fail(f"{at}.{missing[0]}", "missing (give `copy_of: ACTOR` or every actor field)")
        drops = b.get("drop_actors", [])
        if not isinstance(drops, list) or not all(isinstance(x, str) for x in drops):
            raise self.fail(f"{where}.drop_actors", "expected a list of actor names")
        return b

    def _apply(self, raw: dict, b: dict, where: str) -> None:
        """Apply belief overrides to a resolved scenario dict, in place: drop, add, actors, rivals, parameters."""
        actors = raw["actors"]
        for j, name in enumerate(b.get("drop_actors", [])):
            if name == "Magma":
                raise self.fail(f"{where}.drop_actors[{j}]", "Magma (the planner) cannot be dropped")
            if name not in [a["name"] for a in actors]:
                raise self.fail(f"{where}.drop_actors[{j}]", f"no actor named {name!r} in the scenario")
            actors[:] = [a for a in actors if a["name"] != name]
        for j, spec in enumerate(b.get("add_actors", [])):
            names = [a["name"] for a in actors]
            if spec["name"] in names:
                raise self.fail(f"{where}.add_actors[{j}].name", f"an actor named {spec['name']!r} already exists")
            new: dict[str, Any] = {}
            if "copy_of" in spec:
                if spec["copy_of"] not in names:
                    raise self.fail(f"{where}.add_actors[{j}].copy_of", f"no actor named {spec['copy_of']!r} to copy")
                new = dict(actors[names.index(spec["copy_of"])])
            new.update({k: v for k, v in spec.items() if k != "copy_of"})
            actors.append(new)
        for name, fields in b.get("actors", {}).items():
            match = [a for a in actors if a["name"] == name]
            if not match:
                raise self.fail(f"{where}.actors.{name}", f"no actor named {name!r} (actors: "
                                f"{', '.join(a['name'] for a in actors)})")
            match[0].update(fields)
        for a in actors[1:]:
            a.update(b.get("rivals", {}))
        raw["parameters"] = {**raw.get("parameters", {}), **b.get("parameters", {})}

    def scenario(self, base: dict, base_name: str, layers: Sequence[tuple[dict, str]]):
        """The base scenario with each layer of belief overrides applied in turn, validated as a file would be."""
        from crunchtime.model.scenario import scenario_from_text

        raw = copy.deepcopy(base)
        raw.pop("extends", None)
        raw["actors"] = [dict(a) for a in raw.get("actors", [])]
        for b, where in layers:
            if b:
                self._apply(raw, b, where)
        text = yaml.safe_dump(raw, sort_keys=False, allow_unicode=True)
        try:
            return scenario_from_text(text, source=f"{self.source}#{self.cid}"), text
        except InputError as exc:
            raise self.fail(f"beliefs ({exc.field})" if exc.field else "beliefs", exc.problem) from None


def scenario_with_beliefs(base: str, beliefs: Mapping[str, Any], source: str = "beliefs"):
    """A built-in (or file) scenario with belief overrides applied, validated as a scenario file would be.

    Parameters
    ----------
    base : str
        Scenario name or path.
    beliefs : mapping
        Overrides in the claims' BELIEFS shape: `parameters`, `actors`, `rivals`, `add_actors`, `drop_actors`.
    source : str
        How errors name the overrides.

    Returns
    -------
    Scenario
    """
    from crunchtime.model.scenario import _raw

    v = _Validator(source, base)
    raw, _, _ = _raw(base)
    return v.scenario(raw, base, [(v._beliefs(dict(beliefs), "beliefs"), "beliefs")])[0]


# ----------------------------------------------------------------------------- running


@dataclass(frozen=True)
class ClaimResult:
    """One claim's measured difference and verdict, and the same under its flip."""

    claim: Claim
    measured: Measured
    verdict: str
    flip_measured: Measured
    flip_verdict: str

    def to_dict(self) -> dict[str, Any]:
        c = self.claim
        return {
            "id": c.id, "claim": c.claim, "source": c.source, "scenario": c.scenario, "plans": dict(c.plans),
            "expected": c.expected, "measured": self.measured.to_dict(), "verdict": self.verdict,
            "flip": {"belief_change": c.belief_change, "expected": c.flip_expected,
                     "measured": self.flip_measured.to_dict(), "verdict": self.flip_verdict},
        }


@dataclass(frozen=True)
class ClaimsResult:
    """The outcome of `run_claims`: one `ClaimResult` per claim, with the run's samples and seed."""

    results: tuple[ClaimResult, ...]
    samples: int
    seed: int

    def to_dict(self) -> dict[str, Any]:
        """The JSON document printed by `crunchtime claims --json`."""
        from crunchtime._version import __version__

        return {
            "claims": [r.to_dict() for r in self.results],
            "samples": self.samples,
            "seed": self.seed,
            "vanish_tolerance": VANISH_TOLERANCE,
            "crunchtime_version": __version__,
            "definitions": {r.claim.id: {"kind": r.claim.kind, "metric": r.claim.metric, **{
                k: v for k, v in r.claim.data.items() if k not in ("id", "claim", "source", "expected")}}
                for r in self.results},
        }

    def counts(self) -> dict[str, int]:
        return {v: sum(r.verdict == v for r in self.results) for v in VERDICTS}

    def __repr__(self) -> str:
        c = self.counts()
        flips = sum(r.flip_verdict == "holds" for r in self.results)
        return (f"ClaimsResult({len(self.results)} claims, {self.samples} samples, seed {self.seed}: "
                f"{c['holds']} hold, {c['fails']} fail, {c['inconclusive']} inconclusive; "
                f"{flips} flips as expected)")

    def _repr_html_(self) -> str:
        rows = []
        for r in self.results:
            cells = [r.claim.id, f"a {r.claim.expected} b", _pp(r.measured), r.verdict,
                     f"{r.claim.flip_expected}: {_pp(r.flip_measured)}", r.flip_verdict]
            rows.append("<tr>" + "".join(f"<td>{html.escape(str(x))}</td>" for x in cells) + "</tr>")
        head = "".join(f"<th>{h}</th>" for h in ("claim", "expected", "measured a-b (pp, 95% CI)", "verdict",
                                                 "flip (pp)", "flip verdict"))
        return (f"<table><caption>{len(self.results)} claims, {self.samples} paired trajectories, seed "
                f"{self.seed}: paired comparisons under stated beliefs, not forecasts</caption>"
                f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>")


def _pp(m: Measured) -> str:
    """A difference in percentage points with its interval, e.g. '+3.1 [+1.2, +5.0]'."""
    return f"{m.diff * 100:+.1f} [{m.lo * 100:+.1f}, {m.hi * 100:+.1f}]"


def select_claims(claims: Sequence[Claim], only: str | Iterable[str] | None) -> list[Claim]:
    """The claims whose ids are in `only`, in file order (all of them when `only` is None).

    Parameters
    ----------
    claims : sequence of Claim
        From `load_claims`.
    only : str, sequence of str or None
        Claim ids: comma-separated text or a list.

    Returns
    -------
    list of Claim

    Examples
    --------
    >>> select_claims(load_claims(), "heuristic-1-scale")  # doctest: +SKIP
    """
    if only is None:
        return list(claims)
    ids = [s.strip() for s in only.split(",")] if isinstance(only, str) else [str(s).strip() for s in only]
    ids = [s for s in ids if s]
    known = [c.id for c in claims]
    for s in ids:
        if s not in known:
            raise InputError("--only", None, f"unknown claim id {s!r} (claims: {', '.join(known)})")
    if not ids:
        raise InputError("--only", None, "name at least one claim id")
    return [c for c in claims if c.id in ids]


def _metric_values(res, metric: str, claim: Claim) -> np.ndarray:
    from crunchtime.model.state import MILESTONES

    kind, _, name = metric.partition(":")
    if not name or kind in ("world", "path"):
        return res.indicator(metric)
    if kind == "milestone":
        return (~np.isnan(res.milestones[:, MILESTONES.index(name)])).astype(float)
    if name not in res.events:
        raise InputError(CLAIMS_SOURCE, f"{claim.id}.metric",
                         f"no event named {name!r} (events: {', '.join(res.events)})")
    return np.asarray(res.events[name], dtype=float)


def run_claims(samples: int = 4000, seed: int = 1, only: str | Iterable[str] | None = None, workers: int = 1,
               progress: Callable[[int, int], None] | None = None,
               claims: Sequence[Claim] | None = None, backend: str = "local",
               address: str | None = None) -> ClaimsResult:
    """Run every claim (or those in `only`) and its flip as paired experiments.

    Parameters
    ----------
    samples : int
        Trajectories per side.
    seed : int
        Run seed; the same seed gives identical results.
    only : str or sequence of str, optional
        Claim ids to run; all by default.
    workers : int
        Processes per simulation; results do not depend on it.
    progress : callable(done, total), optional
        Called as simulated chunks finish.
    claims : sequence of Claim, optional
        Claims to run instead of the shipped ones.
    backend, address
        Where the simulations run, as for `compare`; results do not depend on it.

    Returns
    -------
    ClaimsResult

    Examples
    --------
    >>> run_claims(samples=512, only="heuristic-1-scale")  # doctest: +SKIP
    """
    check_backend(backend, address)
    from crunchtime.results import simulation as sim
    from crunchtime.engine import DEFAULT_CHUNK

    if isinstance(samples, bool) or not isinstance(samples, int) or samples < 2:
        raise InputError("--samples", None, f"a paired interval needs at least 2 samples, got {samples!r}")
    selected = select_claims(load_claims() if claims is None else claims, only)

    # Plan the simulations: one compare call per scenario (and per clash of plan names), shared across claims.
    calls: list[tuple[Any, dict[str, Any]]] = []
    by_scenario: dict[str, list[int]] = {}
    for c in selected:
        for term in (*c.design, *c.flip_design):
            idxs = by_scenario.setdefault(term.scenario_text, [])
            placed = False
            for i in idxs:
                have = calls[i][1].get(term.plan.name)
                if have is None or have.source_text == term.plan.source_text:
                    calls[i][1][term.plan.name] = term.plan
                    placed = True
                    break
            if not placed:
                calls.append((term.scenario, {term.plan.name: term.plan}))
                idxs.append(len(calls) - 1)

    chunks = math.ceil(samples / DEFAULT_CHUNK)
    total = chunks * len(calls)
    results: dict[tuple[str, str, str], Any] = {}
    for k, (scenario, plans) in enumerate(calls):
        cb = None
        if progress is not None:
            cb = (lambda k: lambda done, _t: progress(k * chunks + done, total))(k)
        cmp = sim.compare(scenario, list(plans.values()), samples=samples, seed=seed, workers=workers, progress=cb,
                          backend=backend, address=address)
        text = next(t for t, idx in by_scenario.items() if k in idx)
        for name, res in cmp.results.items():
            results[(text, name, plans[name].source_text)] = res
    if progress is not None:
        progress(total, total)

    def measure(c: Claim, design: tuple[_Term, ...]) -> Measured:
        d = np.zeros(samples)
        for t in design:
            res = results[(t.scenario_text, t.plan.name, t.plan.source_text)]
            d += t.coef * _metric_values(res, c.metric, c)
        return paired_interval(d)

    out = []
    for c in selected:
        m, fm = measure(c, c.design), measure(c, c.flip_design)
        out.append(ClaimResult(c, m, claim_verdict(m, c.expected), fm, flip_verdict(fm, c.expected, c.flip_expected)))
    return ClaimsResult(tuple(out), samples, seed)


def format_pp(m: Measured | Mapping[str, Any]) -> str:
    """A measured difference (object or its JSON dict) in percentage points: '+3.1 [+1.2, +5.0]'."""
    if isinstance(m, Measured):
        return _pp(m)
    return _pp(Measured(m["diff"], m["ci95"][0], m["ci95"][1]))


def format_paired_difference(measured: Any) -> str:
    """A measured paired difference in percentage points with its 95% interval.

    Parameters
    ----------
    measured : Measured or dict
        A measured difference or its JSON dict (`diff`, `ci95`).

    Returns
    -------
    str
        E.g. '+3.1 [+1.2, +5.0]'.

    Examples
    --------
    >>> format_paired_difference({"diff": 0.031, "ci95": [0.012, 0.05]})
    '+3.1 [+1.2, +5.0]'
    """
    return format_pp(measured)


def write_claims_report(result: ClaimsResult, path: str | Path) -> Path:
    """Write the claims as a self-contained HTML page: summary, forest plot, table, sources and flips.

    Parameters
    ----------
    result : ClaimsResult
        What `run_claims` returned.
    path : str or Path
        The HTML file to write (atomically).

    Returns
    -------
    Path
        The absolute path written.

    Examples
    --------
    >>> write_claims_report(run_claims(samples=512), "claims.html")  # doctest: +SKIP
    """
    from crunchtime.report.claims import write_claims_report as _write

    return _write(result.to_dict(), path)
