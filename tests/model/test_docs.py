"""docs/model.md cannot silently fall behind the code: every name, unit, range and default is checked."""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path

import pytest
import yaml

from crunchtime.model import step as step_module
from crunchtime.model.distributions import Distribution, parse_distribution
from crunchtime.model.knobs import KNOBS
from crunchtime.model.observables import OBSERVABLES
from crunchtime.model.params import ACTOR_BY_NAME, ACTOR_FIELDS, WORLD_BY_NAME, WORLD_PARAMETERS
from crunchtime.model.state import AREAS, MILESTONES, OUTCOMES, SOURCES

DOC = Path(__file__).resolve().parents[2] / "docs" / "model.md"
MECHANISMS = Path(step_module.__file__).resolve().parent / "mechanisms"
STEP_FUNCTIONS = ("derive", "month_view", "magma_knobs", "race", "safety", "consequences", "hand_off_and_outcomes")


@pytest.fixture(scope="module")
def doc() -> str:
    return DOC.read_text(encoding="utf-8")


def _yaml(name: str) -> dict:
    return yaml.safe_load((resources.files("crunchtime.model.scenarios") / f"{name}.yaml").read_text())


def _section(doc: str, title: str) -> str:
    """Text of the first '### ' section whose heading contains `title`, up to the next heading."""
    m = re.search(rf"^###? [^\n]*{re.escape(title)}[^\n]*\n(.*?)(?=^##)", doc + "\n##", re.M | re.S)
    assert m, f"docs/model.md has no section titled '{title}'"
    return m.group(1)


def _rows(text: str) -> dict[str, list[str]]:
    """Table rows whose first cell is a `code name`: name -> remaining cells (stripped)."""
    out = {}
    for line in text.splitlines():
        m = re.match(r"^\|\s*`([^`]+)`[^|]*\|(.*)\|\s*$", line)
        if m:
            out[m.group(1)] = [c.strip() for c in m.group(2).split("|")]
    return out


def _spec(cell: str) -> str:
    m = re.fullmatch(r"`([^`]*)`", cell)
    assert m, f"expected a distribution in backticks, got {cell!r}"
    return m.group(1)


def _range(low: float, high: float) -> str:
    return f"{low:g} – {high:g}"


def _same_distribution(doc_spec: str, yaml_value) -> bool:
    return parse_distribution(doc_spec) == parse_distribution(yaml_value)


def _default_of(name: str, scenario_parameters: dict):
    """A world parameter's default: the default.yaml value where the scenario gives one, else ParamSpec.default."""
    if name in scenario_parameters:
        return scenario_parameters[name]
    return WORLD_BY_NAME[name].default


def _within(d: Distribution, low: float, high: float) -> bool:
    """The distribution's stated bounds (its constant, interval ends, mean or support) lie inside [low, high]."""
    if d.family == "constant":
        points = d.args
    elif d.family in ("lognormal90", "normal90", "uniform", "loguniform"):
        points = d.args
    elif d.family == "normal":
        points = d.args[:1]
    elif d.family == "beta":
        points = (0.0, 1.0)
    else:
        points = d.values
    return all(low <= x <= high for x in points)


def test_every_name_appears(doc):
    names = (
        [p.name for p in WORLD_PARAMETERS]
        + [f.name for f in ACTOR_FIELDS]
        + [o.name for o in OBSERVABLES]
        + [k.name for k in KNOBS]
        + list(MILESTONES)
        + list(OUTCOMES)
        + list(SOURCES)
        + list(AREAS)
    )
    missing = [n for n in names if f"`{n}`" not in doc]
    assert not missing, f"docs/model.md does not mention: {missing}"


def test_world_parameter_rows_match_code_and_default_scenario(doc):
    rows = _rows(_section(doc, "World parameters"))
    scenario = _yaml("default")["parameters"]
    assert set(rows) == set(WORLD_BY_NAME), f"table vs params.py: {set(rows) ^ set(WORLD_BY_NAME)}"
    for p in WORLD_PARAMETERS:
        unit, default, rng, why = rows[p.name][:4]
        assert unit == p.unit, f"{p.name}: unit {unit!r} in the doc, {p.unit!r} in params.py"
        assert rng == _range(p.low, p.high), f"{p.name}: range cell should read '{_range(p.low, p.high)}'"
        expected = _default_of(p.name, scenario)
        assert expected is not None, f"{p.name}: neither default.yaml nor params.py gives a default"
        where = "default.yaml" if p.name in scenario else "ParamSpec.default in params.py"
        assert _same_distribution(_spec(default), expected), (
            f"{p.name}: default cell should read `{expected}` (as in {where})"
        )
        assert len(why) > 10, f"{p.name}: needs a source or rationale"


def test_every_paramspec_default_is_a_distribution_within_its_range():
    with_default = [p for p in WORLD_PARAMETERS + ACTOR_FIELDS if p.default is not None]
    assert with_default, "params.py should carry defaults for the behavioural constants"
    for p in with_default:
        d = parse_distribution(p.default)  # raises DistributionError if it does not parse
        assert _within(d, p.low, p.high), f"{p.name}: default {p.default!r} is not inside {_range(p.low, p.high)}"


