"""Plans: YAML files validated into typed `Plan` objects that turn observables into knob arrays.

A plan has defaults for its knobs and an ordered list of rules (`when` a condition holds,
`set` some knobs). For each knob and sample the first rule whose condition holds and that
sets the knob gives its value; otherwise the default. Everything is parsed once at load and
evaluated with numpy over all samples at once.
"""

from __future__ import annotations

import copy
import difflib
import functools
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import yaml
from pydantic import BaseModel, ConfigDict, StrictStr, ValidationError

from crunchtime.errors import InputError
from crunchtime.model.knobs import KNOB_BY_NAME, KNOB_NAMES, KNOBS, KnobSpec
from crunchtime.plans import expr as ex
from crunchtime.plans import inherit
from crunchtime.plans.yamlsrc import format_path, line_of, load_yaml
from crunchtime.textfile import read_user_text

MAX_RULES = 200
MAX_DESCRIPTION = 200
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
_PARAM = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,63}$")


# ----------------------------------------------------------------------------- schema


class RuleSpec(BaseModel):
    """One rule as written: `when` a condition, `set` knobs; `name` and `why` document it."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    name: StrictStr | None = None
    when: Any
    set: dict[StrictStr, Any]
    why: StrictStr | None = None
    before: StrictStr | None = None  # with `extends`: insert before this parent rule (see crunchtime.plans.inherit)


class PlanSpec(BaseModel):
    """A plan file as written (structure only; names, types and ranges are checked by `build_plan`)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    name: StrictStr
    description: StrictStr
    extends: StrictStr | None = None
    params: dict[StrictStr, Any] = {}
    defaults: dict[StrictStr, Any] = {}
    rules: list[RuleSpec] = []


_FIELDS = {"plan": list(PlanSpec.model_fields), "rule": list(RuleSpec.model_fields)}


# ----------------------------------------------------------------------------- plan objects


@dataclass(frozen=True)
class Rule:
    """A validated rule: a boolean expression and the knob values (expressions) it sets."""

    name: str
    when: ex.Expr
    set: Mapping[str, ex.Expr]
    why: str | None = None
    line: int | None = None


def _literal(value: float | bool) -> ex.Expr:
    kind = "boolean" if isinstance(value, bool) else "number"
    text = ("true" if value else "false") if kind == "boolean" else repr(float(value))
    return ex.Expr(text, ex.Const(value if kind == "boolean" else float(value), kind))


def _as_float(compiled: ex.Compiled) -> ex.Compiled:
    """Booleans become 0.0/1.0 (action knobs may be set by a condition)."""
    if callable(compiled):
        return lambda obs: compiled(obs).astype(np.float64)
    return np.float64(compiled)


@dataclass
class _KnobProgram:
    spec: KnobSpec
    default: ex.Compiled
    entries: list[tuple[int, ex.Compiled]] = field(default_factory=list)  # (rule index, value), in rule order


