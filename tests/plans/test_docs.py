"""docs/plans.md stays in step with the code: every observable, knob, built-in plan and rule is documented."""

import re
from pathlib import Path

import pytest

from crunchtime.model.knobs import KNOBS
from crunchtime.model.observables import OBSERVABLES
from crunchtime.model.plans import builtin_plan_names, load_plan, parse_plan

DOC = Path(__file__).resolve().parents[2] / "docs" / "plans.md"


@pytest.fixture(scope="module")
def doc() -> str:
    return DOC.read_text(encoding="utf-8")


def test_every_observable_and_knob_is_in_the_tables(doc):
    for o in OBSERVABLES:
        assert f"| `{o.name}` | {o.unit} |" in doc, o.name
    for k in KNOBS:
        assert re.search(rf"\| `{k.name}` \| {k.kind} \| [^|]+ \| {k.default:g} \|", doc), k.name


def test_every_builtin_plan_and_rule_is_documented(doc):
    for name in builtin_plan_names():
        assert f"`{name}`" in doc, name
        for rule in load_plan(name).rules:
            if not rule.name.startswith("rule "):
                assert f"`{rule.name}`" in doc or rule.name.startswith("honour-"), (name, rule.name)


def test_the_quick_start_example_is_a_valid_plan(doc):
    block = re.search(r"```yaml\n# my-plan.yaml\n(.*?)```", doc, re.S).group(1)
    plan = parse_plan(block, source="docs example")
    assert plan.name == "cautious-clymer" and len(plan.rules) == 3
