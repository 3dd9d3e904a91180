"""`crunchtime claims`: --json contract, determinism, one-line errors; and the docs generator."""

import json

from cli_helpers import cli

ARGS = ("claims", "--samples", "300", "--seed", "5", "--only", "heuristic-2-prepare,racing-more-teams")


def test_json_and_determinism(capsys):
    code, out, err = cli(capsys, *ARGS, "--json")
    assert code == 0 and err == ""
    first = json.loads(out)
    assert [c["id"] for c in first["claims"]] == ["heuristic-2-prepare", "racing-more-teams"]
    assert first["samples"] == 300 and first["seed"] == 5
    code, out2, _ = cli(capsys, *ARGS, "--json")
    assert code == 0 and out2 == out  # same seed, identical JSON


def test_table(capsys):
    code, out, _ = cli(capsys, "claims", "--samples", "300", "--only", "heuristic-2-prepare")
    assert code == 0 and "heuristic-2-prepare" in out and "not forecasts" in out


def test_report_is_written_beside_the_table(capsys, tmp_path):
    page = tmp_path / "claims.html"
    code, out, _ = cli(capsys, "claims", "--samples", "300", "--only", "heuristic-2-prepare", "--report", str(page))
    assert code == 0 and f"report: {page}" in out.replace("\n", "")
    assert 'id="heuristic-2-prepare"' in page.read_text(encoding="utf-8")


def test_unwritable_report_is_one_line(capsys, tmp_path):
    code, _, err = cli(
        capsys,
        "claims",
        "--samples",
        "300",
        "--only",
        "heuristic-2-prepare",
        "--report",
        str(tmp_path / "missing-dir" / "claims.html"),
    )
    assert code == 2 and err.count("\n") == 1 and "claims.html" in err


def test_bad_only_exits_2_with_one_line(capsys):
    code, out, err = cli(capsys, "claims", "--only", "heuristic-2-prepare,no-such-claim", "--json")
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "no-such-claim" in err and err.startswith("error: --only")


def test_bad_samples_exits_2(capsys):
    code, _, err = cli(capsys, "claims", "--samples", "1", "--only", "heuristic-2-prepare")
    assert code == 2 and err.count("\n") == 1 and "--samples" in err


def test_docs_generator_keeps_the_hand_written_section(tmp_path):
    from crunchtime.analysis import claims_doc

    out = tmp_path / "claims.md"
    assert claims_doc.main(["--samples", "300", "--only", "heuristic-2-prepare", "--out", str(out)]) == 0
    text = out.read_text()
    assert "| [heuristic-2-prepare]" in text and "Where the model disagrees" in text and claims_doc.START in text
    assert "> Section 6:" in text
    out.write_text(text.replace(claims_doc.PLACEHOLDER, "Preparation matters less than the essay says."))
    assert claims_doc.main(["--samples", "300", "--only", "heuristic-2-prepare", "--out", str(out)]) == 0
    assert "Preparation matters less than the essay says." in out.read_text()
    assert claims_doc.PLACEHOLDER not in out.read_text()
