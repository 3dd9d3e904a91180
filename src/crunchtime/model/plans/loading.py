"""Reading plans: YAML text (resolving `extends:`), plan files, and the plans shipped with crunchtime."""

from __future__ import annotations

import functools
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from crunchtime.errors import InputError
from crunchtime.model.plans.inherit import describe_chain, resolve
from crunchtime.model.plans.plan import Plan, build_plan, dump_yaml
from crunchtime.model.plans.yamlsrc import load_yaml
from crunchtime.model.textfile import read_user_text


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
    data, lines, parents = resolve(
        data, lines, source, Path(base_dir), locate=_locate_parent, load=load_yaml, check=_check_parent
    )
    header = f"# {describe_chain(source, parents)}, resolved\n"
    plan_text = header + dump_yaml(data)
    return build_plan(data, lines, source=source, source_text=plan_text, parents=tuple(parents))


def _locate_parent(parent: str, base_dir: Path, source: str) -> tuple[str, str]:
    """(text, source label) of the plan that `extends: parent` names."""
    name = parent.removeprefix("builtin:")
    if name in builtin_plan_names():
        return _builtin_dir().joinpath(f"{name}.yaml").read_text(encoding="utf-8"), f"builtin:{name}"
    path = Path(parent).expanduser()
    path = path if path.is_absolute() else base_dir / path
    if parent.startswith("builtin:") or not path.is_file():
        raise InputError(
            source,
            "extends",
            f"no such plan file or built-in plan {parent!r} (built-ins: {', '.join(builtin_plan_names())})",
        )
    return read_user_text(path, str(path)), str(path)


def _check_parent(data: Any, lines: dict, source: str, text: str) -> None:
    """A parent plan must be valid on its own."""
    build_plan(data, lines, source=source, source_text=text)


def _builtin_dir() -> Traversable:
    return resources.files("crunchtime.model.plans").joinpath("builtin")


def builtin_plan_names() -> list[str]:
    """Names of the plans shipped with crunchtime."""
    return sorted(p.name[:-5] for p in _builtin_dir().iterdir() if p.name.endswith(".yaml"))


@functools.cache
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
            raise InputError(
                name_or_path, None, f"no such built-in plan (built-ins: {', '.join(builtin_plan_names())})"
            )
    path = Path(name_or_path)
    source = str(name_or_path)
    return parse_plan(read_text(path, source, what="plan"), source=source, base_dir=path.parent)


def read_text(path: Path, source: str, what: str = "file") -> str:
    """Read a user's UTF-8 text file with a size limit; failures become one-line InputErrors."""
    extra = f" and not a built-in plan ({', '.join(builtin_plan_names())})" if what == "plan" else ""
    return read_user_text(path, source, missing=f"no such file{extra}")
