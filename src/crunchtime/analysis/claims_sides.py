"""A claim's sides as data: plan variants and belief overrides, checked field by field and built into plans
and scenarios (also `scenario_with_beliefs`, used by the calibration). Every error names the claim's field."""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping, Sequence
from importlib import resources
from typing import Any

import yaml

from crunchtime.errors import InputError

_PLAN_FIELDS = {"base", "name", "description", "params", "defaults", "rules_drop", "rules_prepend"}
_BELIEF_FIELDS = {"parameters", "actors", "rivals", "add_actors", "drop_actors"}


class _SideChecker:
    """Checks a claim's plans and belief overrides and builds its scenarios; every error names the claim's field."""

    def __init__(self, source: str, cid: str):
        self.source, self.cid = source, cid

    def fail(self, where: str, problem: str) -> InputError:
        return InputError(self.source, f"{self.cid}.{where}" if where else self.cid, problem)

    def _fields(self, value: Any, allowed: set[str], where: str, required: Iterable[str] = ()) -> dict:
        if not isinstance(value, dict):
            raise self.fail(where, "expected a mapping")
        unknown = sorted(set(value) - allowed)
        if unknown:
            raise self.fail(
                f"{where}.{unknown[0]}".lstrip("."), f"unknown field (allowed: {', '.join(sorted(allowed))})"
            )
        for r in required:
            if r not in value:
                raise self.fail(f"{where}.{r}".lstrip("."), "missing")
        return value

    def _text(self, raw: dict, key: str) -> str:
        v = raw.get(key)
        if not isinstance(v, str) or not v.strip():
            raise self.fail(key, "expected non-empty text")
        return v.strip()

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
                raise self.fail(
                    f"{where}.rules_drop[{j}]",
                    f"no rule named {name!r} in {spec['base']} (rules: {', '.join(str(h) for h in have)})",
                )
        prepend = spec.get("rules_prepend", [])
        if not isinstance(prepend, list):
            raise self.fail(f"{where}.rules_prepend", "expected a list of rules")
        d["rules"] = list(prepend) + [r for r in rules if r.get("name") not in drop]
        label = f"{self.source}#{self.cid}.{where}"
        try:
            return parse_plan(yaml.safe_dump(d, sort_keys=False, allow_unicode=True), source=label)
        except InputError as exc:
            fld = exc.field or ""
            if fld.startswith("rules[") and int(fld[6 : fld.index("]")]) < len(prepend):
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
            missing = [f for f, ps in ACTOR_BY_NAME.items() if f not in a and getattr(ps, "default", None) is None]
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
                raise self.fail(
                    f"{where}.actors.{name}",
                    f"no actor named {name!r} (actors: {', '.join(a['name'] for a in actors)})",
                )
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

    v = _SideChecker(source, base)
    raw, _, _ = _raw(base)
    return v.scenario(raw, base, [(v._beliefs(dict(beliefs), "beliefs"), "beliefs")])[0]
