"""The shape of a plan file (pydantic models), and a schema error as one line naming its field."""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, StrictStr, ValidationError

from crunchtime.errors import InputError
from crunchtime.model.plans.yamlsrc import format_path, line_of

if TYPE_CHECKING:
    from pydantic_core import ErrorDetails


class RuleSpec(BaseModel):
    """One rule as written: `when` a condition, `set` knobs; `name` and `why` document it."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    name: StrictStr | None = None
    when: Any
    set: dict[StrictStr, Any]
    why: StrictStr | None = None
    before: StrictStr | None = (
        None  # with `extends`: insert before this parent rule (see crunchtime.model.plans.inherit)
    )


class PlanSpec(BaseModel):
    """A plan file as written (structure only; names, types and ranges are checked by `build_plan`)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    name: StrictStr
    description: StrictStr
    extends: StrictStr | None = None
    params: dict[StrictStr, Any] = {}
    defaults: dict[StrictStr, Any] = {}
    rules: list[RuleSpec] = []


#: the fields a plan and a rule may have, in the order they are documented
FIELDS = {"plan": list(PlanSpec.model_fields), "rule": list(RuleSpec.model_fields)}


def type_name(value: Any) -> str:
    """How an error message names the type of a YAML value ("a mapping", "text", ...)."""
    return {
        dict: "a mapping",
        list: "a list",
        str: "text",
        bool: "true/false",
        int: "a number",
        float: "a number",
        type(None): "nothing (null)",
    }.get(type(value), type(value).__name__)


def schema_error(exc: ValidationError, lines: Mapping[tuple, int], source: str) -> InputError:
    """The first (topmost in the file) schema error as one line."""
    errors = exc.errors(include_url=False)

    def line(err: ErrorDetails) -> int:
        return line_of(dict(lines), tuple(p for p in err["loc"] if p != "[key]")) or 0

    err = min(errors, key=lambda e: (e["type"] != "extra_forbidden", line(e)))  # a typo explains a "missing"
    loc = tuple(p for p in err["loc"] if p != "[key]")
    kind = err["type"]
    if kind == "extra_forbidden":
        allowed = FIELDS["rule"] if len(loc) == 3 and loc[0] == "rules" else FIELDS["plan"]
        close = difflib.get_close_matches(str(loc[-1]), allowed, n=1, cutoff=0.6)
        hint = f"did you mean '{close[0]}'?" if close else f"allowed: {', '.join(allowed)}"
        problem = f"unknown field {str(loc[-1])[:40]!r} ({hint})"
    elif kind == "missing":
        problem = "required field is missing"
    elif "[key]" in err["loc"]:
        problem = f"keys must be text, got {type_name(err['input'])}"
    elif kind in ("dict_type", "list_type", "string_type"):
        want = {"dict_type": "a mapping", "list_type": "a list", "string_type": "text"}[kind]
        problem = f"expected {want}, got {type_name(err['input'])}"
    else:
        problem = " ".join(str(err["msg"]).split())
    return InputError(source, format_path(loc) or None, problem, line=line(err) or None)
