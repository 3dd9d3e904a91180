"""The run store: each run is a directory of Parquet tables and JSON, published by one atomic rename.

Layout under the store's home:
    runs/<id>/manifest.json        written last; lists every file with its size and sha256
    runs/<id>/summary.json, provenance.json, tables/<name>.parquet
    tmp/<id>.<pid>.<rand>/         a save in progress (invisible to readers; swept once its process is gone)
    trash/<id>.<rand>/             a delete in progress (swept)
    catalog.duckdb                 index of runs/ with provenance columns (rebuildable)
"""

from __future__ import annotations

import builtins
import json
import os
import secrets
import time
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyarrow as pa

from crunchtime.errors import InputError
from crunchtime.results.store._fs import failpoint, fsync_dir, pid_alive, remove_tree
from crunchtime.results.store._ids import is_run_id, new_run_id
from crunchtime.results.store.catalog import Catalog, CatalogBusy
from crunchtime.results.store.provenance import complete_provenance
from crunchtime.results.store.runfiles import MANIFEST, json_bytes, listdir, read_manifest, read_verified
from crunchtime.results.store.runinfo import RunInfo, catalog_entry, info_from_manifest, info_from_row
from crunchtime.results.store.saving import catalog_fields, check_names, publish, write_documents, write_tables
from crunchtime.results.store.storedrun import StoredRun

if TYPE_CHECKING:
    import duckdb

__all__ = ["HOME_ENV", "RunInfo", "RunStore", "StoredRun", "default_home", "load_run"]

HOME_ENV = "CRUNCHTIME_HOME"
_STALE_TMP_S = 24 * 3600


