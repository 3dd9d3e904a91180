"""The model's verdicts on claims whose effect is large against its Monte Carlo interval at 1,000 samples.

At n = 1,000 paired trajectories a difference of a 0/1 metric has a 95% half-width of at most
1.96 * sqrt(1 / n) = 6.2 points and in practice (sd of the difference near 0.3-0.4) about 2-2.5 points;
the claims below measure 3-80 points at 4,000 samples (at least 2.5 half-widths at n = 1,000) (docs/claims.md), so a verdict other than "holds"
here would mean the model changed. The full table at 4,000 samples lives in docs/claims.md.
"""

from crunchtime import api


def test_robust_claims_hold_and_their_flips_vanish():
    ids = ["lead-time", "racing-enmity", "willing-world-pauses", "heuristic-1-scale"]
    res = api.run_claims(samples=1000, seed=1, only=ids)
    out = {c["id"]: c for c in res.to_dict()["claims"]}
    for cid in ids:
        assert out[cid]["verdict"] == "holds", (cid, out[cid]["measured"])
    for cid in ("racing-enmity", "willing-world-pauses"):
        assert out[cid]["flip"]["verdict"] == "holds", (cid, out[cid]["flip"]["measured"])