def test_every_mechanism_is_documented_with_its_parameters(doc):
    """Each mechanism module and stage of step has a place in the doc; each world parameter is attached
    to a mechanism in section 2 (or to an observable in section 6)."""
    modules = sorted(f.name for f in MECHANISMS.glob("*.py") if f.name != "__init__.py")
    assert modules, "no mechanism modules found"
    missing = [m for m in modules if f"mechanisms/{m}" not in doc]
    assert not missing, f"docs/model.md does not describe mechanism modules: {missing}"
    headings = re.findall(r"^### 2\.[^\n]*", doc, re.M)
    missing = [m for m in modules if not any(f"mechanisms/{m}" in h for h in headings)]
    assert not missing, f"mechanism modules without their own subsection in section 2: {missing}"
    for name in STEP_FUNCTIONS:
        assert hasattr(step_module, name), f"step.py no longer has {name}; update STEP_FUNCTIONS and the doc"
        assert f"`{name}`" in doc or f"step.{name}" in doc, f"docs/model.md does not mention step.{name}"
    equations = doc[doc.index("## 2. State and equations") : doc.index("## 3.")]
    observables = doc[doc.index("## 6. Observables and knobs") : doc.index("## 7.")]
    loose = [p.name for p in WORLD_PARAMETERS if not re.search(rf"\b{p.name}\b", equations + observables)]
    assert not loose, f"world parameters not attached to any mechanism in section 2: {loose}"


def test_actor_field_rows_match_code_and_default_scenario(doc):
    section = _section(doc, "Actor fields")
    actors = _yaml("default")["actors"]
    header = next(line for line in section.splitlines() if line.startswith("| field"))
    cols = [c.strip() for c in header.strip("|").split("|")]
    assert cols[2 : 2 + len(actors)] == [a["name"] for a in actors], "actor columns must follow default.yaml"
    rows = _rows(section)
    assert set(rows) == set(ACTOR_BY_NAME), f"table vs params.py: {set(rows) ^ set(ACTOR_BY_NAME)}"
    for f in ACTOR_FIELDS:
        cells = rows[f.name]
        assert cells[0] == f.unit, f"{f.name}: unit {cells[0]!r} in the doc, {f.unit!r} in params.py"
        for actor, cell in zip(actors, cells[1 : 1 + len(actors)]):
            assert _same_distribution(_spec(cell), actor[f.name]), (
                f"{f.name} of {actor['name']}: cell should read `{actor[f.name]}`"
            )
        assert cells[1 + len(actors)] == _range(f.low, f.high), f"{f.name}: range should read '{_range(f.low, f.high)}'"


def test_clymer_overrides_are_listed(doc):
    rows = _rows(_section(doc, "Overrides in clymer-2025"))
    raw = _yaml("clymer-2025")
    defaults = _yaml("default")
    for name, value in raw.get("parameters", {}).items():
        assert name in rows, f"clymer-2025 override {name} missing from section 4.3"
        assert _same_distribution(_spec(rows[name][0]), value)
        assert _same_distribution(_spec(rows[name][1]), defaults["parameters"][name])
    for actor in raw.get("actors", []):
        for field, value in actor.items():
            if field != "name":
                assert field in rows and _same_distribution(_spec(rows[field][0]), value), (
                    f"clymer-2025 override {actor['name']}.{field} missing or wrong in section 4.3"
                )


def test_observable_rows_match_code(doc):
    rows = _rows(_section(doc, "Observables ("))
    assert list(rows) == [o.name for o in OBSERVABLES], "observables table must list OBSERVABLES in order"
    for o in OBSERVABLES:
        assert rows[o.name][0] == o.unit, f"{o.name}: unit should read {o.unit!r}"


def test_knob_rows_match_code(doc):
    rows = _rows(_section(doc, "Knobs ("))
    assert list(rows) == [k.name for k in KNOBS], "knob table must list KNOBS in order"
    for k in KNOBS:
        kind, rng, default = rows[k.name][:3]
        assert (kind, rng, default) == (k.kind, _range(k.low, k.high), f"{k.default:g}"), f"knob {k.name} row is stale"


def test_sie_special_case_matches_the_takeoff_module():
    """Section 3: past TEDAI, with compute and human labour fixed, the world model's software law is
    Davidson & Houlden's continuous SIE law with D' = D - s_T, r0' = r0 (1 - s_T/D) and the stated g0."""
    import numpy as np

    from crunchtime.model.mechanisms.capability import ai_rd_speedup, software_growth, tedai_capability
    from crunchtime.takeoff.sie_continuous import growth_rate
    from crunchtime.takeoff.sie_params import SIEParams, SIESamples

    v0, d3, v_t, lam, r0, ceiling = 1.3, 5.0, 8.0, 0.3, 1.5, 60.0
    g_s0, s_t, b = np.log2(3.0) / 12.0, 4.0, 3.0  # software at TEDAI ran 1 doubling ahead of the frozen baseline
    k_t = tedai_capability(np.array(v0), np.array(d3), np.array(v_t))
    sigma = np.linspace(0.0, 50.0, 101)  # software doublings since TEDAI
    speed = ai_rd_speedup(k_t + sigma, v0, d3, v_t, lam, k_t)
    model = software_growth(speed, np.ones_like(sigma), s_t + sigma, np.full_like(sigma, b), g_s0, r0, lam, ceiling)

    d_prime, r0_prime = ceiling - s_t, r0 * (1.0 - s_t / ceiling)
    g0 = g_s0 * v_t * ((1.0 - s_t / ceiling) / (1.0 - b / ceiling)) ** (np.log(2.0) * lam * ceiling / r0)
    n = sigma.size
    samples = SIESamples(
        speedup=np.full(n, v_t),
        r0=np.full(n, r0_prime),
        limit_doublings=np.full(n, d_prime),
        p=np.full(n, lam),
        initial_doubling_months=np.full(n, 1.0 / g0),
    )
    np.testing.assert_allclose(model, growth_rate(sigma, samples, SIEParams()), rtol=1e-9)