def default_home() -> Path:
    """`$CRUNCHTIME_HOME`, else `$XDG_DATA_HOME/crunchtime`, else `~/.local/share/crunchtime`."""
    if os.environ.get(HOME_ENV):
        return Path(os.environ[HOME_ENV]).expanduser()
    xdg = os.environ.get("XDG_DATA_HOME")
    base = Path(xdg).expanduser() if xdg else Path.home() / ".local" / "share"
    return base / "crunchtime"


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
        check_names(kind, tables)
        prov = complete_provenance(provenance, summary)
        summary_bytes = json_bytes(dict(summary))
        prov_bytes = json_bytes(prov)

        created = datetime.now(UTC)
        run_id = new_run_id(created)
        work = self.tmp_dir / f"{run_id}.{os.getpid()}.{secrets.token_hex(4)}"
        (work / "tables").mkdir(parents=True)
        try:
            failpoint("before_tables")
            table_files = write_tables(work, tables)
            files = write_documents(work, summary_bytes, prov_bytes)
            catalog = catalog_fields(prov)
            n_bytes = sum(t["bytes"] for t in table_files.values()) + len(summary_bytes) + len(prov_bytes)
            failpoint("before_manifest")
            run_dir = publish(work, self.runs_dir, run_id, created, kind, table_files, files, catalog, n_bytes)
        except BaseException:
            remove_tree(work)
            raise
        failpoint("after_rename")
        info = self._index_saved(run_dir, table_files)
        failpoint("after_catalog")
        return info.run_id

    def _index_saved(self, run_dir: Path, table_files: Mapping[str, Any]) -> RunInfo:
        """A just-published run's info, indexed in the catalogue unless it is busy (then reconcile indexes it)."""
        manifest = json.loads((run_dir / MANIFEST).read_bytes())
        info = info_from_manifest(manifest, run_dir)
        try:
            with self.catalog.session() as con:
                Catalog.upsert(con, [catalog_entry(info, table_files)])
        except CatalogBusy:
            pass  # the run is saved; the next list() or reconcile() indexes it
        return info

    # --- reading ----------------------------------------------------------------------------------

    def _complete_dirs(self) -> dict[str, Path]:
        try:
            names = os.listdir(self.runs_dir)
        except FileNotFoundError:
            return {}
        return {n: self.runs_dir / n for n in names if is_run_id(n) and (self.runs_dir / n / MANIFEST).is_file()}

    def resolve(self, run_id: str) -> str:
        """The full id for `run_id` or a unique prefix of one; InputError if none or several match."""
        run_id = (run_id or "").strip()
        if is_run_id(run_id) and (self.runs_dir / run_id / MANIFEST).is_file():
            return run_id
        if not run_id or "/" in run_id or run_id.startswith("."):
            raise InputError("run store", "run id", f"{run_id!r} is not a run id")
        matches = sorted(n for n in self._complete_dirs() if n.startswith(run_id))
        if not matches:
            raise InputError("run store", "run id", f"no run {run_id!r} in {self.home} (see `crunchtime runs list`)")
        if len(matches) > 1:
            raise InputError(
                "run store",
                "run id",
                f"{run_id!r} matches {len(matches)} runs ({', '.join(matches[:3])}, ...); give more characters",
            )
        return matches[0]

    def load(self, run_id: str) -> StoredRun:
        """A complete run by id (or unique id prefix); tables are read lazily."""
        rid = self.resolve(run_id)
        run_dir = self.runs_dir / rid
        manifest = read_manifest(run_dir)
        if manifest is None:
            raise InputError(f"run {rid}", MANIFEST, "is missing or unreadable; the run is damaged")
        docs = {}
        for name in ("summary.json", "provenance.json"):
            data = read_verified(run_dir / name, manifest["files"][name], rid)
            docs[name] = json.loads(data)
        return StoredRun(
            info=info_from_manifest(manifest, run_dir),
            provenance=docs["provenance.json"],
            summary=docs["summary.json"],
            path=run_dir,
            _table_files=dict(manifest["tables"]),
        )

    def list(self) -> list[RunInfo]:
        """Every complete run, oldest first, from the catalogue after reconciling it with runs/."""
        try:
            with self.catalog.session() as con:
                self._reconcile(con)
                rows = Catalog.rows(con)
            return [info_from_row(r) for r in rows]
        except CatalogBusy:
            return self._scan()

    def _scan(self) -> builtins.list[RunInfo]:
        """Every complete run read straight from the manifests (used when the catalogue is busy)."""
        infos = []
        for run_dir in self._complete_dirs().values():
            manifest = read_manifest(run_dir)
            if manifest is not None:
                infos.append(info_from_manifest(manifest, run_dir))
        return sorted(infos, key=lambda i: (i.created_at, i.run_id))

    # --- maintenance ------------------------------------------------------------------------------

    def reconcile(self) -> dict[str, builtins.list[str]]:
        """Index complete runs the catalogue lacks, drop entries without a run, sweep abandoned temp dirs."""
        with self.catalog.session() as con:
            return self._reconcile(con)

    def _reconcile(self, con: duckdb.DuckDBPyConnection) -> dict[str, builtins.list[str]]:
        dirs = self._complete_dirs()
        known = Catalog.ids(con)
        added = []
        entries = []
        for rid in sorted(set(dirs) - known):
            manifest = read_manifest(dirs[rid])
            if manifest is None:
                continue
            entries.append(catalog_entry(info_from_manifest(manifest, dirs[rid]), manifest["tables"]))
            added.append(rid)
        Catalog.upsert(con, entries)
        removed = sorted(known - set(dirs))
        Catalog.remove(con, removed)
        self._sweep()
        return {"added": added, "removed": removed}

    def _sweep(self) -> None:
        """Remove temp dirs of dead (or day-old) savers and leftovers of interrupted deletes."""
        now = time.time()
        for entry in listdir(self.tmp_dir):
            parts = entry.split(".")
            pid = int(parts[1]) if len(parts) == 3 and parts[1].isdigit() else None
            path = self.tmp_dir / entry
            try:
                old = now - path.stat().st_mtime > _STALE_TMP_S
            except FileNotFoundError:
                continue
            if pid is None or not pid_alive(pid) or old:
                remove_tree(path)
        for entry in listdir(self.trash_dir):
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


def load_run(run_id: str) -> StoredRun:
    """Load a run from the default store (`$CRUNCHTIME_HOME` or the per-user data directory)."""
    return RunStore().load(run_id)