class Plan:
    """A validated plan: `decide(observables)` returns every knob as a float64 array of shape (n,)."""

    def __init__(self, *, name: str, description: str, params: Mapping[str, float], defaults: Mapping[str, ex.Expr],
                 rules: tuple[Rule, ...], source: str, source_text: str, parents: tuple[str, ...] = ()):
        self.name, self.description = name, description
        self.parents: tuple[str, ...] = tuple(parents)  # the plans it extends, nearest first
        self.params: dict[str, float] = dict(params)
        self.defaults: dict[str, ex.Expr] = dict(defaults)
        self.rules: tuple[Rule, ...] = tuple(rules)
        self.source, self.source_text = source, source_text
        self.observables: frozenset[str] = frozenset().union(
            *(e.observables for e in self.defaults.values()),
            *(r.when.observables for r in self.rules),
            *(v.observables for r in self.rules for v in r.set.values()))
        self._conds, self._program = self._compile()

    def __repr__(self) -> str:
        extends = f", extends={self.parents[0]!r}" if self.parents else ""
        return f"Plan({self.name!r}, rules={len(self.rules)}, source={self.source!r}{extends})"

    def _repr_html_(self) -> str:
        from crunchtime.plans.show import plan_html

        return plan_html(self)

    # compile once: conditions per rule, and per knob the rules that set it (unreachable ones pruned)
    def _compile(self, params: Mapping[str, float | None] | None = None) -> tuple[list[ex.Compiled], list[_KnobProgram]]:
        params = self.params if params is None else params
        conds = [rule.when.compile(params) for rule in self.rules]
        program = []
        for spec in KNOBS:
            given = self.defaults.get(spec.name)
            default = _as_float(given.compile(params)) if given is not None else np.float64(spec.default)
            if not callable(default) and np.isnan(default):  # e.g. a constant 0/0: undefined, so the contract default
                default = np.float64(spec.default)
            prog = _KnobProgram(spec, default)
            for i, rule in enumerate(self.rules):
                if spec.name not in rule.set or (not callable(conds[i]) and not conds[i]):
                    continue
                value = _as_float(rule.set[spec.name].compile(params))
                prog.entries.append((i, value))
                if not callable(conds[i]) and not callable(value) and not np.isnan(value):
                    break  # an always-true rule with a defined value: later rules never reach this knob
            program.append(prog)
        return conds, program

    def decide(self, obs: Mapping[str, np.ndarray]) -> dict[str, np.ndarray]:
        """Every knob in KNOB_NAMES as a float64 array of shape (n,), clipped into its range.

        Pure: the result depends on `obs` only. A value that is undefined for a sample (NaN, e.g.
        0/0) means the rule gives no value there; the next rule or the default decides.
        """
        arrays = self._arrays(obs)
        n = next(iter(arrays.values())).shape[0]
        conds: list[Any] = [None] * len(self._conds)
        out: dict[str, np.ndarray] = {}
        with np.errstate(all="ignore"):
            for prog in self._program:
                value = self._default(prog, arrays, n)
                for i, compiled in reversed(prog.entries):
                    if conds[i] is None:
                        c = self._conds[i]
                        conds[i] = c(arrays) if callable(c) else np.full(n, bool(c))
                    v = compiled(arrays) if callable(compiled) else compiled
                    take = conds[i] & ~np.isnan(v) if (callable(compiled) or np.isnan(v)) else conds[i]
                    value = np.where(take, v, value)
                spec = prog.spec
                if spec.kind == "action":
                    out[spec.name] = np.where(value >= 0.5, 1.0, 0.0)
                else:
                    out[spec.name] = np.clip(value, spec.low, spec.high).astype(np.float64, copy=False)
        return out

    def with_params_as_data(self) -> Plan:
        """The same plan reading its params at run time, each from an observable named `param:NAME` (an
        array like the others), instead of folding them in as constants: one compiled program then serves
        every value of the params (the jit, `crunchtime.jit`). `param_observables` makes those arrays."""
        plan = copy.copy(self)
        plan._conds, plan._program = self._compile({k: None for k in self.params})
        plan.observables = self.observables | {ex.PARAM_PREFIX + k for k in self.params}
        return plan

    def param_observables(self, n: int) -> dict[str, np.ndarray]:
        """This plan's params as the arrays `with_params_as_data()` reads (each value repeated n times)."""
        return {ex.PARAM_PREFIX + k: np.full(n, float(v)) for k, v in self.params.items()}

    def structure_key(self) -> tuple:
        """What a compiled program of `with_params_as_data()` depends on: the rules and defaults as canonical
        text and the params' names (not their values)."""
        return (tuple(sorted(self.params)), tuple((k, str(e)) for k, e in sorted(self.defaults.items())),
                tuple((str(r.when), tuple((k, str(v)) for k, v in sorted(r.set.items()))) for r in self.rules))

    def _arrays(self, obs: Mapping[str, np.ndarray]) -> dict[str, np.ndarray]:
        missing = sorted(self.observables - set(obs))
        if missing:
            raise KeyError(f"plan {self.name!r} reads observable(s) not given: {', '.join(missing)}")
        names = self.observables or set(list(obs)[:1])
        if not names:
            raise ValueError("decide() needs at least one observable array to know the number of samples")
        arrays = {k: ex.as_float_array(obs[k]) for k in names}
        shapes = {a.shape for a in arrays.values()}
        if len(shapes) != 1 or len(next(iter(shapes))) != 1:
            raise ValueError(f"observables must be 1-D arrays of one length, got shapes {sorted(shapes)}")
        return arrays

    @staticmethod
    def _default(prog: _KnobProgram, arrays: dict[str, np.ndarray], n: int) -> np.ndarray:
        if not callable(prog.default):
            return np.full(n, prog.default, dtype=np.float64)
        v = prog.default(arrays)
        return np.where(np.isnan(v), prog.spec.default, v)

    # constructors and variants
    @classmethod
    def fixed(cls, name: str, description: str | None = None, **knob_values: float) -> Plan:
        """A plan with constant knobs (contract defaults for the rest), validated like a file."""
        data = {"name": name, "description": description or f"constant knobs: {_kv(knob_values) or 'defaults'}",
                "defaults": dict(knob_values)}
        return build_plan(data, {}, source=f"Plan.fixed({name!r})", source_text=_dump(data))

    def with_params(self, **values: float) -> Plan:
        """The same plan with some named parameters changed (for sensitivity analysis and plan search)."""
        source = f"{self.source} with {_kv(values)}"
        unknown = sorted(set(values) - set(self.params))
        if unknown:
            raise InputError(source, f"params.{unknown[0]}", f"unknown parameter (this plan has: "
                                                              f"{', '.join(sorted(self.params)) or 'none'})")
        for key, value in values.items():
            _check_param_value(value, source, f"params.{key}", None)
        data = self.to_dict()
        data["params"] = {**self.params, **{k: float(v) for k, v in values.items()}}
        return build_plan(data, {}, source=source, source_text=_dump(data))

    def to_dict(self) -> dict[str, Any]:
        """The plan as plain data (expressions as canonical text); `build_plan(plan.to_dict())` rebuilds it."""
        def value(e: ex.Expr) -> Any:
            return e.node.value if isinstance(e.node, ex.Const) else e.text

        rules = []
        for r in self.rules:
            item: dict[str, Any] = {"name": r.name, "when": value(r.when), "set": {k: value(v) for k, v in r.set.items()}}
            if r.why:
                item["why"] = r.why
            rules.append(item)
        return {"name": self.name, "description": self.description, "params": dict(self.params),
                "defaults": {k: value(v) for k, v in self.defaults.items()}, "rules": rules}


