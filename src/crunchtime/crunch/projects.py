"""Project files for the scheduler: projects, kinds with automation forecasts, validation, scenarios.

A kind's automation forecast is a list of steps ``{from_month, speedup}``: from that calendar month
on, work of that kind progresses ``speedup`` times faster than today (rate 1 before any step).
``from_month`` may be a discrete distribution ``{months: [...], probs: [...]}``; the scenarios are
the product of all such distributions.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from crunchtime.errors import InputError

MAX_SCENARIOS = 64


class MonthDistribution(BaseModel):
    model_config = ConfigDict(extra="forbid")
    months: list[float] = Field(min_length=1)
    probs: list[float] | None = None

    @field_validator("months")
    @classmethod
    def _months_ok(cls, v: list[float]) -> list[float]:
        if any(not np.isfinite(m) or m < 0 for m in v):
            raise ValueError("months must be finite and >= 0")
        return v

    @model_validator(mode="after")
    def _probs_ok(self) -> MonthDistribution:
        if self.probs is None:
            self.probs = [1.0 / len(self.months)] * len(self.months)
        if len(self.probs) != len(self.months):
            raise ValueError("probs must have one entry per month")
        if any(p < 0 for p in self.probs) or abs(sum(self.probs) - 1.0) > 1e-6:
            raise ValueError("probs must be >= 0 and sum to 1")
        return self


class Step(BaseModel):
    model_config = ConfigDict(extra="forbid")
    from_month: float | MonthDistribution
    speedup: float = Field(gt=0)

    @field_validator("from_month")
    @classmethod
    def _month_ok(cls, v: Any) -> Any:
        if isinstance(v, float) and (not np.isfinite(v) or v < 0):
            raise ValueError("must be a month >= 0")
        return v


class Kind(BaseModel):
    model_config = ConfigDict(extra="forbid")
    description: str = ""
    automation: list[Step] = []


class Project(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=1)
    effort: float = Field(gt=0, description="months of work at today's pace")
    kind: str
    value: float = Field(default=1.0, ge=0)
    deadline: float | None = Field(default=None, ge=0)
    depends_on: list[str] = []


class ProjectFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    description: str = ""
    researchers: int = Field(default=1, ge=1)
    deadline: float | None = Field(default=None, ge=0)
    objective: str | None = None
    kinds: dict[str, Kind] = Field(min_length=1)
    projects: list[Project] = Field(min_length=1)

    @field_validator("objective")
    @classmethod
    def _objective_ok(cls, v: str | None) -> str | None:
        if v is not None and v not in ("value", "makespan"):
            raise ValueError("must be 'value' or 'makespan'")
        return v


@dataclass(frozen=True)
class RateSchedule:
    """Piecewise-constant progress rate: ``rates[i]`` from ``times[i]`` until ``times[i+1]`` (times[0] = 0)."""

    times: np.ndarray
    rates: np.ndarray


@dataclass(frozen=True)
class Scenario:
    probability: float
    from_months: dict[str, list[float]]  # kind -> step months in this scenario (for display)
    rates: dict[str, RateSchedule]


@dataclass(frozen=True)
class Problem:
    """A validated scheduling problem: projects in file order, dependency indices, scenarios."""

    source: str
    names: list[str]
    kinds: list[str]
    effort: np.ndarray
    value: np.ndarray
    deadline: np.ndarray  # +inf when none
    deps: list[list[int]]
    researchers: int
    objective: str
    scenarios: list[Scenario]

    @property
    def n(self) -> int:
        return len(self.names)


_UNION_TAGS = ("float", "int", "str", "MonthDistribution")


def _best_error(errors: list[Any]) -> Any:
    """Of a union's errors, the one for the branch the user meant (a mapping is not a mistyped number)."""
    for err in errors:
        tag = err["loc"][-1] if err["loc"] else None
        if tag in ("float", "int") and isinstance(err.get("input"), (dict, list)):
            continue
        return err
    return errors[0]


def _loc(loc: tuple[Any, ...], spec: dict[str, Any]) -> str:
    parts: list[str] = []
    loc = tuple(x for x in loc if not (isinstance(x, str) and (x in _UNION_TAGS or "[" in x)))
    for item in loc:
        if isinstance(item, int):
            parts.append(f"[{item}]")
        else:
            parts.append(("." if parts else "") + str(item))
    text = "".join(parts)
    if len(loc) >= 2 and loc[0] == "projects" and isinstance(loc[1], int):
        try:
            text += f" ({spec['projects'][loc[1]]['name']})"
        except Exception:  # the name itself may be what is broken
            pass
    return text


def _rate_schedule(steps: list[tuple[float, float]]) -> RateSchedule:
    steps = sorted(steps, key=lambda s: s[0])  # stable: a later-listed step at the same month wins
    times, rates = [0.0], [1.0]
    for month, speedup in steps:
        if month <= times[-1]:
            rates[-1] = speedup
        else:
            times.append(month)
            rates.append(speedup)
    return RateSchedule(np.array(times), np.array(rates))


def _outcomes(d: MonthDistribution) -> list[tuple[float, float]]:
    """A distribution's (month, probability) pairs."""
    assert d.probs is not None  # its validator gives equal weights when probs is left out
    return list(zip(d.months, d.probs))


