"""Scenarios: a user's beliefs about the world as YAML, validated into typed objects and sampled.

A scenario names a start month, a horizon, world parameters and actors (Magma first); every
numeric entry is a distribution (see `crunchtime.model.distributions`). `extends: NAME` starts from
another scenario and overrides parameters by name and actors (field by field) by name.
"""

from __future__ import annotations

import functools
import hashlib
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from crunchtime.errors import InputError
from crunchtime.model.distributions import Distribution, DistributionError, parse_distribution
from crunchtime.model.params import ACTOR_BY_NAME, ACTOR_FIELDS, WORLD_BY_NAME, WORLD_PARAMETERS, ParamSpec
from crunchtime.model.plans.yamlsrc import parse_yaml
from crunchtime.model.textfile import read_user_text

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_TOP_FIELDS = {"name", "description", "extends", "start", "horizon_months", "parameters", "actors"}
MAX_EXTENDS_DEPTH = 8


@dataclass(frozen=True)
class Actor:
    """One developer: Magma (index 0) or a competitor, each field a distribution."""

    name: str
    fields: dict[str, Distribution]


@dataclass(frozen=True)
class Scenario:
    """Validated beliefs: start month, horizon, world parameters, actors; plus source text for provenance."""

    name: str
    description: str
    start_year: int
    start_month: int  # 1-12
    horizon_months: int
    parameters: dict[str, Distribution]
    actors: tuple[Actor, ...]
    source: str
    source_text: str

    @property
    def start(self) -> str:
        return f"{self.start_year:04d}-{self.start_month:02d}"

    @property
    def actor_names(self) -> tuple[str, ...]:
        return tuple(a.name for a in self.actors)

    @property
    def content_hash(self) -> str:
        return hashlib.sha256(self.source_text.encode()).hexdigest()

    def month_label(self, month: int | float) -> str:
        """'YYYY-MM' of a month index counted from the start."""
        total = self.start_year * 12 + self.start_month - 1 + int(month)
        return f"{total // 12:04d}-{total % 12 + 1:02d}"

    def decimal_year(self, month: np.ndarray | float) -> np.ndarray | float:
        return self.start_year + (self.start_month - 1 + month) / 12.0

    def __repr__(self) -> str:
        return (
            f"Scenario({self.name!r}, start={self.start!r}, horizon_months={self.horizon_months}, "
            f"parameters={len(self.parameters)}, actors={list(self.actor_names)!r}, source={self.source!r})"
        )

    def _repr_html_(self) -> str:
        from crunchtime.htmltable import html_heading, html_table

        actor_fields = list(self.actors[0].fields) if self.actors else []
        return "".join(
            [
                html_heading(
                    f"Scenario {self.name}: {self.description}",
                    f"start {self.start}, horizon {self.horizon_months} months, source {self.source}",
                ),
                html_table(
                    ["parameter", "distribution"],
                    [(k, v.describe()) for k, v in self.parameters.items()],
                    "World parameters",
                ),
                html_table(
                    ["actor", *actor_fields],
                    [(a.name, *[a.fields[f].describe() for f in actor_fields]) for a in self.actors],
                    "Actors",
                ),
            ]
        )


@dataclass(frozen=True)
class WorldSample:
    """Sampled beliefs for n worlds: world parameters (n,) and actor fields (n, actors)."""

    world: dict[str, np.ndarray]
    actors: dict[str, np.ndarray]


def builtin_scenarios() -> list[tuple[str, str]]:
    """Names and one-line descriptions of the scenarios shipped with crunchtime."""
    return list(_builtin_index())


@functools.lru_cache(maxsize=1)
def _builtin_index() -> tuple[tuple[str, str], ...]:
    """The shipped scenario files' names and descriptions, read once (package data does not change)."""
    out = []
    for f in sorted(resources.files("crunchtime.model.scenarios").iterdir(), key=lambda p: p.name):
        if f.name.endswith(".yaml"):
            data = parse_yaml(f.read_text(encoding="utf-8"), f"builtin:{f.name[:-5]}")
            out.append((f.name[:-5], str(data.get("description", ""))))
    return tuple(out)


