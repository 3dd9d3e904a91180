"""The steps of saving a run into its work directory, and publishing it into runs/ by one atomic rename.

`RunStore.save` runs them in order: check the names, write the tables, write the JSON documents, publish
(the manifest last, then the rename). A failpoint between steps lets the crash tests kill a saver there.
"""

from __future__ import annotations

import errno
import hashlib
import os
import re
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from crunchtime.results.store._fs import failpoint, fsync_dir, fsync_file, write_bytes_durably
from crunchtime.results.store._ids import new_run_id
from crunchtime.results.store.runfiles import FORMAT, FORMAT_VERSION, MANIFEST, json_bytes, sha256_file

_NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")


def check_names(kind: str, tables: Mapping[str, pa.Table]) -> None:
    """A run's kind and table names must be short names, and every table a pyarrow Table."""
    if not _NAME_RE.match(kind or ""):
        raise ValueError(f"run kind {kind!r} must be a short name such as 'run' or 'compare'")
    for name, table in tables.items():
        if not _NAME_RE.match(name):
            raise ValueError(f"table name {name!r} must be letters, digits, '_', '-' or '.'")
        if not isinstance(table, pa.Table):
            raise TypeError(f"table {name!r} is a {type(table).__name__}, expected pyarrow.Table")


def write_tables(work: Path, tables: Mapping[str, pa.Table]) -> dict[str, dict[str, Any]]:
    """Write each table as durable zstd Parquet under work/tables; its manifest entry by name."""
    table_files: dict[str, dict[str, Any]] = {}
    for i, (name, table) in enumerate(tables.items()):
        rel = f"tables/{name}.parquet"
        pq.write_table(table, work / rel, compression="zstd")
        fsync_file(work / rel)
        table_files[name] = {
            "file": rel,
            "rows": table.num_rows,
            "bytes": (work / rel).stat().st_size,
            "sha256": sha256_file(work / rel),
            "columns": table.column_names,
        }
        if i == 0:
            failpoint("mid_tables")
    return table_files


def write_documents(work: Path, summary_bytes: bytes, prov_bytes: bytes) -> dict[str, dict[str, Any]]:
    """Write summary.json and provenance.json durably (and sync the tables' directory); their manifest entries."""
    write_bytes_durably(work / "summary.json", summary_bytes)
    write_bytes_durably(work / "provenance.json", prov_bytes)
    fsync_dir(work / "tables")
    return {
        n: {"bytes": len(b), "sha256": hashlib.sha256(b).hexdigest()}
        for n, b in (("summary.json", summary_bytes), ("provenance.json", prov_bytes))
    }


def catalog_fields(prov: Mapping[str, Any]) -> dict[str, Any]:
    """What the manifest records from the provenance for the catalogue's columns."""
    plans = prov["plans"]
    return {
        "scenario": prov.get("scenario_name"),
        "plans": list(plans),
        "seed": prov.get("seed"),
        "samples": prov.get("samples"),
        "crunchtime_version": prov.get("crunchtime_version"),
        "started_at": prov.get("started_at"),
        "wall_time_s": prov.get("wall_time_s"),
        "scenario_sha256": prov.get("scenario_sha256"),
        "plan_sha256": [p.get("sha256") for p in plans.values()],
    }


def publish(
    work: Path,
    runs_dir: Path,
    run_id: str,
    created: datetime,
    kind: str,
    table_files: dict,
    files: dict,
    catalog: dict,
    n_bytes: int,
) -> Path:
    """Write the manifest last, then rename the work dir into runs/ (new id on a clash)."""
    for _attempt in range(8):
        manifest = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "run_id": run_id,
            "kind": kind,
            "created_at": created.isoformat(timespec="microseconds"),
            "tables": table_files,
            "files": files,
            "n_bytes": n_bytes,
            "catalog": catalog,
        }
        mpath = work / MANIFEST
        if mpath.exists():
            mpath.unlink()
        write_bytes_durably(mpath, json_bytes(manifest))
        fsync_dir(work)
        failpoint("before_rename")
        target = runs_dir / run_id
        try:
            os.rename(work, target)
        except OSError as exc:
            if exc.errno in (errno.EEXIST, errno.ENOTEMPTY):
                run_id = new_run_id(created)
                continue
            raise
        fsync_dir(runs_dir)
        return target
    raise RuntimeError("could not find a free run id")  # pragma: no cover
