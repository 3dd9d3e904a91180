"""The run store: each run is a directory of Parquet tables and JSON, published by one atomic rename.

Layout under the store's home:
    runs/<id>/manifest.json        written last; lists every file with its size and sha256
    runs/<id>/summary.json, provenance.json, tables/<name>.parquet
    tmp/<id>.<pid>.<rand>/         a save in progress (invisible to readers; swept once its process is gone)
    trash/<id>.<rand>/             a delete in progress (swept)
    catalog.duckdb                 index of runs/ with provenance columns (rebuildable)
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import re
import secrets
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from crunchtime.errors import InputError
from crunchtime.results.store._fs import (
    failpoint,
    fsync_dir,
    fsync_file,
    pid_alive,
    remove_tree,
    write_bytes_durably,
)
from crunchtime.results.store._ids import is_run_id, new_run_id
from crunchtime.results.store.catalog import Catalog, CatalogBusy
from crunchtime.results.store.provenance import complete_provenance

HOME_ENV = "CRUNCHTIME_HOME"
MANIFEST = "manifest.json"
FORMAT = "crunchtime-run"
FORMAT_VERSION = 1
_NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
_STALE_TMP_S = 24 * 3600


def default_home() -> Path:
    """`$CRUNCHTIME_HOME`, else `$XDG_DATA_HOME/crunchtime`, else `~/.local/share/crunchtime`."""
    if os.environ.get(HOME_ENV):
        return Path(os.environ[HOME_ENV]).expanduser()
    xdg = os.environ.get("XDG_DATA_HOME")
    base = Path(xdg).expanduser() if xdg else Path.home() / ".local" / "share"
    return base / "crunchtime"


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


@dataclass
class StoredRun:
    """A complete saved run: its info, provenance and summary; tables read (and verified) on demand."""

    info: RunInfo
    provenance: dict[str, Any]
    summary: dict[str, Any]
    path: Path
    _table_files: dict[str, dict[str, Any]]
    _cache: dict[str, pa.Table] = field(default_factory=dict, repr=False)

    @property
    def run_id(self) -> str:
        return self.info.run_id

    @property
    def table_names(self) -> tuple[str, ...]:
        return tuple(self._table_files)

    def has_table(self, name: str) -> bool:
        return name in self._table_files

    def table(self, name: str) -> pa.Table:
        """The named table, read from Parquet on first use after checking its sha256."""
        if name not in self._cache:
            meta = self._table_files.get(name)
            if meta is None:
                raise InputError(f"run {self.run_id}", "table",
                                 f"no table {name!r}; it has {', '.join(self.table_names) or 'none'}")
            data = _read_verified(self.path / meta["file"], meta, self.run_id)
            self._cache[name] = pq.read_table(pa.BufferReader(data))
        return self._cache[name]

    def tables(self) -> dict[str, pa.Table]:
        """Every table of the run (reads them all)."""
        return {name: self.table(name) for name in self.table_names}


def _sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _read_verified(path: Path, meta: Mapping[str, Any], run_id: str) -> bytes:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"run {run_id}", None, "was deleted while being read") from None
    if len(data) != meta["bytes"] or hashlib.sha256(data).hexdigest() != meta["sha256"]:
        raise InputError(f"run {run_id}", path.name, "is damaged (size or sha256 differs from the manifest)")
    return data


def _json_bytes(obj: Any) -> bytes:
    return json.dumps(obj, indent=1, sort_keys=False, default=_json_default).encode("utf-8")


def _json_default(obj: Any) -> Any:
    if hasattr(obj, "item"):  # numpy scalars
        return obj.item()
    if hasattr(obj, "tolist"):
        return obj.tolist()
    if isinstance(obj, datetime):
        return obj.isoformat()
    raise TypeError(f"not JSON-serialisable: {type(obj).__name__}")


def _info_from_manifest(manifest: Mapping[str, Any], run_dir: Path) -> RunInfo:
    c = manifest["catalog"]
    return RunInfo(
        run_id=manifest["run_id"], kind=manifest["kind"], created_at=manifest["created_at"],
        scenario=c.get("scenario"), plans=tuple(c.get("plans") or ()), seed=c.get("seed"),
        samples=c.get("samples"), crunchtime_version=c.get("crunchtime_version"),
        started_at=c.get("started_at"), wall_time_s=c.get("wall_time_s"),
        scenario_sha256=c.get("scenario_sha256"), plan_sha256=tuple(c.get("plan_sha256") or ()),
        tables=tuple(manifest["tables"]), n_bytes=int(manifest["n_bytes"]), path=str(run_dir),
    )


def _info_from_row(row: Mapping[str, Any]) -> RunInfo:
    created = row["created_at"]
    if isinstance(created, datetime):
        created = created.replace(tzinfo=timezone.utc).isoformat(timespec="microseconds")
    return RunInfo(
        run_id=row["run_id"], kind=row["kind"], created_at=created, scenario=row["scenario"],
        plans=tuple(row["plans"] or ()), seed=row["seed"], samples=row["samples"],
        crunchtime_version=row["crunchtime_version"], started_at=row["started_at"],
        wall_time_s=row["wall_time_s"], scenario_sha256=row["scenario_sha256"],
        plan_sha256=tuple(row["plan_sha256"] or ()), tables=tuple(row["tables"] or ()),
        n_bytes=int(row["n_bytes"] or 0), path=row["path"],
    )


def _catalog_entry(info: RunInfo, table_files: Mapping[str, Any]) -> dict[str, Any]:
    entry = info.to_dict()
    entry["table_files"] = dict(table_files)
    return entry


class RunStore:
    """Saved simulation results under one home directory; safe against crashes and concurrent savers."""

    def __init__(self, home: Path | str | None = None, *, lock_timeout_s: float = 30.0):
        self.home = Path(home).expanduser() if home is not None else default_home()
        self.runs_dir = self.home / "runs"
        self.tmp_dir = self.home / "tmp"
        self.trash_dir = self.home / "trash"
        try:
            for d in (self.runs_dir, self.tmp_dir, self.trash_dir):
                d.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise InputError(str(self.home), None, f"cannot create the run store here ({exc.strerror})") from None
        self.catalog = Catalog(self.home / "catalog.duckdb", timeout_s=lock_timeout_s)

    # --- saving -----------------------------------------------------------------------------------

    def save(
        self,
        kind: str,
        provenance: Mapping[str, Any],
        summary: Mapping[str, Any],
        tables: Mapping[str, pa.Table],
    ) -> str:
        """Save a run durably and atomically; returns its new id. Readers see all of it or nothing."""
        if not _NAME_RE.match(kind or ""):
            raise ValueError(f"run kind {kind!r} must be a short name such as 'run' or 'compare'")
        for name, table in tables.items():
            if not _NAME_RE.match(name):
                raise ValueError(f"table name {name!r} must be letters, digits, '_', '-' or '.'")
            if not isinstance(table, pa.Table):
                raise TypeError(f"table {name!r} is a {type(table).__name__}, expected pyarrow.Table")
        prov = complete_provenance(provenance, summary)
        summary_bytes = _json_bytes(dict(summary))
        prov_bytes = _json_bytes(prov)

        created = datetime.now(timezone.utc)
        run_id = new_run_id(created)
        work = self.tmp_dir / f"{run_id}.{os.getpid()}.{secrets.token_hex(4)}"
        (work / "tables").mkdir(parents=True)
        try:
            failpoint("before_tables")
            table_files: dict[str, dict[str, Any]] = {}
            for i, (name, table) in enumerate(tables.items()):
                rel = f"tables/{name}.parquet"
                pq.write_table(table, work / rel, compression="zstd")
                fsync_file(work / rel)
                table_files[name] = {
                    "file": rel, "rows": table.num_rows, "bytes": (work / rel).stat().st_size,
                    "sha256": _sha256_file(work / rel), "columns": table.column_names,
                }
                if i == 0:
                    failpoint("mid_tables")
            write_bytes_durably(work / "summary.json", summary_bytes)
            write_bytes_durably(work / "provenance.json", prov_bytes)
            fsync_dir(work / "tables")
            files = {
                n: {"bytes": len(b), "sha256": hashlib.sha256(b).hexdigest()}
                for n, b in (("summary.json", summary_bytes), ("provenance.json", prov_bytes))
            }
            plans = prov["plans"]
            catalog_fields = {
                "scenario": prov.get("scenario_name"), "plans": list(plans),
                "seed": prov.get("seed"), "samples": prov.get("samples"),
                "crunchtime_version": prov.get("crunchtime_version"), "started_at": prov.get("started_at"),
                "wall_time_s": prov.get("wall_time_s"), "scenario_sha256": prov.get("scenario_sha256"),
                "plan_sha256": [p.get("sha256") for p in plans.values()],
            }
            n_bytes = sum(t["bytes"] for t in table_files.values()) + len(summary_bytes) + len(prov_bytes)
            failpoint("before_manifest")
            run_dir = self._publish(work, run_id, created, kind, table_files, files, catalog_fields, n_bytes)
        except BaseException:
            remove_tree(work)
            raise
        failpoint("after_rename")
        manifest = json.loads((run_dir / MANIFEST).read_bytes())
        info = _info_from_manifest(manifest, run_dir)
        try:
            with self.catalog.session() as con:
                Catalog.upsert(con, [_catalog_entry(info, table_files)])
        except CatalogBusy:
            pass  # the run is saved; the next list() or reconcile() indexes it
        failpoint("after_catalog")
        return info.run_id

    def _publish(self, work: Path, run_id: str, created: datetime, kind: str,
                 table_files: dict, files: dict, catalog_fields: dict, n_bytes: int) -> Path:
        """Write the manifest last, then rename the work dir into runs/ (new id on a clash)."""
        for _attempt in range(8):
            manifest = {
                "format": FORMAT, "format_version": FORMAT_VERSION, "run_id": run_id, "kind": kind,
                "created_at": created.isoformat(timespec="microseconds"), "tables": table_files,
                "files": files, "n_bytes": n_bytes, "catalog": catalog_fields,
            }
            mpath = work / MANIFEST
            if mpath.exists():
                mpath.unlink()
            write_bytes_durably(mpath, _json_bytes(manifest))
            fsync_dir(work)
            failpoint("before_rename")
            target = self.runs_dir / run_id
            try:
                os.rename(work, target)
            except OSError as exc:
                if exc.errno in (errno.EEXIST, errno.ENOTEMPTY):
                    run_id = new_run_id(created)
                    continue
                raise
            fsync_dir(self.runs_dir)
            return target
        raise RuntimeError("could not find a free run id")  # pragma: no cover

    # --- reading ----------------------------------------------------------------------------------

    def _read_manifest(self, run_dir: Path) -> dict[str, Any] | None:
        try:
            manifest = json.loads((run_dir / MANIFEST).read_bytes())
        except (OSError, ValueError):
            return None
        if not isinstance(manifest, dict) or manifest.get("format") != FORMAT \
                or manifest.get("run_id") != run_dir.name:
            return None
        return manifest

    def _complete_dirs(self) -> dict[str, Path]:
        try:
            names = os.listdir(self.runs_dir)
        except FileNotFoundError:
            return {}
        return {n: self.runs_dir / n for n in names
                if is_run_id(n) and (self.runs_dir / n / MANIFEST).is_file()}

    def resolve(self, run_id: str) -> str:
        """The full id for `run_id` or a unique prefix of one; InputError if none or several match."""
        run_id = (run_id or "").strip()
        if is_run_id(run_id) and (self.runs_dir / run_id / MANIFEST).is_file():
            return run_id
        if not run_id or "/" in run_id or run_id.startswith("."):
            raise InputError("run store", "run id", f"{run_id!r} is not a run id")
        matches = sorted(n for n in self._complete_dirs() if n.startswith(run_id))
        if not matches:
            raise InputError("run store", "run id",
                             f"no run {run_id!r} in {self.home} (see `crunchtime runs list`)")
        if len(matches) > 1:
            raise InputError("run store", "run id",
                             f"{run_id!r} matches {len(matches)} runs ({', '.join(matches[:3])}, ...); give more characters")
        return matches[0]

    def load(self, run_id: str) -> StoredRun:
        """A complete run by id (or unique id prefix); tables are read lazily."""
        rid = self.resolve(run_id)
        run_dir = self.runs_dir / rid
        manifest = self._read_manifest(run_dir)
        if manifest is None:
            raise InputError(f"run {rid}", MANIFEST, "is missing or unreadable; the run is damaged")
        docs = {}
        for name in ("summary.json", "provenance.json"):
            data = _read_verified(run_dir / name, manifest["files"][name], rid)
            docs[name] = json.loads(data)
        return StoredRun(
            info=_info_from_manifest(manifest, run_dir), provenance=docs["provenance.json"],
            summary=docs["summary.json"], path=run_dir, _table_files=dict(manifest["tables"]),
        )

    def list(self) -> list[RunInfo]:
        """Every complete run, oldest first, from the catalogue after reconciling it with runs/."""
        try:
            with self.catalog.session() as con:
                self._reconcile(con)
                rows = Catalog.rows(con)
            return [_info_from_row(r) for r in rows]
        except CatalogBusy:
            return self._scan()

    def _scan(self) -> list[RunInfo]:
        """Every complete run read straight from the manifests (used when the catalogue is busy)."""
        infos = []
        for run_dir in self._complete_dirs().values():
            manifest = self._read_manifest(run_dir)
            if manifest is not None:
                infos.append(_info_from_manifest(manifest, run_dir))
        return sorted(infos, key=lambda i: (i.created_at, i.run_id))

    # --- maintenance ------------------------------------------------------------------------------

    def reconcile(self) -> dict[str, list[str]]:
        """Index complete runs the catalogue lacks, drop entries without a run, sweep abandoned temp dirs."""
        with self.catalog.session() as con:
            return self._reconcile(con)

    def _reconcile(self, con) -> dict[str, list[str]]:
        dirs = self._complete_dirs()
        known = Catalog.ids(con)
        added = []
        entries = []
        for rid in sorted(set(dirs) - known):
            manifest = self._read_manifest(dirs[rid])
            if manifest is None:
                continue
            entries.append(_catalog_entry(_info_from_manifest(manifest, dirs[rid]), manifest["tables"]))
            added.append(rid)
        Catalog.upsert(con, entries)
        removed = sorted(known - set(dirs))
        Catalog.remove(con, removed)
        self._sweep()
        return {"added": added, "removed": removed}

    def _sweep(self) -> None:
        """Remove temp dirs of dead (or day-old) savers and leftovers of interrupted deletes."""
        now = time.time()
        for entry in _listdir(self.tmp_dir):
            parts = entry.split(".")
            pid = int(parts[1]) if len(parts) == 3 and parts[1].isdigit() else None
            path = self.tmp_dir / entry
            try:
                old = now - path.stat().st_mtime > _STALE_TMP_S
            except FileNotFoundError:
                continue
            if pid is None or not pid_alive(pid) or old:
                remove_tree(path)
        for entry in _listdir(self.trash_dir):
            remove_tree(self.trash_dir / entry)

    def delete(self, run_id: str) -> RunInfo:
        """Delete a run: it leaves runs/ in one rename, then its files and catalogue row go."""
        stored = self.load(run_id)
        rid = stored.run_id
        trash = self.trash_dir / f"{rid}.{secrets.token_hex(4)}"
        try:
            os.rename(self.runs_dir / rid, trash)
        except FileNotFoundError:
            raise InputError("run store", "run id", f"run {rid} was deleted by another process") from None
        fsync_dir(self.runs_dir)
        failpoint("delete_after_rename")
        try:
            with self.catalog.session() as con:
                Catalog.remove(con, [rid])
        except CatalogBusy:
            pass  # reconcile drops the stale row
        remove_tree(trash)
        return stored.info


def _listdir(path: Path) -> list[str]:
    try:
        return os.listdir(path)
    except FileNotFoundError:
        return []


def load_run(run_id: str) -> StoredRun:
    """Load a run from the default store (`$CRUNCHTIME_HOME` or the per-user data directory)."""
    return RunStore().load(run_id)