def _read(name_or_path: str | Path) -> tuple[str, str]:
    """Return (source label, text) for a built-in name or a file path (UTF-8, at most MAX_FILE_BYTES)."""
    p = Path(name_or_path)
    if p.suffix in (".yaml", ".yml") or p.exists():
        return str(p), read_user_text(p, str(p), missing="no such scenario file")
    res = resources.files("crunchtime.model.scenarios") / f"{name_or_path}.yaml"
    if not res.is_file():
        names = ", ".join(n for n, _ in builtin_scenarios())
        raise InputError(str(name_or_path), None, f"no such scenario file or built-in scenario (built-ins: {names})")
    return f"builtin:{name_or_path}", res.read_text(encoding="utf-8")


def _raw(
    name_or_path: str | Path, depth: int = 0, chain: tuple[str, ...] = (), text: str | None = None
) -> tuple[dict[str, Any], str, str]:
    """Load YAML (or parse `text`, labelled `name_or_path`), resolve `extends` recursively into one merged raw dict."""
    source, text = _read(name_or_path) if text is None else (str(name_or_path), text)
    data = parse_yaml(text, source)
    if not isinstance(data, dict):
        raise InputError(source, None, "a scenario file must be a mapping of fields")
    unknown = set(data) - _TOP_FIELDS
    if unknown:
        raise InputError(
            source, sorted(map(str, unknown))[0], f"unknown field (allowed: {', '.join(sorted(_TOP_FIELDS))})"
        )
    parent = data.get("extends")
    if parent is None:
        return data, source, text
    base_name = _parent_of(source, parent)
    chain = (*chain, source)
    if _identity(base_name) in map(_identity, chain):
        raise InputError(source, "extends", "extends forms a cycle (" + " -> ".join((*chain, base_name)) + ")")
    if depth >= MAX_EXTENDS_DEPTH:
        raise InputError(source, "extends", f"more than {MAX_EXTENDS_DEPTH} levels of extends")
    base, _, base_text = _raw(base_name, depth + 1, chain)
    merged = dict(base)
    for key, val in data.items():
        if key == "parameters":
            if not isinstance(val, dict):
                raise InputError(source, "parameters", "must be a mapping of parameter names to distributions")
            merged["parameters"] = {**base.get("parameters", {}), **val}
        elif key == "actors":
            merged["actors"] = _merge_actors(base.get("actors", []), val, source)
        elif key != "extends":
            merged[key] = val
    return merged, source, base_text + "\n---\n" + text


def _parent_of(source: str, parent: Any) -> str:
    """Where `extends: parent` points: a built-in name, else a file path relative to the extending file."""
    if not isinstance(parent, str) or not parent.strip():
        raise InputError(source, "extends", f"expected the name of a built-in scenario or a file, got {parent!r}")
    if (resources.files("crunchtime.model.scenarios") / f"{parent}.yaml").is_file():
        return parent
    path = Path(parent) if Path(parent).is_absolute() or source.startswith("builtin:") else Path(source).parent / parent
    if not path.is_file():
        names = ", ".join(n for n, _ in builtin_scenarios())
        raise InputError(
            source, "extends", f"no such scenario file or built-in scenario {parent!r} (built-ins: {names})"
        )
    return str(path)


def _identity(source: str) -> str:
    """One spelling per scenario (for cycle detection): the built-in label or the resolved path."""
    return source if source.startswith("builtin:") or not Path(source).exists() else str(Path(source).resolve())


def _merge_actors(base: list, override: Any, source: str) -> list:
    if not isinstance(override, list):
        raise InputError(source, "actors", "must be a list of actors")
    out = [dict(a) for a in base]
    by_name = {a.get("name"): a for a in out}
    for i, a in enumerate(override):
        if not isinstance(a, dict) or "name" not in a:
            raise InputError(source, f"actors[{i}]", "each actor needs a name")
        if a["name"] in by_name:
            by_name[a["name"]].update(a)
        else:
            out.append(dict(a))
            by_name[a["name"]] = out[-1]
    return out


def load_scenario(name_or_path: str | Path) -> Scenario:
    """Load a built-in scenario by name or a YAML file, resolve `extends`, and validate every field."""
    data, source, text = _raw(name_or_path)
    return _validate(data, source, text, Path(str(name_or_path)).stem)


