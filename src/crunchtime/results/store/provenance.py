"""Provenance of a run: the exact inputs (texts and sha256), seed, samples, version and timing.

`make_provenance` builds the canonical dict; `complete_provenance` fills what a caller left out
(hashes from texts, names/seed/samples from the summary, the package version) before a save.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from crunchtime._version import __version__


def sha256_text(text: str) -> str:
    """Hex sha256 of a text's UTF-8 bytes (the content hash stored for scenarios and plans)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def make_provenance(
    *,
    scenario_name: str,
    scenario_text: str | None,
    plans: Mapping[str, str | None],
    seed: int,
    samples: int,
    started_at: datetime | str | None = None,
    wall_time_s: float | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """Canonical provenance dict; `plans` maps each plan name to its YAML text (None if built in and unknown)."""
    if isinstance(started_at, datetime):
        started_at = started_at.astimezone(UTC).isoformat(timespec="seconds")
    prov: dict[str, Any] = {
        "scenario_name": scenario_name,
        "scenario_text": scenario_text,
        "plans": {name: {"text": text} for name, text in plans.items()},
        "seed": int(seed),
        "samples": int(samples),
        "started_at": started_at,
        "wall_time_s": None if wall_time_s is None else float(wall_time_s),
        **extra,
    }
    return complete_provenance(prov, {})


def _plan_names_from_summary(summary: Mapping[str, Any]) -> list[str]:
    if isinstance(summary.get("plans"), Mapping):
        return list(summary["plans"])
    if summary.get("plan") is not None:
        return [str(summary["plan"])]
    return []


def complete_provenance(provenance: Mapping[str, Any], summary: Mapping[str, Any]) -> dict[str, Any]:
    """Copy of `provenance` with hashes, plan names, seed, samples, scenario and version filled in."""
    prov = dict(provenance)
    plans_in = prov.get("plans")
    if plans_in is None:
        plans: dict[str, dict[str, Any]] = {n: {"text": None} for n in _plan_names_from_summary(summary)}
    elif isinstance(plans_in, Mapping):
        plans = {str(n): dict(v) if isinstance(v, Mapping) else {"text": v} for n, v in plans_in.items()}
    else:  # a list of names
        plans = {str(n): {"text": None} for n in plans_in}
    for entry in plans.values():
        text = entry.get("text")
        if text is not None and not entry.get("sha256"):
            entry["sha256"] = sha256_text(text)
        entry.setdefault("sha256", None)
    prov["plans"] = plans
    prov.setdefault("scenario_name", summary.get("scenario"))
    prov.setdefault("scenario_text", None)
    if prov.get("scenario_text") is not None and not prov.get("scenario_sha256"):
        prov["scenario_sha256"] = sha256_text(prov["scenario_text"])
    prov.setdefault("scenario_sha256", None)
    for key in ("seed", "samples"):
        if prov.get(key) is None and summary.get(key) is not None:
            prov[key] = int(summary[key])
        prov.setdefault(key, None)
    prov.setdefault("crunchtime_version", summary.get("crunchtime_version") or __version__)
    prov.setdefault("started_at", None)
    prov.setdefault("wall_time_s", None)
    return prov
