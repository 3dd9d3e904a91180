"""`crunchtime takeoff sie`: JSON contract, determinism, table and errors."""

from __future__ import annotations

import json
import math
import re

import pytest

from crunchtime.cli.main import run_cli


def _run(capsys, *args):
    run_cli(["takeoff", "sie", *args])
    return capsys.readouterr()


def test_json_contract(capsys):
    out = _run(capsys, "--samples", "3000", "--seed", "4", "--json").out
    data = json.loads(out)
    assert list(data) == ["conditions"]
    pairs = [(c["years"], c["months"]) for c in data["conditions"]]
    assert (3, 12) in pairs and (10, 4) in pairs and (10, 12) in pairs and (3, 4) in pairs
    for c in data["conditions"]:
        assert set(c) == {"years", "months", "p", "se"}
        assert 0 <= c["p"] <= 1
        assert c["se"] == pytest.approx(math.sqrt(c["p"] * (1 - c["p"]) / 3000), rel=1e-12)
        assert round(c["p"] * 3000) == pytest.approx(c["p"] * 3000, abs=1e-6)


def test_json_is_deterministic(capsys):
    args = ("--samples", "5000", "--seed", "11", "--json", "--r-range", "0.5:3")
    assert _run(capsys, *args).out == _run(capsys, *args).out


def test_custom_conditions_and_ranges(capsys):
    out = _run(
        capsys,
        "-n",
        "2000",
        "--json",
        "--condition",
        "1:12",
        "--condition",
        "0.5:1.5",
        "--r-range",
        "2:3.6",
        "--speedup-range",
        "8:32",
    ).out
    data = json.loads(out)["conditions"]
    assert [(c["years"], c["months"]) for c in data] == [(1, 12), (0.5, 1.5)]
    assert data[0]["p"] == 1.0  # speed-up >= 8 alone gives >= 1 year of progress in a year


def test_table_shows_uncertainty(capsys):
    out = _run(capsys, "--samples", "2000", "--seed", "1").out
    assert re.search(r"\d+\.\d% \[\d+\.\d, \d+\.\d\]", out) and ">= 10" in out and "paper" in out


@pytest.mark.parametrize(
    "args, message",
    [
        (["--r-range", "3:1"], "--r-range"),
        (["--p-range", "0:0.3"], "--p-range"),
        (["--condition", "3"], "--condition"),
        (["--software-share", "2"], "--software-share"),
    ],
)
def test_bad_input_is_one_line_exit_2(capsys, args, message):
    with pytest.raises(SystemExit) as exc:
        _run(capsys, "--samples", "100", "--json", *args)
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1
