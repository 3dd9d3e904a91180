"""Built-in plans described as a variant of another ("Clymer's plan, but ...") are that plan plus the
rules they say they add, and nothing else (issue 25: `spend-the-lead` had silently dropped Clymer's
hand-off check)."""

from __future__ import annotations

import re
from importlib import resources

import numpy as np
import yaml

import crunchtime as ct
from crunchtime.model.plans.loading import builtin_plan_names

VARIANT = re.compile(r"^(\w+)'s plan, (but|plus)\b")


def _raw(name: str) -> dict:
    return yaml.safe_load(
        resources.files("crunchtime.model.plans").joinpath("builtin", f"{name}.yaml").read_text("utf-8")
    )


def _variants() -> list[tuple[str, str]]:
    out = []
    for name in builtin_plan_names():
        m = VARIANT.match(_raw(name)["description"])
        if m:
            out.append((name, m.group(1).lower()))
    return out


def test_variants_are_found():
    assert ("spend-the-lead", "clymer") in _variants()


def test_each_variant_extends_the_plan_it_names_and_adds_only_its_rules():
    for name, parent_name in _variants():
        raw = _raw(name)
        assert raw.get("extends") == parent_name, f"{name} says it is {parent_name}'s plan but does not extend it"
        assert not raw.get("defaults"), f"{name} changes {parent_name}'s defaults"
        plan, parent = ct.load_plan(name), ct.load_plan(parent_name)
        # params: the parent's, unchanged, plus new ones for the added rules
        assert set(raw.get("params") or {}).isdisjoint(parent.params), f"{name} overrides {parent_name}'s params"
        assert {k: plan.params[k] for k in parent.params} == dict(parent.params)
        assert plan.to_dict()["defaults"] == parent.to_dict()["defaults"]
        # rules: the parent's, in order and unchanged, with the variant's own inserted
        added = {r["name"] for r in raw["rules"]}
        assert added.isdisjoint(r.name for r in parent.rules), f"{name} replaces a rule of {parent_name}"
        kept = [r for r in plan.to_dict()["rules"] if r["name"] not in added]
        assert kept == parent.to_dict()["rules"]


def test_spend_the_lead_without_a_lead_to_spend_is_clymer_world_by_world():
    # with a margin no lead exceeds, the added rule never holds: every knob, hence every world, is clymer's
    plans = [ct.load_plan("clymer"), ct.load_plan("spend-the-lead").with_params(keep_lead=1e6)]
    cmp = ct.compare("default", plans, samples=512, seed=3)
    a, b = cmp.results.values()
    assert np.array_equal(a.outcome, b.outcome)
    assert np.array_equal(a.milestones, b.milestones, equal_nan=True)
