"""A plan as notebook HTML: header, parameters, knob defaults and rules in order."""

from __future__ import annotations

from typing import Any

from crunchtime.htmltable import html_heading, html_table


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def plan_html(plan: Any) -> str:
    """HTML tables of a `Plan` (see `Plan._repr_html_`)."""
    data = plan.to_dict()
    origin = plan.source + (f" extends {' extends '.join(plan.parents)}" if plan.parents else "")
    parts = [html_heading(f"Plan {plan.name}: {plan.description}", f"source: {origin}")]
    if plan.params:
        parts.append(html_table(["parameter", "value"], [(k, v) for k, v in plan.params.items()], "Parameters"))
    if data["defaults"]:
        parts.append(
            html_table(
                ["knob", "default"],
                [(k, _text(v)) for k, v in data["defaults"].items()],
                "Knob defaults (other knobs: contract defaults)",
            )
        )
    if data["rules"]:
        rows = [
            (i, r["name"], _text(r["when"]), "; ".join(f"{k} = {_text(v)}" for k, v in r["set"].items()))
            for i, r in enumerate(data["rules"], start=1)
        ]
        parts.append(
            html_table(
                ["#", "rule", "when", "set"],
                rows,
                "Rules in order: per knob, the first rule that holds and sets it wins",
            )
        )
    return "".join(parts)