def _kv(values: Mapping[str, Any]) -> str:
    return ", ".join(f"{k}={v}" for k, v in values.items())


def _dump(data: Mapping[str, Any]) -> str:
    return yaml.safe_dump(dict(data), sort_keys=False, allow_unicode=True)


# ----------------------------------------------------------------------------- validation


def parse_plan(text: str, source: str = "<plan>", base_dir: str | Path | None = None) -> Plan:
    """Validate YAML text into a Plan; any problem is one InputError naming source, line and field.

    Parameters
    ----------
    text : str
        The plan as YAML (see docs/plans.md).
    source : str
        How errors and provenance name the plan (a file path, or e.g. "<plan>").
    base_dir : str or Path, optional
        Folder that a relative `extends:` path starts from (default: the folder of `source` if it is a
        file, else the current folder).

    Returns
    -------
    Plan
        The validated plan; with `extends:`, the resolved plan (its `source_text` is the resolved YAML).

    Examples
    --------
    >>> plan = parse_plan("{name: lag3, extends: clymer, params: {lagging_months: 3}}")
    >>> plan.params["lagging_months"], plan.parents
    (3.0, ('builtin:clymer',))
    """
    data, lines = load_yaml(text, source)
    if not (isinstance(data, dict) and "extends" in data):
        return build_plan(data, lines, source=source, source_text=text)
    if base_dir is None:
        base_dir = Path(source).parent if Path(source).is_file() else Path.cwd()
    data, lines, parents = inherit.resolve(data, lines, source, Path(base_dir), locate=_locate_parent,
                                           load=load_yaml, check=_check_parent)
    header = f"# {inherit.describe_chain(source, parents)}, resolved\n"
    plan_text = header + _dump(data)
    return build_plan(data, lines, source=source, source_text=plan_text, parents=tuple(parents))


def _locate_parent(parent: str, base_dir: Path, source: str) -> tuple[str, str]:
    """(text, source label) of the plan that `extends: parent` names."""
    name = parent.removeprefix("builtin:")
    if name in builtin_plan_names():
        return _builtin_dir().joinpath(f"{name}.yaml").read_text(encoding="utf-8"), f"builtin:{name}"
    path = Path(parent).expanduser()
    path = path if path.is_absolute() else base_dir / path
    if parent.startswith("builtin:") or not path.is_file():
        raise InputError(source, "extends", f"no such plan file or built-in plan {parent!r} "
                                            f"(built-ins: {', '.join(builtin_plan_names())})")
    return read_user_text(path, str(path)), str(path)


def _check_parent(data: Any, lines: dict, source: str, text: str) -> None:
    build_plan(data, lines, source=source, source_text=text)


