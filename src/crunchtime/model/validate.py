"""Check a plan or scenario file without running it; tell which it is by its fields."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from crunchtime.errors import InputError

#: fields only a plan has, and fields only a scenario has (`name`, `description`, `extends` are shared)
PLAN_FIELDS = frozenset({"params", "defaults", "rules"})
SCENARIO_FIELDS = frozenset({"actors", "parameters", "start", "horizon_months"})


def file_kind(data: Any, source: str, base_dir: Path, _depth: int = 0) -> str:
    """'plan' or 'scenario' from a file's top-level fields; with only shared fields, from what it extends.

    Parameters
    ----------
    data : Any
        The file's YAML data.
    source : str
        How errors name the file.
    base_dir : Path
        The file's folder (for a relative `extends`).

    Returns
    -------
    str
        "plan" or "scenario".

    Examples
    --------
    >>> file_kind({"name": "x", "rules": []}, "x.yaml", Path("."))
    'plan'
    """
    keys = set(map(str, data)) if isinstance(data, dict) else set()
    if keys & PLAN_FIELDS and not keys & SCENARIO_FIELDS:
        return "plan"
    if keys & SCENARIO_FIELDS and not keys & PLAN_FIELDS:
        return "scenario"
    if keys & PLAN_FIELDS and keys & SCENARIO_FIELDS:
        raise InputError(
            source,
            None,
            f"mixes plan fields ({', '.join(sorted(keys & PLAN_FIELDS))}) and scenario "
            f"fields ({', '.join(sorted(keys & SCENARIO_FIELDS))}); a file is one or the other",
        )
    parent = data.get("extends") if isinstance(data, dict) else None
    if isinstance(parent, str) and _depth < 8:
        from crunchtime.model.plans import builtin_plan_names
        from crunchtime.model.scenario import builtin_scenarios

        if parent.removeprefix("builtin:") in builtin_plan_names():
            return "plan"
        if parent in {n for n, _ in builtin_scenarios()}:
            return "scenario"
        path = Path(parent) if Path(parent).is_absolute() else base_dir / parent
        if path.is_file():
            from crunchtime.model.plans.yamlsrc import load_yaml
            from crunchtime.model.textfile import read_user_text

            parent_data, _ = load_yaml(read_user_text(path, str(path)), str(path))
            return file_kind(parent_data, str(path), path.parent, _depth + 1)
    return "plan"  # a plan's errors are the more helpful for a file with neither kind of field


def validate_file(path: str | Path) -> dict[str, Any]:
    """Check a plan or scenario file; raise a one-line InputError naming file, line and field if it is wrong.

    Parameters
    ----------
    path : str or Path
        The YAML file.

    Returns
    -------
    dict
        `kind` ("plan" or "scenario"), `file`, `name`, `description`; for a plan also `rules` (count),
        `observables`, `params`, `knobs_set` and `extends` (the plans it builds on).

    Examples
    --------
    >>> validate_file("my-plan.yaml")["kind"]  # doctest: +SKIP
    'plan'
    """
    from crunchtime.model.plans.loading import parse_plan, read_text
    from crunchtime.model.plans.yamlsrc import load_yaml

    file = Path(path)
    source = str(path)
    text = read_text(file, source)
    data, _ = load_yaml(text, source)
    if file_kind(data, source, file.parent) == "scenario":
        from crunchtime.model.scenario import load_scenario

        scenario = load_scenario(file)
        return {"kind": "scenario", "file": source, "name": scenario.name, "description": scenario.description}
    plan = parse_plan(text, source=source, base_dir=file.parent)
    return {
        "kind": "plan",
        "file": source,
        "name": plan.name,
        "description": plan.description,
        "rules": len(plan.rules),
        "observables": sorted(plan.observables),
        "params": plan.params,
        "knobs_set": sorted(set(plan.defaults) | {k for r in plan.rules for k in r.set}),
        "extends": list(plan.parents),
    }
