"""crunchtime.analysis.claims: verdict logic (exact, synthetic), claim-data validation, the JSON shape.

The model's current verdicts are deliberately not asserted here (the model is being reworked).
"""

import math
from importlib import resources

import numpy as np
import pytest
import yaml

from crunchtime.analysis.claims import (
    CLAIMS_SOURCE,
    VANISH_TOLERANCE,
    Measured,
    claim_verdict,
    claims_from_text,
    flip_verdict,
    load_claims,
    paired_interval,
    run_claims,
)
from crunchtime.errors import InputError
from crunchtime.model.scenario import load_scenario, scenario_from_text

SHIPPED = yaml.safe_load(resources.files("crunchtime.analysis").joinpath("claims.yaml").read_text())
CLAIM_KEYS = {"id", "claim", "source", "scenario", "plans", "expected", "measured", "verdict", "flip"}
FLIP_KEYS = {"belief_change", "expected", "measured", "verdict"}


def const(x, n=400):
    return np.full(n, x, dtype=float)


# ----------------------------------------------------------------------------- statistics and verdicts


def test_paired_interval_is_mean_pm_196_sd_over_root_n():
    m = paired_interval(np.array([0.0, 1.0, 0.0, 1.0]))
    half = 1.96 * math.sqrt(1 / 3) / 2
    assert m.diff == 0.5 and m.lo == pytest.approx(0.5 - half) and m.hi == pytest.approx(0.5 + half)
    assert m.to_dict() == {"diff": 0.5, "ci95": [m.lo, m.hi]}


@pytest.mark.parametrize(
    "d, expected, verdict",
    [
        (const(1.0), ">", "holds"),
        (const(1.0), "<", "fails"),
        (const(-0.2), "<", "holds"),
        (const(-0.2), ">", "fails"),
        (np.tile([1.0, -1.0], 200), ">", "inconclusive"),
        (const(0.0), ">", "inconclusive"),
        (np.r_[const(0.0, 390), const(1.0, 10)], ">", "holds"),  # 2.5% with a tight interval above 0
    ],
)
def test_claim_verdict(d, expected, verdict):
    assert claim_verdict(paired_interval(d), expected) == verdict


@pytest.mark.parametrize(
    "d, expected, flip, verdict",
    [
        (const(0.0), ">", "vanish", "holds"),
        (const(0.0), "<", "vanish", "holds"),
        (const(0.5), ">", "vanish", "fails"),  # still entirely on the claim's side, beyond tol
        (const(0.5), "<", "vanish", "holds"),  # on the opposite side also counts as vanished
        (const(0.009), ">", "vanish", "holds"),
        (const(0.011), ">", "vanish", "fails"),
        (const(-0.011), "<", "vanish", "fails"),
        (np.tile([1.0, -1.0], 200), ">", "vanish", "holds"),  # wide interval overlapping the band
        (const(-0.3), ">", "reverse", "holds"),
        (const(0.3), "<", "reverse", "holds"),
        (const(0.3), ">", "reverse", "fails"),
        (const(0.0), ">", "reverse", "inconclusive"),
        (const(0.005), ">", "reverse", "inconclusive"),  # on the claim's side, but within tol
        (np.tile([1.0, -1.0], 200), "<", "reverse", "inconclusive"),
    ],
)
def test_flip_verdict(d, expected, flip, verdict):
    assert flip_verdict(paired_interval(d), expected, flip) == verdict


def test_flip_tolerance_is_one_point():
    assert VANISH_TOLERANCE == 0.01
    assert flip_verdict(Measured(0.02, 0.0101, 0.03), ">", "vanish") == "fails"
    assert flip_verdict(Measured(0.02, 0.0099, 0.03), ">", "vanish") == "holds"
    assert flip_verdict(Measured(-0.02, -0.03, -0.0101), "<", "vanish") == "fails"


# ----------------------------------------------------------------------------- claims as data


