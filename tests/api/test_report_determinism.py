"""Two reports of one run are byte-identical, and drawing one reports progress."""

import crunchtime as ct


def test_two_reports_of_one_run_are_identical(tmp_path):
    cmp = ct.compare("default", ["clymer", "stop-now"], samples=256, seed=1)
    run_id = ct.save_run(cmp, home=tmp_path)
    calls = []
    a = ct.write_report(run_id, tmp_path / "a.html", home=tmp_path, progress=lambda d, t: calls.append((d, t)))
    b = ct.write_report(run_id, tmp_path / "b.html", home=tmp_path)
    assert a.read_bytes() == b.read_bytes()
    assert b"<dc:date>" not in a.read_bytes()
    assert calls and calls[-1][0] == calls[-1][1] and [d for d, _ in calls] == list(range(1, len(calls) + 1))
