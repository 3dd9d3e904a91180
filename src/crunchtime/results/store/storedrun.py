"""`StoredRun`: a complete saved run as read back, its tables read and verified on demand."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from crunchtime.errors import InputError
from crunchtime.results.store.runfiles import read_verified
from crunchtime.results.store.runinfo import RunInfo


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
        """The run's id."""
        return self.info.run_id

    @property
    def table_names(self) -> tuple[str, ...]:
        """The names of the run's tables, in the order they were saved."""
        return tuple(self._table_files)

    def has_table(self, name: str) -> bool:
        """Whether the run has a table of this name."""
        return name in self._table_files

    def table(self, name: str) -> pa.Table:
        """The named table, read from Parquet on first use after checking its sha256."""
        if name not in self._cache:
            meta = self._table_files.get(name)
            if meta is None:
                raise InputError(
                    f"run {self.run_id}", "table", f"no table {name!r}; it has {', '.join(self.table_names) or 'none'}"
                )
            data = read_verified(self.path / meta["file"], meta, self.run_id)
            self._cache[name] = pq.read_table(pa.BufferReader(data))
        return self._cache[name]

    def tables(self) -> dict[str, pa.Table]:
        """Every table of the run (reads them all)."""
        return {name: self.table(name) for name in self.table_names}
