"""`RunInfo`: one catalogue row, made from a run's manifest or a catalogue row, and back into a catalogue entry."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class RunInfo:
    """One catalogue row: what a run is, what produced it and where it lies."""

    run_id: str
    kind: str
    created_at: str
    scenario: str | None
    plans: tuple[str, ...]
    seed: int | None
    samples: int | None
    crunchtime_version: str | None
    started_at: str | None
    wall_time_s: float | None
    scenario_sha256: str | None
    plan_sha256: tuple[str | None, ...]
    tables: tuple[str, ...]
    n_bytes: int
    path: str

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict (tuples become lists)."""
        return {k: list(v) if isinstance(v, tuple) else v for k, v in self.__dict__.items()}


def info_from_manifest(manifest: Mapping[str, Any], run_dir: Path) -> RunInfo:
    """The info a run's manifest records, with where the run lies."""
    c = manifest["catalog"]
    return RunInfo(
        run_id=manifest["run_id"],
        kind=manifest["kind"],
        created_at=manifest["created_at"],
        scenario=c.get("scenario"),
        plans=tuple(c.get("plans") or ()),
        seed=c.get("seed"),
        samples=c.get("samples"),
        crunchtime_version=c.get("crunchtime_version"),
        started_at=c.get("started_at"),
        wall_time_s=c.get("wall_time_s"),
        scenario_sha256=c.get("scenario_sha256"),
        plan_sha256=tuple(c.get("plan_sha256") or ()),
        tables=tuple(manifest["tables"]),
        n_bytes=int(manifest["n_bytes"]),
        path=str(run_dir),
    )


def info_from_row(row: Mapping[str, Any]) -> RunInfo:
    """The info in a catalogue row (its timestamp back in ISO form, UTC)."""
    created = row["created_at"]
    if isinstance(created, datetime):
        created = created.replace(tzinfo=UTC).isoformat(timespec="microseconds")
    return RunInfo(
        run_id=row["run_id"],
        kind=row["kind"],
        created_at=created,
        scenario=row["scenario"],
        plans=tuple(row["plans"] or ()),
        seed=row["seed"],
        samples=row["samples"],
        crunchtime_version=row["crunchtime_version"],
        started_at=row["started_at"],
        wall_time_s=row["wall_time_s"],
        scenario_sha256=row["scenario_sha256"],
        plan_sha256=tuple(row["plan_sha256"] or ()),
        tables=tuple(row["tables"] or ()),
        n_bytes=int(row["n_bytes"] or 0),
        path=row["path"],
    )


def catalog_entry(info: RunInfo, table_files: Mapping[str, Any]) -> dict[str, Any]:
    """The catalogue's entry for a run: its info and its manifest's table files."""
    entry = info.to_dict()
    entry["table_files"] = dict(table_files)
    return entry
