"""The claims report renders every claim, its verdicts and its source, escaped, in one self-contained page."""

import re

from crunchtime.report.claims import render_claims, write_claims_report


def _claim(cid, verdict, flip_verdict, source="Appendix A: <b>bold</b> & 'quoted'"):
    m = {"diff": -0.02, "ci95": [-0.03, -0.01]}
    return {
        "id": cid,
        "claim": f"{cid} claim",
        "source": source,
        "scenario": "default",
        "plans": {"a": "clymer", "b": "stop-now"},
        "expected": "<",
        "measured": m,
        "verdict": verdict,
        "flip": {
            "belief_change": "no signal",
            "expected": "vanish",
            "measured": {"diff": 0.0, "ci95": [-0.005, 0.005]},
            "verdict": flip_verdict,
        },
    }


DATA = {
    "claims": [_claim("one", "holds", "holds"), _claim("two", "fails", "inconclusive")],
    "samples": 400,
    "seed": 3,
    "vanish_tolerance": 0.01,
    "definitions": {"one": {"metric": "catastrophe"}, "two": {"metric": "event:x"}},
}


def test_every_claim_and_verdict_is_shown_and_user_text_is_escaped():
    html = render_claims(DATA)
    assert "1 of 2 claims hold; 1 of 2 flips behave as expected" in html
    for cid in ("one", "two"):
        assert f'id="{cid}"' in html and f'href="#{cid}"' in html
    assert '<td class="fails">fails</td>' in html and '<td class="inconclusive">inconclusive</td>' in html
    assert "<b>bold</b>" not in html and "&lt;b&gt;bold&lt;/b&gt;" in html
    assert "-2.0 [-3.0, -1.0] pp" in html and "event:x" in html
    assert html.count("<svg") == 1 and not re.search(r'(src|href)="https?://', html)  # nothing loads from the network


def test_the_page_is_written_atomically_and_is_deterministic(tmp_path):
    a = write_claims_report(DATA, tmp_path / "a.html").read_bytes()
    b = write_claims_report(DATA, tmp_path / "b.html").read_bytes()
    assert a == b and not list(tmp_path.glob(".*.tmp"))