def _validate(data: dict[str, Any], source: str, text: str, default_name: str) -> Scenario:
    name = str(data.get("name") or default_name)
    start = str(data.get("start", ""))
    m = _MONTH.match(start)
    if not m or not 1 <= int(m.group(2)) <= 12:
        raise InputError(source, "start", f"expected a month as YYYY-MM, got {start!r}")
    horizon = data.get("horizon_months", 96)
    if isinstance(horizon, bool) or not isinstance(horizon, int) or not 1 <= horizon <= 600:
        raise InputError(source, "horizon_months", f"expected a whole number of months in 1..600, got {horizon!r}")

    raw_params = data.get("parameters") or {}
    if not isinstance(raw_params, dict):
        raise InputError(source, "parameters", "must be a mapping of parameter names to distributions")
    params: dict[str, Distribution] = {}
    for key, spec in raw_params.items():
        if key not in WORLD_BY_NAME:
            raise InputError(source, f"parameters.{key}", _unknown(key, WORLD_BY_NAME))
        params[key] = _dist(spec, source, f"parameters.{key}", WORLD_BY_NAME[key])
    for spec in WORLD_PARAMETERS:  # behavioural constants fall back to the parameter table's default
        if spec.name not in params and spec.default is not None:
            params[spec.name] = _dist(spec.default, "crunchtime.model.params", spec.name, spec)
    missing = [p.name for p in WORLD_PARAMETERS if p.name not in params]
    if missing:
        raise InputError(
            source,
            f"parameters.{missing[0]}",
            "missing (every world parameter needs a value; use `extends: default` to inherit the defaults)",
        )

    raw_actors = data.get("actors")
    if not isinstance(raw_actors, list) or len(raw_actors) < 2:
        raise InputError(source, "actors", "need a list of at least two actors (Magma first, then competitors)")
    actors = []
    for i, a in enumerate(raw_actors):
        if not isinstance(a, dict) or not isinstance(a.get("name"), str):
            raise InputError(source, f"actors[{i}]", "each actor needs a name")
        fields = {}
        for key, spec in a.items():
            if key == "name":
                continue
            if key not in ACTOR_BY_NAME:
                raise InputError(source, f"actors[{i}].{key}", _unknown(key, ACTOR_BY_NAME))
            fields[key] = _dist(spec, source, f"actors[{i}].{key}", ACTOR_BY_NAME[key])
        miss = [f.name for f in ACTOR_FIELDS if f.name not in fields]
        if miss:
            raise InputError(source, f"actors[{i}].{miss[0]}", f"missing for actor {a['name']!r}")
        actors.append(Actor(a["name"], fields))
    if actors[0].name != "Magma":
        raise InputError(source, "actors[0].name", "the first actor must be Magma (the planner)")
    if len({a.name for a in actors}) != len(actors):
        raise InputError(source, "actors", "actor names must be unique")
    return Scenario(
        name,
        str(data.get("description", "")),
        int(m.group(1)),
        int(m.group(2)),
        horizon,
        params,
        tuple(actors),
        source,
        text,
    )


def _unknown(key: str, table: dict) -> str:
    import difflib

    close = difflib.get_close_matches(key, list(table), n=1)
    return "unknown name" + (f" (did you mean '{close[0]}'?)" if close else "")


def _dist(spec: Any, source: str, field: str, ps: ParamSpec) -> Distribution:
    try:
        d = parse_distribution(spec)
    except DistributionError as exc:
        raise InputError(source, field, str(exc)) from None
    bounds = (d.values or d.args) if d.family in ("constant", "uniform", "loguniform", "choice") else ()
    if any(not ps.low <= b <= ps.high for b in bounds):
        raise InputError(source, field, f"value out of range [{ps.low:g}, {ps.high:g}] {ps.unit}")
    return d


def sample_world(scenario: Scenario, rng: np.random.Generator, n: int) -> WorldSample:
    """Draw n worlds: each distribution sampled in a fixed order, then clipped into its valid range."""
    world = {}
    for p in WORLD_PARAMETERS:
        world[p.name] = np.clip(scenario.parameters[p.name].sample(rng, n), p.low, p.high)
    actors = {}
    for f in ACTOR_FIELDS:
        cols = [np.clip(a.fields[f.name].sample(rng, n), f.low, f.high) for a in scenario.actors]
        actors[f.name] = np.stack(cols, axis=1)
    return WorldSample(world, actors)


def scenario_from_text(text: str, source: str) -> Scenario:
    """Validate scenario YAML text (`extends` resolves as for files); errors name `source` and the field."""
    data, source, full_text = _raw(source, text=text)
    return _validate(data, source, full_text, Path(source).stem)