def build_plan(data: Any, lines: Mapping[tuple, int], *, source: str, source_text: str,
               parents: tuple[str, ...] = ()) -> Plan:
    """Validate plain data (as from YAML) into a Plan; `lines` maps document paths to line numbers.

    `extends` must already be resolved (see `parse_plan`); `parents` records what it named.
    """
    def fail(path: tuple, problem: str) -> InputError:
        return InputError(source, format_path(path) or None, problem, line=line_of(dict(lines), path))

    if not isinstance(data, dict):
        raise fail((), f"a plan file must be a mapping of fields ({', '.join(_FIELDS['plan'])}), "
                       f"got {_type_name(data)}")
    try:
        spec = PlanSpec.model_validate(data)
    except ValidationError as exc:
        raise _pydantic_error(exc, lines, source) from None

    if spec.extends is not None:
        raise fail(("extends",), "extends is resolved when a plan is read: use parse_plan or load_plan")
    if not _NAME.match(spec.name):
        raise fail(("name",), f"{spec.name[:40]!r} is not a valid plan name (letters, digits, '.', '_', '-'; "
                              "at most 64)")
    if not spec.description.strip() or "\n" in spec.description.strip() or len(spec.description) > MAX_DESCRIPTION:
        raise fail(("description",), f"must be one non-empty line of at most {MAX_DESCRIPTION} characters")

    params: dict[str, float] = {}
    for key, value in spec.params.items():
        path = ("params", key)
        if not _PARAM.match(key):
            raise fail(path, f"{key[:40]!r} is not a valid parameter name (letters, digits, '_')")
        if key in ex.RESERVED or key in KNOB_BY_NAME:
            raise fail(path, f"'{key}' is already an observable, knob, function or keyword; choose another name")
        _check_param_value(value, source, format_path(path), line_of(dict(lines), path))
        params[key] = float(value)

    def value_expr(knob: str, value: Any, path: tuple) -> ex.Expr:
        if knob not in KNOB_BY_NAME:
            close = difflib.get_close_matches(knob, KNOB_NAMES, n=1, cutoff=0.6)
            hint = f"did you mean '{close[0]}'?" if close else f"knobs: {', '.join(KNOB_NAMES)}"
            raise fail(path, f"unknown knob {knob[:40]!r} ({hint})")
        ks = KNOB_BY_NAME[knob]
        action = ks.kind == "action"
        if isinstance(value, bool):
            if not action:
                raise fail(path, f"{knob} takes a number in [{ks.low:g}, {ks.high:g}], not {str(value).lower()}")
            return _literal(value)
        if isinstance(value, (int, float)):
            if not math.isfinite(value) or not ks.low <= value <= ks.high:
                raise fail(path, f"{value!r} is out of range for {knob} [{ks.low:g}, {ks.high:g}]")
            if action and value not in (0, 1):
                raise fail(path, f"{knob} is an action: set it to 0 or 1 (or true/false, or a condition), "
                                 f"not {value!r}")
            return _literal(value)
        if isinstance(value, str):
            e = _parse(value, params, None, path)
            if e.type == "boolean" and not action:
                raise fail(path, f"{knob} takes a number, but this expression is a condition (true/false)")
            folded = e.compile(params)
            if not callable(folded) and e.type == "number" and not np.isnan(folded) and \
                    not ks.low <= float(folded) <= ks.high:
                raise fail(path, f"constant {float(folded):g} is out of range for {knob} [{ks.low:g}, {ks.high:g}]")
            return e
        raise fail(path, f"expected a number or an expression in quotes, got {_type_name(value)}")

    def _parse(text: str, params: Mapping[str, float], expect: ex.Type | None, path: tuple) -> ex.Expr:
        try:
            return ex.parse(text, params=params, expect=expect)
        except ex.ExprError as err:
            raise fail(path, err.message) from None

    defaults = {k: value_expr(k, v, ("defaults", k)) for k, v in spec.defaults.items()}

    if len(spec.rules) > MAX_RULES:
        raise fail(("rules",), f"too many rules ({len(spec.rules)}; the limit is {MAX_RULES})")
    rules: list[Rule] = []
    seen_names: dict[str, int] = {}
    for i, r in enumerate(spec.rules):
        path = ("rules", i)
        name = r.name or f"rule {i + 1}"
        if r.name is not None:
            if r.name in seen_names:
                raise fail((*path, "name"), f"duplicate rule name {r.name!r} (also rules[{seen_names[r.name]}])")
            seen_names[r.name] = i
        if isinstance(r.when, bool):
            when = _literal(r.when)
        elif isinstance(r.when, str):
            when = _parse(r.when, params, "boolean", (*path, "when"))
        else:
            raise fail((*path, "when"), f"expected a condition in quotes (or true/false), got {_type_name(r.when)}")
        if r.before is not None:
            raise fail((*path, "before"), "before places a rule among a parent plan's rules: use it with extends")
        if not r.set:
            raise fail((*path, "set"), "a rule must set at least one knob")
        values = {k: value_expr(k, v, (*path, "set", k)) for k, v in r.set.items()}
        rules.append(Rule(name, when, values, r.why, line_of(dict(lines), path)))

    return Plan(name=spec.name, description=spec.description.strip(), params=params, defaults=defaults,
                rules=tuple(rules), source=source, source_text=source_text, parents=parents)


