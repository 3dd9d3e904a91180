"""Several processes saving into one store at once: every run lands in the directories and the catalogue."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from store_helpers import assert_run_intact

from crunchtime.results.store import RunStore

pytestmark = pytest.mark.slow  # racing processes, a lock held by a sleeping one

HERE = Path(__file__).parent


def _spawn(home: Path, first: int, count: int, rows: int) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(HERE), os.environ.get("PYTHONPATH", "")])}
    return subprocess.Popen(
        [sys.executable, str(HERE / "saver_proc.py"), str(home), str(first), str(count), str(rows)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def test_two_writers_all_runs_land(tmp_path: Path) -> None:
    home = tmp_path / "home"
    procs = [_spawn(home, 0, 6, 500), _spawn(home, 1000, 6, 500)]
    outs = [p.communicate(timeout=120) for p in procs]
    assert all(p.returncode == 0 for p in procs), [o[1] for o in outs]
    ids = {line.split()[0] for out, _ in outs for line in out.splitlines()}
    assert len(ids) == 12
    # indexed by the savers themselves, before any reconcile
    with duckdb.connect(str(home / "catalog.duckdb")) as con:
        indexed = {r[0] for r in con.execute("SELECT run_id FROM runs").fetchall()}
    assert indexed == ids
    store = RunStore(home)
    assert {i.run_id for i in store.list()} == ids
    for rid in ids:
        assert_run_intact(store.load(rid))


def test_busy_catalogue_does_not_block_saving_or_listing(tmp_path: Path) -> None:
    """While another process holds the catalogue lock, save() still lands and list() reads the manifests."""
    from store_helpers import make_run

    home = tmp_path / "home"
    store = RunStore(home, lock_timeout_s=0.3)
    first = store.save("run", *make_run(1, rows=5))
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"import duckdb, sys, time; c = duckdb.connect({str(home / 'catalog.duckdb')!r}); "
            "print('locked', flush=True); time.sleep(30)",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "locked"
        second = store.save("run", *make_run(2, rows=5))
        assert [i.run_id for i in store.list()] == [first, second]
    finally:
        holder.kill()
        holder.wait()
    assert store.reconcile()["added"] == [second]
