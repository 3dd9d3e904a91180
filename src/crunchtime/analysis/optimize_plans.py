"""Tuned plans for `crunchtime optimize`: the start plan with tuned params and knob defaults, as a plan or YAML."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import yaml

from crunchtime.analysis.search_space import KNOB_PREFIX


def plan_from(
    sim: Any, start_data: Mapping[str, Any], values: Mapping[str, float], name: str, description: str | None = None
) -> Any:
    """The start plan with tuned params and knob defaults (a fresh, validated plan; the start is unchanged)."""
    return sim.parse_plan(_dump(_data_with(start_data, values, name, description)), source=f"<{name}>")


def _data_with(
    start_data: Mapping[str, Any], values: Mapping[str, float], name: str, description: str | None
) -> dict[str, Any]:
    tuned = {k: float(v) for k, v in values.items() if not k.startswith(KNOB_PREFIX)}
    params = {**start_data.get("params", {}), **tuned}
    knobs = {k[len(KNOB_PREFIX) :]: _number(v) for k, v in values.items() if k.startswith(KNOB_PREFIX)}
    return {
        **start_data,
        "name": name,
        "description": description or start_data["description"],
        "params": params,
        "defaults": {**start_data.get("defaults", {}), **knobs},
    }


def _number(v: float) -> float | int:
    return int(v) if float(v).is_integer() else float(v)


def _dump(data: Mapping[str, Any]) -> str:
    return yaml.safe_dump(dict(data), sort_keys=False, allow_unicode=True, width=120)


def _pct(x: float) -> str:
    return f"{100 * x:.1f}%"


def tuned_yaml(
    start: Any,
    start_data: Mapping[str, Any],
    values: Mapping[str, float],
    name: str,
    sc: Any,
    seed: int,
    samples: int,
    data: Mapping[str, Any],
) -> str:
    """The tuned plan as plan YAML, its provenance as leading comments and a one-line description."""
    from crunchtime._version import __version__

    oos = data["out_of_sample"]
    result = (
        f"P(catastrophe) {_pct(oos['start'])} -> {_pct(oos['tuned'])}, diff {100 * oos['diff']:+.2f} pp "
        f"[95% {100 * oos['ci95'][0]:+.2f}, {100 * oos['ci95'][1]:+.2f}] on {oos['samples']} paired "
        f"trajectories"
    )
    header = [
        f"Tuned by crunchtime optimize (crunchtime {__version__}) from plan {start.name!r} ({start.source})",
        f"scenario: {sc.name}; seed {seed}; {data['trials_completed']} trials x {samples} trajectories on common "
        f"random numbers; sampler {data['sampler']}; objective {data['objective']}"
        + (" (Pareto: safety vs staying at the frontier)" if data["pareto"] else ""),
        f"out of sample (seed {data['validation_seed']}): {result}; verdict: {data['verdict']}",
        f"study {data['study']} (resume or extend: crunchtime optimize --resume {data['study']} ...)",
        "changed: "
        + (
            ", ".join(
                f"{k} {data['start_params'][k]:g} -> {v:g}" for k, v in values.items() if v != data["start_params"][k]
            )
            or "nothing (the start plan was best)"
        ),
    ]
    description = (
        f"{start.name} tuned by crunchtime optimize ({data['trials_completed']} trials x {samples}, "
        f"seed {seed}): out of sample {_pct(oos['start'])} -> {_pct(oos['tuned'])} P(catastrophe)"
    )
    body = _dump(_data_with(start_data, values, name, description[:200]))
    return "".join(f"# {line}\n" for line in header) + body