def _check_param_value(value: Any, source: str, fieldname: str, line: int | None) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) \
            or abs(value) > ex.MAX_LITERAL:
        raise InputError(source, fieldname, f"a parameter must be a finite number (|x| <= {ex.MAX_LITERAL:g}), "
                                            f"got {_type_name(value) if not isinstance(value, (int, float)) else value}",
                         line=line)


def _type_name(value: Any) -> str:
    return {dict: "a mapping", list: "a list", str: "text", bool: "true/false", int: "a number", float: "a number",
            type(None): "nothing (null)"}.get(type(value), type(value).__name__)


def _pydantic_error(exc: ValidationError, lines: Mapping[tuple, int], source: str) -> InputError:
    """The first (topmost in the file) schema error as one line."""
    errors = exc.errors(include_url=False)

    def line(err: dict) -> int:
        return line_of(dict(lines), tuple(p for p in err["loc"] if p != "[key]")) or 0

    err = min(errors, key=lambda e: (e["type"] != "extra_forbidden", line(e)))  # a typo explains a "missing"
    loc = tuple(p for p in err["loc"] if p != "[key]")
    kind = err["type"]
    if kind == "extra_forbidden":
        allowed = _FIELDS["rule"] if len(loc) == 3 and loc[0] == "rules" else _FIELDS["plan"]
        close = difflib.get_close_matches(str(loc[-1]), allowed, n=1, cutoff=0.6)
        hint = f"did you mean '{close[0]}'?" if close else f"allowed: {', '.join(allowed)}"
        problem = f"unknown field {str(loc[-1])[:40]!r} ({hint})"
    elif kind == "missing":
        problem = "required field is missing"
    elif "[key]" in err["loc"]:
        problem = f"keys must be text, got {_type_name(err['input'])}"
    elif kind in ("dict_type", "list_type", "string_type"):
        want = {"dict_type": "a mapping", "list_type": "a list", "string_type": "text"}[kind]
        problem = f"expected {want}, got {_type_name(err['input'])}"
    else:
        problem = " ".join(str(err["msg"]).split())
    return InputError(source, format_path(loc) or None, problem, line=line(err) or None)


# ----------------------------------------------------------------------------- loading


def _builtin_dir():
    return resources.files("crunchtime.plans").joinpath("builtin")


def builtin_plan_names() -> list[str]:
    """Names of the plans shipped with crunchtime."""
    return sorted(p.name[:-5] for p in _builtin_dir().iterdir() if p.name.endswith(".yaml"))


@functools.lru_cache(maxsize=None)
def _load_builtin(name: str) -> Plan:
    text = _builtin_dir().joinpath(f"{name}.yaml").read_text(encoding="utf-8")
    return parse_plan(text, source=f"builtin:{name}")


def list_builtin_plans() -> list[tuple[str, str]]:
    """(name, one-line description) of every built-in plan, sorted by name."""
    return [(name, _load_builtin(name).description) for name in builtin_plan_names()]


def load_plan(name_or_path: str | Path) -> Plan:
    """A built-in plan by name (e.g. "clymer", or "builtin:clymer") or a plan YAML file by path.

    Parameters
    ----------
    name_or_path : str or Path
        A built-in plan name (see `list_builtin_plans`) or the path of a plan YAML file; a file may
        `extends:` a built-in plan or another file (relative to itself).

    Returns
    -------
    Plan
        The validated (and resolved) plan.

    Examples
    --------
    >>> load_plan("clymer").name
    'clymer'
    """
    if isinstance(name_or_path, str):
        name = name_or_path.removeprefix("builtin:")
        if name in builtin_plan_names():
            return _load_builtin(name)
        if name_or_path.startswith("builtin:"):
            raise InputError(name_or_path, None, f"no such built-in plan (built-ins: {', '.join(builtin_plan_names())})")
    path = Path(name_or_path)
    source = str(name_or_path)
    return parse_plan(read_text(path, source, what="plan"), source=source, base_dir=path.parent)


def read_text(path: Path, source: str, what: str = "file") -> str:
    """Read a user's UTF-8 text file with a size limit; failures become one-line InputErrors."""
    extra = f" and not a built-in plan ({', '.join(builtin_plan_names())})" if what == "plan" else ""
    return read_user_text(path, source, missing=f"no such file{extra}")