def _scenarios(source: str, spec: ProjectFile) -> list[Scenario]:
    uncertain: list[tuple[str, int, MonthDistribution]] = []
    for kind_name, kind in spec.kinds.items():
        for i, step in enumerate(kind.automation):
            if isinstance(step.from_month, MonthDistribution):
                uncertain.append((kind_name, i, step.from_month))
    count = int(np.prod([len(d.months) for _, _, d in uncertain])) if uncertain else 1
    if count > MAX_SCENARIOS:
        raise InputError(
            source,
            "kinds",
            f"{count} automation scenarios (product of from_month distributions); at most {MAX_SCENARIOS}",
        )
    scenarios = []
    for combo in itertools.product(*[_outcomes(d) for _, _, d in uncertain]):
        chosen = {(k, i): m for (k, i, _), (m, _) in zip(uncertain, combo)}
        prob = float(np.prod([p for _, p in combo])) if combo else 1.0
        rates, months = {}, {}
        for kind_name, kind in spec.kinds.items():
            steps = [
                (
                    chosen[(kind_name, i)] if isinstance(step.from_month, MonthDistribution) else step.from_month,
                    step.speedup,
                )
                for i, step in enumerate(kind.automation)
            ]
            rates[kind_name] = _rate_schedule([(float(m), s) for m, s in steps])
            months[kind_name] = [float(m) for m, _ in steps]
        scenarios.append(Scenario(prob, months, rates))
    return scenarios


def _find_cycle(names: list[str], deps: list[list[int]]) -> list[str] | None:
    state = [0] * len(names)  # 0 new, 1 on stack, 2 done
    stack: list[int] = []

    def visit(u: int) -> list[str] | None:
        state[u] = 1
        stack.append(u)
        for v in deps[u]:
            if state[v] == 1:
                cyc = [*stack[stack.index(v) :], v]
                return [names[i] for i in cyc]
            if state[v] == 0 and (found := visit(v)):
                return found
        stack.pop()
        state[u] = 2
        return None

    for u in range(len(names)):
        if state[u] == 0 and (found := visit(u)):
            return found
    return None


def build_problem(data: Any, source: str, researchers: int | None = None, objective: str | None = None) -> Problem:
    """Validate a parsed project file into a :class:`Problem`; every error names the file and field."""
    if not isinstance(data, dict):
        raise InputError(source, None, "expected a mapping with 'kinds' and 'projects'")
    try:
        spec = ProjectFile.model_validate(data)
    except ValidationError as exc:
        err = _best_error(exc.errors())
        msg = err["msg"].removeprefix("Value error, ")
        raise InputError(source, _loc(tuple(err["loc"]), data), msg) from None
    names = [p.name for p in spec.projects]
    index: dict[str, int] = {}
    for i, p in enumerate(spec.projects):
        if p.name in index:
            raise InputError(source, f"projects[{i}].name", f"duplicate project name {p.name!r}")
        index[p.name] = i
        if p.kind not in spec.kinds:
            known = ", ".join(sorted(spec.kinds))
            raise InputError(source, f"projects[{i}].kind ({p.name})", f"unknown kind {p.kind!r}; kinds are: {known}")
    deps: list[list[int]] = []
    for i, p in enumerate(spec.projects):
        row = []
        for d in p.depends_on:
            if d not in index:
                raise InputError(source, f"projects[{i}].depends_on ({p.name})", f"unknown project {d!r}")
            row.append(index[d])
        deps.append(row)
    cycle = _find_cycle(names, deps)
    if cycle:
        raise InputError(source, "projects.depends_on", "dependency cycle: " + " -> ".join(cycle))
    deadline = np.array(
        [
            p.deadline if p.deadline is not None else (spec.deadline if spec.deadline is not None else np.inf)
            for p in spec.projects
        ]
    )
    objective = objective or spec.objective or ("value" if np.isfinite(deadline).any() else "makespan")
    if objective not in ("value", "makespan"):
        raise InputError(source, "objective", f"must be 'value' or 'makespan', got {objective!r}")
    if objective == "value" and not np.isfinite(deadline).any():
        raise InputError(source, "deadline", "objective 'value' needs a deadline (file-wide or per project)")
    k = researchers if researchers is not None else spec.researchers
    if k < 1:
        raise InputError(source, "researchers", f"must be >= 1, got {k}")
    return Problem(
        source=source,
        names=names,
        kinds=[p.kind for p in spec.projects],
        effort=np.array([p.effort for p in spec.projects], dtype=float),
        value=np.array([p.value for p in spec.projects], dtype=float),
        deadline=deadline,
        deps=deps,
        researchers=k,
        objective=objective,
        scenarios=_scenarios(source, spec),
    )


def load_problem(path: str | Path, researchers: int | None = None, objective: str | None = None) -> Problem:
    """Read and validate a YAML project file."""
    path = Path(path)
    try:
        text = path.read_text()
    except OSError as exc:
        raise InputError(str(path), None, f"cannot read file ({exc.strerror or exc})") from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise InputError(
            str(path), None, f"not valid YAML ({getattr(exc, 'problem', exc)})", line=mark.line + 1 if mark else None
        ) from None
    return build_problem(data, str(path), researchers, objective)


EXAMPLES = ("essay",)


def example_path(name: str) -> Path:
    """Path of a project file shipped with the package (``essay``)."""
    ref = resources.files("crunchtime.crunch") / "examples" / f"{name}.yaml"
    if not ref.is_file():
        raise InputError("--example", name, f"no such example; examples are: {', '.join(EXAMPLES)}")
    return Path(str(ref))
