"""`extends:` for plans: start from a built-in plan or another plan file and change a few things.

A plan file with `extends: clymer` (a built-in name) or `extends: ../base.yaml` (a path relative to the
extending file) inherits the parent's description, `params`, `defaults` and `rules`, then:

- `params` and `defaults` override the parent's entries by name (new names are added);
- each rule whose `name` matches a parent rule replaces that rule in place; other rules are appended,
  or, with `before: <parent rule name>`, inserted just before that parent rule (rules are read top
  down, the first that sets a knob wins, so a rule added to a plan whose last rule always holds must
  say where it goes). `before` is resolved here and does not reach the merged plan.

Resolution works on the YAML data only (plan files are data: nothing is evaluated). The parent is
validated on its own first, so an error in it names the parent's file; a missing parent or a cycle is
one line naming the file that says `extends`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from crunchtime.errors import InputError
from crunchtime.model.plans.yamlsrc import line_of

MAX_DEPTH = 8

#: (text, source label) of a parent given its `extends` value and the directory of the extending file
Locate = Callable[[str, Path, str], tuple[str, str]]
#: parse YAML text into (data, lines); validate data as a complete plan
Load = Callable[[str, str], tuple[Any, dict]]
Check = Callable[[Any, dict, str, str], Any]


def _identity(source: str) -> str:
    path = Path(source)
    return str(path.resolve()) if not source.startswith("builtin:") and path.exists() else source


def resolve(
    data: Any,
    lines: dict,
    source: str,
    base_dir: Path,
    *,
    locate: Locate,
    load: Load,
    check: Check,
    chain: tuple[str, ...] = (),
) -> tuple[Any, dict, list[str]]:
    """Merge `data` (a plan file's YAML with `extends`) onto its parents.

    Parameters
    ----------
    data, lines : Any, dict
        The extending file's YAML data and its line map (from `load_yaml`).
    source : str
        How errors name the extending file.
    base_dir : Path
        Folder that relative `extends` paths start from (the extending file's folder).
    locate, load, check : callables
        Find a parent's text, parse YAML, validate a complete plan (injected by `crunchtime.model.plans.plan`).
    chain : tuple of str
        Files already being resolved (for cycle detection).

    Returns
    -------
    (data, lines, parents)
        Merged data without `extends`, a line map for the extending file's entries, and the parents'
        source labels nearest first.
    """
    if not isinstance(data, dict) or "extends" not in data:
        return data, lines, []
    where = line_of(lines, ("extends",))
    parent = data["extends"]
    if not isinstance(parent, str) or not parent.strip():
        raise InputError(source, "extends", f"expected a built-in plan name or a plan file, got {parent!r}", line=where)
    chain = (*chain, source)
    if len(chain) > MAX_DEPTH:
        raise InputError(source, "extends", f"more than {MAX_DEPTH} levels of extends", line=where)
    try:
        parent_text, parent_source = locate(parent, base_dir, source)
    except InputError as exc:
        if exc.source != source or exc.line is not None:
            raise
        raise InputError(source, exc.field, exc.problem, line=where) from None
    if _identity(parent_source) in map(_identity, chain):
        raise InputError(
            source, "extends", "extends forms a cycle (" + " -> ".join((*chain, parent_source)) + ")", line=where
        )
    pdata, plines = load(parent_text, parent_source)
    parent_dir = Path(parent_source).parent if not parent_source.startswith("builtin:") else base_dir
    pdata, plines, grand = resolve(
        pdata, plines, parent_source, parent_dir, locate=locate, load=load, check=check, chain=chain
    )
    check(pdata, plines, parent_source, parent_text)
    merged, merged_lines = merge(pdata, data, lines, source)
    return merged, merged_lines, [parent_source, *grand]


def merge(parent: Mapping[str, Any], child: Mapping[str, Any], lines: dict, source: str) -> tuple[dict, dict]:
    """The child's fields over the parent's (see the module docstring); lines follow the child's entries."""

    def fail(key: str, want: str) -> InputError:
        return InputError(source, key, f"expected {want}, got {type(child[key]).__name__}", line=line_of(lines, (key,)))

    for key, want in (("params", dict), ("defaults", dict), ("rules", list)):
        if key in child and not isinstance(child[key], want):
            raise fail(key, "a mapping" if want is dict else "a list")
    merged: dict[str, Any] = {k: v for k, v in parent.items() if k != "extends"}
    merged.update({k: v for k, v in child.items() if k not in ("extends", "params", "defaults", "rules")})
    for key in ("params", "defaults"):
        merged[key] = {**(parent.get(key) or {}), **(child.get(key) or {})}
    parent_rules = list(parent.get("rules") or [])
    index = {r.get("name"): i for i, r in enumerate(parent_rules) if isinstance(r, dict) and r.get("name") is not None}
    slots: list[tuple[Any, int | None]] = [(r, None) for r in parent_rules]  # (rule, child's index or None)
    for i, rule in enumerate(child.get("rules") or []):
        name = rule.get("name") if isinstance(rule, dict) else None
        before = rule.get("before") if isinstance(rule, dict) else None
        if isinstance(rule, dict) and "before" in rule:
            rule = {k: v for k, v in rule.items() if k != "before"}
            if not isinstance(before, str) or before not in index:
                raise InputError(
                    source,
                    f"rules[{i}].before",
                    f"names no rule of the parent plan: {before!r} (its rules: {', '.join(map(str, index)) or 'none'})",
                    line=line_of(lines, ("rules", i, "before")),
                )
        parent_at = {id(r): j for j, (r, c) in enumerate(slots) if c is None}  # parent rules still in place
        if name is not None and name in index and id(parent_rules[index[name]]) in parent_at:
            slots[parent_at[id(parent_rules[index[name]])]] = (rule, i)
        elif before is not None:
            if id(parent_rules[index[before]]) not in parent_at:
                raise InputError(
                    source,
                    f"rules[{i}].before",
                    f"the parent rule {before!r} is replaced by this file",
                    line=line_of(lines, ("rules", i, "before")),
                )
            slots.insert(parent_at[id(parent_rules[index[before]])], (rule, i))
        else:
            slots.append((rule, i))
    rules = [r for r, _ in slots]
    where = {c: j for j, (_, c) in enumerate(slots) if c is not None}  # child's rule index -> merged index
    merged["rules"] = rules
    merged_lines = {}
    for path, line in lines.items():
        if len(path) >= 2 and path[0] == "rules" and isinstance(path[1], int):
            path = ("rules", where[path[1]], *path[2:])
        merged_lines[path] = line
    return merged, merged_lines


def describe_chain(source: str, parents: list[str]) -> str:
    """'my.yaml extends builtin:clymer' for display."""
    return " extends ".join([source, *parents])


__all__ = ["MAX_DEPTH", "describe_chain", "merge", "resolve"]