def test_shipped_claims_load_and_cover_the_issue():
    claims = load_claims()
    ids = [c.id for c in claims]
    assert len(ids) == len(set(ids)) >= 10
    for needed in (
        "appendix-a-in-pack",
        "appendix-a-lagging",
        "appendix-a-crossover",
        "heuristic-1-scale",
        "heuristic-2-prepare",
        "heuristic-3-portfolio",
        "lead-time",
        "racing-more-teams",
        "racing-enmity",
        "willing-world-pauses",
    ):
        assert needed in ids
    for c in claims:
        assert c.expected in (">", "<") and c.flip_expected in ("vanish", "reverse")
        assert c.source and c.claim and c.belief_change
        assert len(c.design) == (4 if c.kind == "difference_in_differences" else 2)


def test_claim_beliefs_reach_the_scenario():
    by_id = {c.id: c for c in load_claims()}
    teams = by_id["racing-more-teams"]
    a, b = teams.design[0].scenario, teams.design[1].scenario
    assert a.actor_names[-2:] == ("Frontier Lab C", "Frontier Lab D") and len(a.actors) == len(b.actors) + 2
    assert a.actors[-1].fields == a.actors[a.actor_names.index("Frontier Lab B")].fields
    flip_a = teams.flip_design[0].scenario
    assert all(act.fields["safety_culture"].describe() == "0.8" for act in flip_a.actors[1:])
    pack = by_id["appendix-a-in-pack"]
    assert pack.design[0].scenario_text == pack.design[1].scenario_text  # same scenario: one compare call
    assert pack.design[0].plan.params["lagging_months"] == 1000
    assert pack.design[1].plan.params["lagging_months"] == -1000


def mutate(cid, fn):
    data = yaml.safe_load(yaml.safe_dump(SHIPPED))
    claim = next(c for c in data["claims"] if c["id"] == cid)
    fn(claim)
    return yaml.safe_dump(data, sort_keys=False)


@pytest.mark.parametrize(
    "cid, fn, field",
    [
        (
            "heuristic-2-prepare",
            lambda c: c["flip"]["beliefs"]["parameters"].update(preparation_multiplyer=1),
            "heuristic-2-prepare.flip.beliefs.parameters.preparation_multiplyer",
        ),
        (
            "racing-enmity",
            lambda c: c["a"]["beliefs"]["rivals"].update(aggression=2),
            "racing-enmity.a.beliefs.rivals.aggression",
        ),
        ("racing-enmity", lambda c: c.update(expected="+"), "racing-enmity.expected"),
        ("lead-time", lambda c: c["flip"].update(expected="disappear"), "lead-time.flip.expected"),
        ("lead-time", lambda c: c.update(metric="catastrophes"), "lead-time.metric"),
        ("lead-time", lambda c: c.update(metric="world:pause"), "lead-time.metric"),
        ("lead-time", lambda c: c.update(metric="path:self_destruction"), "lead-time.metric"),
        (
            "lead-time",
            lambda c: c["a"]["beliefs"]["actors"].update({"Magmaa": {"lag_months": 1}}),
            "lead-time.a.beliefs.actors.Magmaa",
        ),
        (
            "heuristic-1-scale",
            lambda c: c["b"]["plan"]["defaults"].update(velocty=0.5),
            "heuristic-1-scale.b.plan.defaults",
        ),
        (
            "heuristic-1-scale",
            lambda c: c["b"]["plan"].update(rules_drop=["no-such-rule"]),
            "heuristic-1-scale.b.plan.rules_drop[0]",
        ),
        ("heuristic-1-scale", lambda c: c["b"].update(plan="no-such-plan"), "heuristic-1-scale.b.plan"),
        ("heuristic-1-scale", lambda c: c.update(scenario="no-such-scenario"), "heuristic-1-scale.scenario"),
        ("heuristic-1-scale", lambda c: c.pop("flip"), "heuristic-1-scale.flip"),
        ("heuristic-1-scale", lambda c: c.update(colour="red"), "heuristic-1-scale.colour"),
        (
            "racing-more-teams",
            lambda c: c["a"]["beliefs"]["add_actors"][0].update(copy_of="Lab Z"),
            "racing-more-teams.a.beliefs.add_actors[0].copy_of",
        ),
        ("racing-enmity", lambda c: c["b"].update(plan="clymer", beliefs=c["a"]["beliefs"]), "racing-enmity.b"),
    ],
)
def test_bad_claim_data_is_one_line_naming_file_claim_and_field(cid, fn, field):
    with pytest.raises(InputError) as err:
        claims_from_text(mutate(cid, fn), CLAIMS_SOURCE)
    msg = str(err.value)
    assert "\n" not in msg and msg.startswith("claims.yaml: ")
    assert err.value.field.startswith(field), (err.value.field, field)


