"""Choosing a backend: the local backend is today's engine, bad choices are one line, and a missing Ray extra
says how to install it (these tests run whether or not Ray is installed)."""

import json
import sys

import numpy as np
import pytest

from cli_helpers import cli
from crunchtime import api
from crunchtime.engine import chunk_bounds, simulate_chunk
from crunchtime.engine.backends import Job, get_backend
from crunchtime.engine.backends.local import LocalBackend

N = 512


@pytest.fixture(scope="module")
def scenario():
    return api.load_scenario("default")


@pytest.fixture(scope="module")
def plans():
    return [api.load_plan("clymer"), api.load_plan("stop-now")]


def test_chunk_bounds_are_whole_blocks_covering_every_trajectory():
    assert chunk_bounds(1000, 256) == [(0, 256), (256, 256), (512, 256), (768, 232)]
    assert chunk_bounds(100, 2048) == [(0, 100)]
    with pytest.raises(ValueError):
        chunk_bounds(1000, 300)


def test_local_backend_returns_chunks_in_order_as_simulate_chunk_does(scenario, plans):
    chunks = chunk_bounds(N, 256)
    seen = []
    out = get_backend("local", None, 1).run(
        Job(scenario, plans, 4, 100, None, simulate=simulate_chunk),
        chunks,
        lambda done, total: seen.append((done, total)),
    )
    assert seen == [(1, 2), (2, 2)]
    assert [[c.plan_index for c in per] for per in out] == [[0, 1], [0, 1]]
    assert [per[0].start for per in out] == [0, 256]
    direct = simulate_chunk(scenario, plans, 4, 256, 256, 100)
    for a, b in zip(out[1], direct):
        np.testing.assert_array_equal(a.outcome, b.outcome)
        np.testing.assert_array_equal(a.series_sum, b.series_sum)
        assert a.series_kept.shape[2] == 0  # past the quantile cap of 100


def test_a_chunk_given_only_its_design_rows_matches_the_full_design(scenario, plans):
    """What a remote task gets (its rows, offset by its start) simulates what the full design does."""
    params = api.parameters(scenario, uncertain_only=True)[:2]
    u = np.linspace(0.05, 0.95, N)
    design = {p.name: p.ppf(u) for p in params}
    full = simulate_chunk(scenario, plans, 2, 256, 256, 0, design)
    rows = {k: v[256:512].copy() for k, v in design.items()}
    part = simulate_chunk(scenario, plans, 2, 256, 256, 0, rows, design_offset=256)
    for a, b in zip(full, part):
        np.testing.assert_array_equal(a.outcome, b.outcome)
        np.testing.assert_array_equal(a.scalars["catastrophe_risk"], b.scalars["catastrophe_risk"])


def test_local_backend_is_the_default(scenario):
    backend = get_backend()
    assert isinstance(backend, LocalBackend) and backend.workers == 1


@pytest.mark.parametrize(
    "kwargs,argument",
    [
        ({"backend": "slurm"}, "backend"),
        ({"backend": "ray", "address": "not an address"}, "address"),
        ({"backend": "local", "address": "auto"}, "address"),
        ({"backend": "ray", "address": 6379}, "address"),
    ],
)
def test_bad_backend_or_address_names_the_argument(scenario, kwargs, argument):
    with pytest.raises(api.ArgumentError) as exc:
        api.simulate(scenario, "clymer", samples=256, **kwargs)
    assert exc.value.argument == argument


@pytest.mark.parametrize("address", ["auto", "10.0.0.5:6379", "head-node.cluster:6379", "ray://10.0.0.5:10001"])
def test_addresses_that_ray_accepts_pass_the_check(address):
    from crunchtime.engine.backends import check_backend

    check_backend("ray", address)


@pytest.fixture
def without_ray(monkeypatch):
    """As if the Ray extra were not installed: `import ray` fails."""
    monkeypatch.setitem(sys.modules, "ray", None)


def test_missing_ray_extra_says_how_to_install_it(without_ray, scenario):
    with pytest.raises(api.ArgumentError, match=r'pip install "crunchtime\[ray\]"') as exc:
        api.compare(scenario, ["clymer"], samples=256, backend="ray")
    assert exc.value.argument == "backend"


@pytest.mark.parametrize("command", ["run", "compare"])
def test_cli_backend_ray_without_the_extra_is_one_line_and_exit_2(without_ray, capsys, tmp_path, monkeypatch, command):
    monkeypatch.setenv("CRUNCHTIME_HOME", str(tmp_path))
    code, out, err = cli(capsys, command, "--samples", "256", "--backend", "ray", "--no-save", "-q")
    assert code == 2 and out == ""
    assert err.strip().count("\n") == 0
    assert err.startswith("error: --backend:") and 'pip install "crunchtime[ray]"' in err


def test_cli_bad_backend_is_one_line(capsys):
    code, _, err = cli(capsys, "run", "--samples", "256", "--backend", "mpi", "--no-save")
    assert code == 2 and err.startswith("error: --backend: must be one of local, ray")


def test_cli_local_backend_named_gives_the_default_json(capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("CRUNCHTIME_HOME", str(tmp_path))
    _, plain, _ = cli(capsys, "run", "--samples", "256", "--no-save", "--json")
    _, named, _ = cli(capsys, "run", "--samples", "256", "--no-save", "--json", "--backend", "local")
    assert json.loads(plain) == json.loads(named)


@pytest.mark.slow  # a wall-clock bound
def test_an_address_where_nothing_listens_is_refused_at_once():
    """Ray itself retries an unreachable address for minutes; crunchtime answers one line in seconds."""
    import socket
    import time

    from crunchtime.engine.backends.ray import _probe

    with socket.socket() as sock:  # bound but not listening: nothing answers on this port
        sock.bind(("127.0.0.1", 0))
        address = f"127.0.0.1:{sock.getsockname()[1]}"
        t0 = time.monotonic()
        with pytest.raises(api.ArgumentError, match=r"no Ray cluster answers at 127\.0\.0\.1:") as exc:
            _probe(address)
    assert exc.value.argument == "address" and time.monotonic() - t0 < 5


@pytest.mark.parametrize(
    "command",
    [
        ["table1", "--samples", "16"],
        ["optimize", "--plan", "clymer", "--trials", "1", "--samples", "16"],
        ["discover", "--plan", "clymer", "--samples", "100"],
        ["sensitivity", "--plan", "clymer", "--base-samples", "2"],
        ["claims", "--samples", "16"],
    ],
)
def test_every_analysis_command_takes_the_backend_flags(capsys, command):
    code, _out, err = cli(capsys, *command, "--backend", "nope")
    assert code == 2 and err.strip() == "error: --backend: must be one of local, ray, got 'nope'"
