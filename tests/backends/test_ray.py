"""The Ray backend on a local two-CPU Ray cluster (started once for the module): bit-identical to the local
backend, with or without a design; a worker killed mid-run is retried and changes nothing; Ctrl-C cancels
the remote chunks; the CLI's --backend ray prints the local run's JSON."""

import json
import os
import signal
import threading
import time
from pathlib import Path

import numpy as np
import pytest

from cli_helpers import cli
from crunchtime import api

ray = pytest.importorskip("ray", reason='the Ray extra is not installed (pip install "crunchtime[ray]")')

from crunchtime.engine.backends.ray import MAX_RETRIES, TASK_NAME  # noqa: E402  (needs ray)

N, CHUNK, SEED = 768, 256, 13  # three chunks, so two CPUs run chunks concurrently and out of order
PLANS = ("clymer", "stop-now")
CANCEL_GRACE_S = 3.0  # a cancelled chunk's worker is killed at once; allow for a loaded machine
FIELDS = (
    "outcome",
    "outcome_month",
    "cat_source",
    "cat_actor",
    "milestones",
    "series_kept",
    "series_mean",
    "risk",
    "speedup_kept",
)


@pytest.fixture(scope="module", autouse=True)
def cluster():
    """One local Ray cluster for every test here (starting Ray takes seconds)."""
    ray.init(num_cpus=2, include_dashboard=False, logging_level="WARNING", log_to_driver=False)
    yield
    ray.shutdown()


@pytest.fixture(scope="module")
def scenario():
    return api.load_scenario("default")


@pytest.fixture(scope="module")
def design(scenario):
    params = api.parameters(scenario, uncertain_only=True)[:3]
    u = np.random.default_rng(0).random((N, len(params)))
    return {p.name: p.ppf(u[:, j]) for j, p in enumerate(params)}


@pytest.fixture(scope="module")
def local(scenario):
    return api.compare(scenario, PLANS, samples=N, seed=SEED, chunk_size=CHUNK)


def assert_identical(a: api.ComparisonResult, b: api.ComparisonResult) -> None:
    assert json.dumps(a.summary(), sort_keys=True) == json.dumps(b.summary(), sort_keys=True)
    for name in a.plans:
        x, y = a.results[name], b.results[name]
        for field in FIELDS:
            if hasattr(x, field):
                np.testing.assert_array_equal(getattr(x, field), getattr(y, field), err_msg=f"{name}.{field}")
        for k in x.scalars:
            np.testing.assert_array_equal(x.scalars[k], y.scalars[k], err_msg=f"{name}.scalars.{k}")


def chunk_workers() -> list[int]:
    """Pids of Ray workers running a chunk now (Ray titles a busy worker ray::TASK_NAME)."""
    pids = []
    for cmd in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            if cmd.read_bytes().startswith(f"ray::{TASK_NAME}".encode()):
                pids.append(int(cmd.parent.name))
        except OSError:
            continue
    return pids


def test_ray_is_bit_identical_to_local(scenario, local):
    done = []
    got = api.compare(
        scenario,
        PLANS,
        samples=N,
        seed=SEED,
        chunk_size=CHUNK,
        backend="ray",
        progress=lambda d, t: done.append((d, t)),
    )
    assert_identical(local, got)
    assert done == [(1, 3), (2, 3), (3, 3)]  # one update per returned chunk


def test_ray_is_bit_identical_with_a_design(scenario, design):
    # the same chunk size: sums over chunks (risk, series means) add in chunk order, so another chunk size
    # changes them in the last bits (see tests/model/test_engine.py); the backend changes nothing
    ref = api.compare(scenario, PLANS, samples=N, seed=SEED, chunk_size=CHUNK, design=design)
    got = api.compare(scenario, PLANS, samples=N, seed=SEED, chunk_size=CHUNK, design=design, backend="ray")
    assert_identical(ref, got)


@pytest.mark.slow  # kills a worker it catches running a chunk
@pytest.mark.skipif(not Path("/proc/self/cmdline").exists(), reason="finds the worker through /proc (Linux)")
def test_a_worker_killed_mid_run_is_retried_and_changes_nothing(scenario, local):
    assert MAX_RETRIES >= 1
    box = {}
    run = threading.Thread(
        target=lambda: box.setdefault(
            "res", api.compare(scenario, PLANS, samples=N, seed=SEED, chunk_size=CHUNK, backend="ray")
        )
    )
    run.start()
    killed = None
    deadline = time.monotonic() + 120
    while killed is None and run.is_alive() and time.monotonic() < deadline:
        busy = chunk_workers()
        if busy:
            killed = busy[0]
            os.kill(killed, signal.SIGKILL)
        time.sleep(0.02)
    run.join(timeout=300)
    assert killed is not None, "no worker was seen running a chunk"
    assert not Path(f"/proc/{killed}").exists() or b"ray::" not in Path(f"/proc/{killed}/cmdline").read_bytes()
    assert "res" in box, "the run did not survive the killed worker"
    assert_identical(local, box["res"])


@pytest.mark.slow  # polls the wall clock for the cancelled chunks to stop
def test_ctrl_c_cancels_the_remote_chunks(scenario):
    def interrupt(done, total):
        raise KeyboardInterrupt

    # 32 chunks: many seconds of work left when the first returns, far more than the grace below
    with pytest.raises(KeyboardInterrupt):
        api.compare(scenario, PLANS, samples=32 * CHUNK, seed=SEED, chunk_size=CHUNK, backend="ray", progress=interrupt)
    deadline = time.monotonic() + CANCEL_GRACE_S
    while chunk_workers() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert chunk_workers() == [], "chunks kept running after Ctrl-C"


def test_cli_compare_backend_ray_prints_the_local_json(capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("CRUNCHTIME_HOME", str(tmp_path))
    args = ("compare", "--plans", ",".join(PLANS), "--samples", "512", "--seed", "3", "--json", "--no-save")
    code, local_out, _ = cli(capsys, *args)
    code_ray, ray_out, err = cli(capsys, *args, "--backend", "ray")
    assert code == code_ray == 0, err
    assert json.loads(ray_out) == json.loads(local_out)


def test_an_analysis_on_ray_gives_the_local_answer():
    """Every analysis passes backend= to its simulations: a small sensitivity run is identical on Ray."""
    pytest.importorskip("SALib", reason="the sensitivity extra is not installed")
    kwargs = dict(
        versus="stop-now",
        base_samples=4,
        seed=3,
        parameters=["safety_difficulty", "exposure_months"],
        replicates=1,
        switch_top=1,
        sweep_points=3,
        sweep_samples=256,
    )
    local = api.sensitivity("default", "clymer", **kwargs)
    remote = api.sensitivity("default", "clymer", backend="ray", **kwargs)
    untimed = [{k: v for k, v in r.to_dict().items() if k != "wall_time_s"} for r in (local, remote)]
    assert json.dumps(untimed[0], sort_keys=True) == json.dumps(untimed[1], sort_keys=True)