def test_claims_read_the_worlds_outcome_magmas_path_and_the_horizon_risk():
    for metric in ("world:coordinated_pause", "path:chose_self_destruction", "catastrophe_with_horizon_risk"):
        claims = claims_from_text(mutate("lead-time", lambda c, m=metric: c.update(metric=m)), CLAIMS_SOURCE)
        assert next(c for c in claims if c.id == "lead-time").metric == metric


def test_duplicate_ids_and_bad_yaml():
    data = yaml.safe_load(yaml.safe_dump(SHIPPED))
    data["claims"].append(data["claims"][0])
    with pytest.raises(InputError, match="duplicate claim id"):
        claims_from_text(yaml.safe_dump(data))
    with pytest.raises(InputError, match="invalid YAML"):
        claims_from_text("claims: [\n")
    with pytest.raises(InputError, match="claims"):
        claims_from_text("{}")


def test_scenario_from_text_resolves_extends_and_names_its_source():
    sc = scenario_from_text("extends: default\nparameters: {awareness0: 0.9}\n", source="mine.yaml")
    base = load_scenario("default")
    assert sc.actor_names == base.actor_names and sc.parameters["awareness0"].describe() == "0.9"
    with pytest.raises(InputError, match=r"^mine\.yaml: parameters\.nope: unknown name"):
        scenario_from_text("extends: default\nparameters: {nope: 1}\n", source="mine.yaml")


# ----------------------------------------------------------------------------- running (small samples)


@pytest.fixture(scope="module")
def small():
    return run_claims(samples=300, seed=3, only=["appendix-a-crossover", "heuristic-1-scale"])


def test_json_shape(small):
    d = small.to_dict()
    assert d["samples"] == 300 and d["seed"] == 3
    assert [c["id"] for c in d["claims"]] == ["appendix-a-crossover", "heuristic-1-scale"]
    for c in d["claims"]:
        assert set(c) == CLAIM_KEYS and set(c["flip"]) == FLIP_KEYS
        assert set(c["plans"]) == {"a", "b"} and c["expected"] in (">", "<")
        for m in (c["measured"], c["flip"]["measured"]):
            assert set(m) == {"diff", "ci95"} and m["ci95"][0] <= m["diff"] <= m["ci95"][1]
            assert -2 <= m["diff"] <= 2  # a difference in differences of probabilities
        assert c["verdict"] in ("holds", "fails", "inconclusive")
        assert c["flip"]["verdict"] in ("holds", "fails", "inconclusive")
    assert "claims" in repr(small) and "<table>" in small._repr_html_()


def test_verdicts_follow_from_the_measured_intervals(small):
    for r in small.results:
        assert r.verdict == claim_verdict(r.measured, r.claim.expected)
        assert r.flip_verdict == flip_verdict(r.flip_measured, r.claim.expected, r.claim.flip_expected)


def test_unknown_only_id():
    with pytest.raises(InputError, match="unknown claim id 'nope'"):
        run_claims(samples=10, only="heuristic-1-scale,nope")


def test_too_few_samples():
    with pytest.raises(InputError, match="--samples"):
        run_claims(samples=1, only="heuristic-1-scale")
