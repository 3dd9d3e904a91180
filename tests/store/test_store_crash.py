"""A saver SIGKILLed at any point leaves a complete run or none, and never harms earlier runs."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from store_helpers import assert_run_intact, make_run

from crunchtime.results.store import RunStore
from crunchtime.results.store._fs import FAILPOINT_DIR_ENV, FAILPOINT_ENV

pytestmark = pytest.mark.slow  # kills savers at failpoints and after random delays, polling the wall clock

HERE = Path(__file__).parent
SAVER = HERE / "saver_proc.py"

# failpoint -> whether the killed run must be visible afterwards
POINTS = {
    "before_tables": False,
    "mid_tables": False,
    "before_manifest": False,
    "before_rename": False,
    "after_rename": True,
    "catalog_mid_transaction": True,
    "after_catalog": True,
}


def _spawn(home: Path, first: int, count: int, rows: int, env_extra: dict[str, str] | None = None):
    env = {**os.environ, **(env_extra or {})}
    env["PYTHONPATH"] = os.pathsep.join([str(HERE), env.get("PYTHONPATH", "")])
    return subprocess.Popen(
        [sys.executable, str(SAVER), str(home), str(first), str(count), str(rows)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def _check_store(home: Path, must_have: set[str]) -> list[str]:
    """Open the store as a new user would: every listed run loads in full; return the listed ids."""
    store = RunStore(home, lock_timeout_s=10)
    listed = [i.run_id for i in store.list()]
    assert must_have <= set(listed)
    for rid in listed:
        assert_run_intact(store.load(rid))
    assert not list(store.tmp_dir.iterdir()), "abandoned temp dirs were not swept"
    # the catalogue holds exactly the complete runs
    assert sorted(listed) == sorted(p.name for p in store.runs_dir.iterdir())
    return listed


def _wait_for_runs(home: Path, count: int, proc: subprocess.Popen, timeout_s: float = 120) -> None:
    """Wait until `count` complete runs are in the store (however slow the machine is)."""
    deadline = time.monotonic() + timeout_s
    runs = home / "runs"
    while not (runs.is_dir() and len(list(runs.iterdir())) >= count):
        assert proc.poll() is None, proc.stderr.read()
        assert time.monotonic() < deadline, "the saver never completed a run"
        time.sleep(0.02)


@pytest.mark.parametrize("point", list(POINTS))
def test_kill_at_failpoint(tmp_path: Path, point: str) -> None:
    home = tmp_path / "home"
    store = RunStore(home)
    earlier = {store.save("run", *make_run(i, rows=300)) for i in range(2)}
    marker = tmp_path / "markers"
    marker.mkdir()
    proc = _spawn(home, 100, 1, 3000, {FAILPOINT_ENV: point, FAILPOINT_DIR_ENV: str(marker)})
    deadline = time.monotonic() + 30
    while not (marker / f"reached-{point}").exists():
        assert proc.poll() is None, proc.stderr.read()
        assert time.monotonic() < deadline, "saver never reached the failpoint"
        time.sleep(0.01)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    listed = set(_check_store(home, earlier))
    killed = listed - earlier
    assert len(killed) == (1 if POINTS[point] else 0)


def test_kill_during_delete_leaves_no_half_run(tmp_path: Path) -> None:
    home = tmp_path / "home"
    store = RunStore(home)
    keep = store.save("run", *make_run(1, rows=50))
    victim = store.save("run", *make_run(2, rows=50))
    marker = tmp_path / "m"
    marker.mkdir()
    code = f"from crunchtime.results.store import RunStore; RunStore({str(home)!r}).delete({victim!r})"
    env = {**os.environ, FAILPOINT_ENV: "delete_after_rename", FAILPOINT_DIR_ENV: str(marker)}
    proc = subprocess.Popen([sys.executable, "-c", code], env=env)
    deadline = time.monotonic() + 30
    while not (marker / "reached-delete_after_rename").exists():
        assert proc.poll() is None and time.monotonic() < deadline
        time.sleep(0.01)
    proc.kill()
    proc.wait()
    assert _check_store(home, {keep}) == [keep]
    assert not list((home / "trash").iterdir())


def test_kill_after_random_delays(tmp_path: Path) -> None:
    """A loop saving largish runs is killed at random moments, four times over the same store."""
    home = tmp_path / "home"
    rng = random.Random(20250101)
    saved: set[str] = set()
    first = 0
    for _round in range(4):
        proc = _spawn(home, first, 50, 30_000)
        _wait_for_runs(home, len(saved) + 1, proc)  # load-independent: one more save landed, then a random kill
        time.sleep(rng.uniform(0.0, 1.2))
        proc.send_signal(signal.SIGKILL)
        out, _ = proc.communicate()
        saved |= {line.split()[0] for line in out.splitlines() if line.strip()}  # save() returned
        first += 50
        listed = _check_store(home, saved)
        assert len(set(listed) - saved) <= 1  # at most the run being saved when killed
        saved = set(listed)
    assert saved, "no save completed: the delays never let one finish"
