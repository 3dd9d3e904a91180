"""Every bad input on the command line is one line on stderr and exit code 2, never a traceback."""

import pytest
from tests.cli_helpers import invoke


@pytest.fixture
def _cli(capsys, monkeypatch, tmp_path):
    """`crunchtime *args` in this process, with its store in the test's folder (tests/api/test_entry_point.py
    runs the real entry point in a fresh process)."""
    monkeypatch.setenv("CRUNCHTIME_HOME", str(tmp_path))
    monkeypatch.setenv("COLUMNS", "100")
    return lambda *args: invoke(capsys, *args)


def _one_line_error(r, *needles):
    assert r.returncode == 2, (r.returncode, r.stdout, r.stderr)
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), r.stderr
    assert "Traceback" not in r.stderr + r.stdout
    for needle in needles:
        assert needle in lines[0], lines[0]
    return lines[0]


@pytest.mark.parametrize(
    "args, needle",
    [
        (("run", "--seed", "abc"), "--seed"),
        (("run", "--samples", "abc"), "--samples"),
        (("run", "--bogus"), "--bogus"),
        (("no-such-command",), "no-such-command"),
        (("plans", "show"), "Missing argument"),
        (("compare", "--workers", "x"), "--workers"),
        (("takeoff", "sie", "--samples", "10000000000"), "--samples"),
        (("takeoff", "sie", "--samples", "0"), "--samples"),
        (("takeoff", "sie", "--seed", "-1"), "--seed"),
        (("run", "--samples", "20000000"), "--samples"),
        (("run", "--workers", "0", "--samples", "10"), "--workers"),
        (("crunch", "effective-years", "-s", "12:3", "--loss", "2"), "loss"),
    ],
)
def test_usage_mistakes_are_one_line_exit_2(_cli, args, needle):
    _one_line_error(_cli(*args), needle)


def test_library_messages_name_arguments_and_the_cli_names_flags(_cli, tmp_path):
    import crunchtime as ct

    with pytest.raises(ct.ArgumentError, match=r"^samples: must be"):
        ct.simulate("default", "clymer", samples=0)
    with pytest.raises(ct.ArgumentError, match=r"^chunk_size: must be"):
        ct.simulate("default", "clymer", samples=10, chunk_size=100)
    line = _one_line_error(_cli("run", "--chunk-size", "100", "--samples", "10"))
    assert line.startswith("error: --chunk-size: must be")


@pytest.mark.parametrize(
    "content, needle",
    [
        (b"\xff\xfe\x00b\x00a\x00d", "not UTF-8"),
        (b"name: x\n\x00\x01\x02", "binary"),
        (b"a" * (4 * 1024 * 1024 + 10), "too large"),
    ],
)
def test_bad_scenario_files_are_one_line(_cli, tmp_path, content, needle):
    f = tmp_path / "bad.yaml"
    f.write_bytes(content)
    _one_line_error(_cli("run", "--scenario", str(f), "--samples", "10", "--no-save"), "bad.yaml", needle)
    _one_line_error(_cli("validate", str(f)), "bad.yaml", needle)


def test_unreadable_scenario_file(_cli, tmp_path):
    """An OS error on reading is one line; a path through a plain file fails for every user, root included."""
    (tmp_path / "plain.txt").write_text("not a folder\n")
    f = tmp_path / "plain.txt" / "secret.yaml"
    _one_line_error(_cli("run", "--scenario", str(f), "--samples", "10"), "secret.yaml")
    d = tmp_path / "folder.yaml"
    d.mkdir()
    _one_line_error(_cli("run", "--scenario", str(d), "--samples", "10"), "folder.yaml", "directory")


def test_scenario_extends_missing_parent_names_the_file(_cli, tmp_path):
    f = tmp_path / "mine.yaml"
    f.write_text("extends: no-such-scenario\n")
    _one_line_error(_cli("run", "--scenario", str(f), "--samples", "10"), "mine.yaml", "extends", "no-such-scenario")


def test_scenario_extends_cycle_is_one_line(_cli, tmp_path):
    (tmp_path / "a.yaml").write_text("extends: b.yaml\n")
    (tmp_path / "b.yaml").write_text("extends: a.yaml\n")
    _one_line_error(_cli("scenarios", "show", str(tmp_path / "a.yaml")), "cycle")


def test_help_still_works(_cli, tmp_path):
    r = _cli("run", "--help")
    assert r.returncode == 0 and "--samples" in r.stdout
    r = _cli("plans")
    assert r.returncode == 0 and "list" in r.stdout and not r.stderr.strip()
