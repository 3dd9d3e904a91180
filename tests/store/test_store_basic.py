"""Run store: save/load/list/delete round trips, provenance, id handling and error messages."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest
from store_helpers import assert_run_intact, make_run

from crunchtime._version import __version__
from crunchtime.errors import InputError
from crunchtime.results.store import RunStore, default_home, load_run, make_provenance, sha256_text


@pytest.fixture
def store(tmp_path: Path) -> RunStore:
    return RunStore(tmp_path / "home")


def test_save_load_round_trip(store: RunStore) -> None:
    prov, summary, tables = make_run(7, rows=50)
    rid = store.save("run", prov, summary, tables)
    run = store.load(rid)
    assert run.run_id == rid and run.summary == summary
    assert_run_intact(run)
    assert run.info.plans == ("clymer",) and run.info.seed == 7 and run.info.samples == 50
    assert run.provenance["scenario_sha256"] == sha256_text("scenario 7\n")
    assert run.provenance["plans"]["clymer"]["sha256"] == sha256_text("plan 7\n")
    assert run.provenance["crunchtime_version"] == __version__
    assert run.info.tables == ("trajectories", "risk")


def test_tables_are_read_lazily(store: RunStore) -> None:
    rid = store.save("run", *make_run(1, rows=20))
    run = store.load(rid)
    (run.path / "tables" / "risk.parquet").unlink()
    assert run.table("trajectories").num_rows == 20  # unaffected: nothing read until asked
    with pytest.raises(InputError, match="deleted"):
        run.table("risk")


def test_list_orders_by_creation_and_matches_catalogue(store: RunStore) -> None:
    ids = [store.save("run", *make_run(i, rows=10)) for i in range(3)]
    listed = store.list()
    assert [i.run_id for i in listed] == ids
    with duckdb.connect(str(store.home / "catalog.duckdb")) as con:
        rows = con.execute("SELECT run_id, seed, plans FROM runs ORDER BY created_at").fetchall()
    assert [r[0] for r in rows] == ids and [r[1] for r in rows] == [0, 1, 2]
    assert rows[0][2] == ["clymer"]


def test_delete_removes_run_files_and_row(store: RunStore) -> None:
    keep = store.save("run", *make_run(1, rows=10))
    gone = store.save("run", *make_run(2, rows=10))
    info = store.delete(gone)
    assert info.run_id == gone
    assert [i.run_id for i in store.list()] == [keep]
    assert not (store.runs_dir / gone).exists() and not list(store.trash_dir.iterdir())
    with pytest.raises(InputError, match="no run"):
        store.load(gone)
    assert_run_intact(store.load(keep))


def test_unknown_and_ambiguous_ids_are_one_line_input_errors(store: RunStore) -> None:
    with pytest.raises(InputError) as exc:
        store.load("20990101-000000-abcdef")
    assert "\n" not in str(exc.value) and "no run" in str(exc.value)
    with pytest.raises(InputError, match="not a run id"):
        store.load("../etc")
    with pytest.raises(InputError):
        store.delete("nope")
    a = store.save("run", *make_run(1, rows=5))
    b = store.save("run", *make_run(2, rows=5))
    common = next(i for i in range(len(a)) if a[i] != b[i])
    with pytest.raises(InputError, match="matches 2 runs"):
        store.load(a[:common])
    assert store.load(a[: common + 1]).run_id == a  # a unique prefix is enough


def test_unknown_table_names_the_available_ones(store: RunStore) -> None:
    run = store.load(store.save("run", *make_run(1, rows=5)))
    with pytest.raises(InputError, match="trajectories, risk"):
        run.table("quantiles")


def test_damaged_table_is_detected(store: RunStore) -> None:
    run = store.load(store.save("run", *make_run(1, rows=200)))
    path = run.path / "tables" / "trajectories.parquet"
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))
    with pytest.raises(InputError, match="damaged"):
        store.load(run.run_id).table("trajectories")


def test_provenance_filled_from_summary_and_make_provenance() -> None:
    prov = make_provenance(
        scenario_name="s", scenario_text="x: 1\n", plans={"a": "p\n", "b": None}, seed=3, samples=100, wall_time_s=2
    )
    assert prov["scenario_sha256"] == sha256_text("x: 1\n")
    assert prov["plans"]["a"]["sha256"] == sha256_text("p\n") and prov["plans"]["b"]["sha256"] is None
    assert prov["seed"] == 3 and prov["samples"] == 100 and prov["crunchtime_version"] == __version__


def test_compare_run_records_every_plan(store: RunStore) -> None:
    _, _, tables = make_run(1, rows=5)
    summary = {
        "kind": "compare",
        "scenario": "default",
        "samples": 5,
        "seed": 1,
        "plans": {"clymer": {}, "stop-now": {}},
        "differences": [],
    }
    info = store.load(store.save("compare", {}, summary, tables)).info
    assert info.kind == "compare" and info.plans == ("clymer", "stop-now") and info.scenario == "default"


def test_bad_arguments_are_rejected_before_writing(store: RunStore) -> None:
    prov, summary, tables = make_run(1, rows=5)
    with pytest.raises(ValueError):
        store.save("", prov, summary, tables)
    with pytest.raises(ValueError):
        store.save("run", prov, summary, {"../x": tables["risk"]})
    with pytest.raises(TypeError):
        store.save("run", prov, {"bad": object()}, tables)
    assert store.list() == [] and not list(store.tmp_dir.iterdir())


def test_default_home_honours_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("CRUNCHTIME_HOME", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert default_home() == tmp_path / "xdg" / "crunchtime"
    monkeypatch.setenv("CRUNCHTIME_HOME", str(tmp_path / "ct"))
    assert default_home() == tmp_path / "ct"
    rid = RunStore().save("run", *make_run(4, rows=5))
    assert load_run(rid).summary["check"] == 4


def test_catalogue_is_rebuilt_when_lost_or_garbage(store: RunStore) -> None:
    ids = [store.save("run", *make_run(i, rows=5)) for i in range(2)]
    cat = store.home / "catalog.duckdb"
    cat.unlink()
    assert [i.run_id for i in store.list()] == ids
    cat.write_bytes(b"not a database" * 100)
    assert [i.run_id for i in store.list()] == ids
    assert list(store.home.glob("catalog.duckdb.damaged-*"))


def test_orphan_catalogue_rows_and_unindexed_runs_are_reconciled(store: RunStore) -> None:
    a = store.save("run", *make_run(1, rows=5))
    b = store.save("run", *make_run(2, rows=5))
    (store.runs_dir / a).rename(store.home / "moved-away")  # row without a directory
    with duckdb.connect(str(store.home / "catalog.duckdb")) as con:  # directory without a row
        con.execute("DELETE FROM runs WHERE run_id = ?", [b])
    assert store.reconcile() == {"added": [b], "removed": [a]}
    assert [i.run_id for i in store.list()] == [b]


def test_run_dir_without_valid_manifest_is_invisible(store: RunStore) -> None:
    rid = store.save("run", *make_run(1, rows=5))
    bogus = store.runs_dir / "20000101-000000-000000"
    bogus.mkdir()
    (bogus / "manifest.json").write_text(json.dumps({"format": "other"}))
    assert [i.run_id for i in store.list()] == [rid]


def test_a_transient_catalogue_error_does_not_quarantine_a_live_catalogue(
    store: RunStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another process mid-write can make one open fail; only a persisting error means a damaged file."""
    from crunchtime.results.store import catalog

    ids = [store.save("run", *make_run(i, rows=5)) for i in range(2)]
    real, calls = duckdb.connect, []

    def flaky(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise duckdb.IOException("IO Error: read past end of file (another writer is mid-checkpoint)")
        return real(*args, **kwargs)

    monkeypatch.setattr(catalog.duckdb, "connect", flaky)
    assert [i.run_id for i in store.list()] == ids
    assert len(calls) >= 2
    assert not list(store.home.glob("catalog.duckdb.damaged-*"))
