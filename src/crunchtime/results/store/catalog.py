"""The DuckDB catalogue: an index of the run directories with their provenance columns.

The run directories are the source of truth; this file can be deleted at any time and is rebuilt
from them. DuckDB lets one process at a time open a database file for writing (it takes a file
lock), so every access opens a short-lived connection, retrying with jittered backoff while
another process holds the lock. A file DuckDB cannot open as a database is moved aside and rebuilt.
"""

from __future__ import annotations

import random
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb

from crunchtime.results.store._fs import failpoint

SCHEMA_VERSION = "1"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR);
CREATE TABLE IF NOT EXISTS runs (
    run_id VARCHAR PRIMARY KEY,
    kind VARCHAR,
    created_at TIMESTAMP,
    scenario VARCHAR,
    plans VARCHAR[],
    seed BIGINT,
    samples BIGINT,
    crunchtime_version VARCHAR,
    started_at VARCHAR,
    wall_time_s DOUBLE,
    scenario_sha256 VARCHAR,
    plan_sha256 VARCHAR[],
    tables VARCHAR[],
    n_bytes BIGINT,
    path VARCHAR
);
CREATE TABLE IF NOT EXISTS run_tables (
    run_id VARCHAR, name VARCHAR, file VARCHAR, n_rows BIGINT, n_bytes BIGINT, sha256 VARCHAR
);
"""

RUN_COLUMNS = (
    "run_id",
    "kind",
    "created_at",
    "scenario",
    "plans",
    "seed",
    "samples",
    "crunchtime_version",
    "started_at",
    "wall_time_s",
    "scenario_sha256",
    "plan_sha256",
    "tables",
    "n_bytes",
    "path",
)


#: consecutive non-lock errors (about half a second apart in all) before the catalogue is judged damaged
DAMAGE_CONFIRMATIONS = 4


class CatalogBusy(RuntimeError):
    """Another process kept the catalogue locked for longer than the timeout."""


def _is_lock_conflict(exc: BaseException) -> bool:
    text = str(exc).lower()
    return "lock" in text and ("conflicting" in text or "could not set" in text)


class Catalog:
    """Short-lived, retrying access to `catalog.duckdb`; rebuilt from run directories when lost."""

    def __init__(self, path: Path, timeout_s: float = 30.0):
        self.path = Path(path)
        self.timeout_s = timeout_s

    def _quarantine(self) -> None:
        """Move an unreadable catalogue (and its WAL) aside; the caller rebuilds it from the runs."""
        stamp = f"{time.time_ns()}"
        for suffix in ("", ".wal"):
            src = self.path.with_name(self.path.name + suffix)
            if src.exists():
                src.rename(self.path.with_name(f"{self.path.name}.damaged-{stamp}{suffix}"))

    def _open(self) -> duckdb.DuckDBPyConnection:
        deadline = time.monotonic() + self.timeout_s
        delay = 0.005
        failures = 0  # consecutive errors that are not lock conflicts
        quarantined = False
        while True:
            try:
                con = duckdb.connect(str(self.path))
                try:
                    self._ensure_schema(con)
                except duckdb.Error:
                    con.close()
                    raise
                return con
            except duckdb.Error as exc:
                if _is_lock_conflict(exc):
                    if time.monotonic() >= deadline:
                        raise CatalogBusy(f"{self.path}: locked by another process for {self.timeout_s:.0f} s") from exc
                    time.sleep(delay * (0.5 + random.random()))
                    delay = min(delay * 2, 0.25)
                    continue
                # another process may be mid-write (a transient error under contention): only an error that
                # persists is a damaged file, and only then is the catalogue moved aside and rebuilt
                failures += 1
                if failures < DAMAGE_CONFIRMATIONS:
                    time.sleep(0.05 * failures)
                    continue
                if quarantined:
                    raise
                self._quarantine()
                quarantined, failures = True, 0

    @staticmethod
    def _ensure_schema(con: duckdb.DuckDBPyConnection) -> None:
        con.execute(_SCHEMA)
        row = con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        if row is None or row[0] != SCHEMA_VERSION:
            con.execute("BEGIN TRANSACTION")
            con.execute("DROP TABLE IF EXISTS runs; DROP TABLE IF EXISTS run_tables;")
            con.execute(_SCHEMA)
            con.execute("DELETE FROM meta WHERE key = 'schema_version'")
            con.execute("INSERT INTO meta VALUES ('schema_version', ?)", [SCHEMA_VERSION])
            con.execute("COMMIT")

    @contextmanager
    def session(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """An open connection holding the catalogue's lock; keep the block short."""
        con = self._open()
        try:
            yield con
        finally:
            con.close()

    # --- operations on an open session -------------------------------------------------------

    @staticmethod
    def upsert(con: duckdb.DuckDBPyConnection, entries: Iterable[dict[str, Any]]) -> None:
        """Insert or replace catalogue rows for complete runs, in one transaction."""
        entries = list(entries)
        if not entries:
            return
        con.execute("BEGIN TRANSACTION")
        try:
            ids = [[e["run_id"]] for e in entries]
            con.executemany("DELETE FROM runs WHERE run_id = ?", ids)
            con.executemany("DELETE FROM run_tables WHERE run_id = ?", ids)
            placeholders = ", ".join("?" for _ in RUN_COLUMNS)
            con.executemany(
                f"INSERT INTO runs ({', '.join(RUN_COLUMNS)}) VALUES ({placeholders})",
                [[_coerce(c, e.get(c)) for c in RUN_COLUMNS] for e in entries],
            )
            table_rows = [
                [e["run_id"], name, t["file"], t["rows"], t["bytes"], t["sha256"]]
                for e in entries
                for name, t in e["table_files"].items()
            ]
            if table_rows:
                con.executemany("INSERT INTO run_tables VALUES (?, ?, ?, ?, ?, ?)", table_rows)
            failpoint("catalog_mid_transaction")
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise

    @staticmethod
    def remove(con: duckdb.DuckDBPyConnection, run_ids: Iterable[str]) -> None:
        """Drop catalogue rows (for runs deleted or never completed)."""
        ids = [[r] for r in run_ids]
        if not ids:
            return
        con.execute("BEGIN TRANSACTION")
        con.executemany("DELETE FROM runs WHERE run_id = ?", ids)
        con.executemany("DELETE FROM run_tables WHERE run_id = ?", ids)
        con.execute("COMMIT")

    @staticmethod
    def ids(con: duckdb.DuckDBPyConnection) -> set[str]:
        return {r[0] for r in con.execute("SELECT run_id FROM runs").fetchall()}

    @staticmethod
    def rows(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
        cur = con.execute(f"SELECT {', '.join(RUN_COLUMNS)} FROM runs ORDER BY created_at, run_id")
        return [dict(zip(RUN_COLUMNS, r)) for r in cur.fetchall()]


def _coerce(column: str, value: Any) -> Any:
    if column == "created_at" and isinstance(value, str):
        return datetime.fromisoformat(value).replace(tzinfo=None)
    return value
