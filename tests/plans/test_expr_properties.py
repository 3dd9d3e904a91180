"""Laws of the expression language, checked on generated expressions and values."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from crunchtime.model.plans.expr import ExprError, parse, unparse

from .strategies import booleans, numbers

finite = st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False)


def _elementwise(expr, obs):
    n = len(next(iter(obs.values())))
    return np.array([expr.evaluate({k: v[i : i + 1] for k, v in obs.items()})[0] for i in range(n)])


@settings(max_examples=150, deadline=None)
@given(text=st.one_of(numbers, booleans))
def test_array_evaluation_equals_elementwise(text, obs_values):
    expr = parse(text)
    whole = expr.evaluate(obs_values)
    assert whole.shape == (16,)
    np.testing.assert_array_equal(whole, _elementwise(expr, obs_values))  # NaN == NaN here


@settings(max_examples=100, deadline=None)
@given(text=st.one_of(numbers, booleans))
def test_unparse_is_a_fixed_point(text):
    expr = parse(text)
    again = parse(unparse(expr.node))
    assert again.node == expr.node


@settings(max_examples=100, deadline=None)
@given(text=booleans)
def test_double_negation(text, obs_values):
    c = parse(text).evaluate(obs_values)
    np.testing.assert_array_equal(parse(f"not not ({text})").evaluate(obs_values), c)
    np.testing.assert_array_equal(parse(f"not ({text})").evaluate(obs_values), ~c)


def _obs(a, b, c):
    return {"political_will": np.array([a]), "awareness": np.array([b]), "preparation": np.array([c])}


@given(a=finite, b=finite, c=finite)
def test_min_max_clip_laws(a, b, c):
    obs = _obs(a, b, c)

    def ev(text):
        return parse(text).evaluate(obs)[0]

    x, y, z = "political_will", "awareness", "preparation"
    assert ev(f"min({x}, {y})") == min(a, b) == ev(f"min({y}, {x})")
    assert ev(f"max({x}, {y})") == max(a, b) == ev(f"max({y}, {x})")
    assert ev(f"min({x}, {y}) <= max({x}, {y})")
    assert ev(f"min({x}, {y}, {z})") == ev(f"min(min({x}, {y}), {z})") == ev(f"min({x}, min({y}, {z}))")
    assert ev(f"-max({x}, {y})") == ev(f"min(-{x}, -{y})")
    lo, hi = min(b, c), max(b, c)
    clipped = parse("clip(political_will, awareness, preparation)").evaluate(_obs(a, lo, hi))[0]
    assert lo <= clipped <= hi
    assert clipped == (a if lo <= a <= hi else (lo if a < lo else hi))
    assert (
        parse("clip(clip(political_will, awareness, preparation), awareness, preparation)").evaluate(_obs(a, lo, hi))[0]
        == clipped
    )
    assert ev(f"abs({x})") == abs(a) and ev(f"abs(-{x})") == abs(a)


@given(a=finite, b=finite)
def test_comparison_trichotomy(a, b):
    obs = _obs(a, b, 0.0)
    lt, eq, gt = (parse(f"political_will {op} awareness").evaluate(obs)[0] for op in ("<", "==", ">"))
    assert [lt, eq, gt].count(True) == 1
    assert parse("political_will != awareness").evaluate(obs)[0] == (not eq)


@given(st.text(max_size=200))
def test_random_text_parses_or_is_refused_cleanly(text):
    try:
        parse(text)
    except ExprError as err:
        assert "\n" not in str(err)
