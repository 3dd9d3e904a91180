"""Read a YAML document with the line of every key and list item, so errors can name their line.

Safe loaders only (CSafeLoader when libyaml is present). Anchors/aliases and duplicate keys are
refused: a plan must say each thing once, where a reader can see it.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from crunchtime.errors import InputError

_Loader = yaml.CSafeLoader if yaml.__with_libyaml__ else yaml.SafeLoader
_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")

Path_ = tuple  # a path into the document: keys (str) and list indices (int)


def format_path(path: Path_) -> str:
    """("rules", 1, "when") -> "rules[1].when"; odd keys are quoted so the result stays on one line."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        elif isinstance(part, str) and _IDENT.match(part):
            out += f".{part}" if out else part
        else:
            out += f"[{str(part)[:40]!r}]"
    return out


def line_of(lines: dict[Path_, int], path: Path_) -> int | None:
    """The line of `path`, or of its nearest ancestor that has one."""
    path = tuple(path)
    while path not in lines and path:
        path = path[:-1]
    return lines.get(path)


def parse_yaml(text: str, source: str) -> Any:
    """Parse YAML data (scenarios, claims) with PyYAML's safe loader (libyaml's when present); a syntax error
    is one InputError line."""
    loader = _Loader(text)
    try:
        return loader.get_single_data()
    except yaml.YAMLError as exc:
        raise _syntax_error(exc, source) from None
    except RecursionError:
        raise InputError(source, None, "invalid YAML: nested too deeply") from None
    finally:
        loader.dispose()


def _syntax_error(exc: yaml.YAMLError, source: str) -> InputError:
    """A YAML syntax error as one line naming the source and the line."""
    mark, text = None, None
    if isinstance(exc, yaml.MarkedYAMLError):
        mark, text = exc.problem_mark or exc.context_mark, exc.problem
    problem = " ".join(str(text or exc).split())
    return InputError(source, None, f"invalid YAML: {problem}", line=mark.line + 1 if mark is not None else None)


def load_yaml(text: str, source: str) -> tuple[Any, dict[Path_, int]]:
    """Parse one YAML document into plain data and a map from paths to 1-based line numbers."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            raise InputError(source, None, "the file is empty")
        lines: dict[Path_, int] = {(): node.start_mark.line + 1}
        _index(node, (), lines, set(), source)
        data = loader.construct_document(node)
    except yaml.YAMLError as exc:
        raise _syntax_error(exc, source) from None
    except RecursionError:
        raise InputError(source, None, "invalid YAML: nested too deeply") from None
    finally:
        loader.dispose()
    return data, lines


def _index(node: yaml.Node, path: Path_, lines: dict[Path_, int], seen: set[int], source: str) -> None:
    if id(node) in seen:
        raise InputError(
            source,
            format_path(path) or None,
            "YAML anchors and aliases (&, *) are not supported",
            line=node.start_mark.line + 1,
        )
    seen.add(id(node))
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else repr(key_node)
            sub = (*path, key)
            if sub in lines:
                raise InputError(
                    source,
                    format_path(sub),
                    f"duplicate key {key!r} (first on line {lines[sub]})",
                    line=key_node.start_mark.line + 1,
                )
            lines[sub] = key_node.start_mark.line + 1
            _index(value_node, sub, lines, seen, source)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            lines[(*path, i)] = item.start_mark.line + 1
            _index(item, (*path, i), lines, seen, source)
