"""The expression grammar: exact values, precedence, dates, types, and one-line errors."""

import numpy as np
import pytest

from crunchtime.model.plans.expr import MAX_DEPTH, ExprError, evaluate, parse, tokenize, unparse


def val(text, **obs):
    arrays = {k: np.atleast_1d(np.asarray(v, dtype=float)) for k, v in obs.items()} or {"date": np.zeros(1)}
    out = evaluate(text, arrays)
    return out.tolist() if out.size > 1 else out.item()


@pytest.mark.parametrize(
    "text, expected",
    [
        ("1 + 2 * 3", 7.0),
        ("(1 + 2) * 3", 9.0),
        ("10 - 4 - 3", 3.0),  # left-associative
        ("24 / 4 / 3", 2.0),
        ("-2 ^ 2", -4.0),  # unary minus binds looser than ^
        ("(-2) ^ 2", 4.0),
        ("2 ^ -1", 0.5),
        ("4 ^ 0.5", 2.0),
        ("--3", 3.0),
        ("+3", 3.0),
        ("1.5e2", 150.0),
        ("2.5E-1", 0.25),
        (".5", 0.5),
        ("3.", 3.0),
        ("min(3, 1, 2)", 1.0),
        ("max(3, 1, 2)", 3.0),
        ("clip(5, 0, 1)", 1.0),
        ("clip(-5, 0, 1)", 0.0),
        ("clip(0.25, 0, 1)", 0.25),
        ("clip(0.5, 1, 0)", 0.0),  # lo > hi: min(max(x, lo), hi) = hi
        ("abs(-2.5)", 2.5),
        ("2027-01", 2027.0),
        ("2027-07", 2027.5),
        ("2025-12", 2025 + 11 / 12),
    ],
)
def test_exact_numeric_values(text, expected):
    assert val(text) == pytest.approx(expected, rel=0, abs=1e-12)
    assert parse(text).type == "number"


@pytest.mark.parametrize(
    "text, expected",
    [
        ("1 < 2", True),
        ("2 <= 2", True),
        ("3 > 4", False),
        ("4 >= 4", True),
        ("1 == 1", True),
        ("1 != 1", False),
        ("1 < 2 < 3", True),
        ("1 < 3 < 2", False),
        ("3 > 2 > 1", True),
        ("true and false", False),
        ("true or false", True),
        ("not true", False),
        ("not not true", True),
        ("true or false and false", True),  # and binds tighter than or
        ("not 1 > 2", True),  # not binds looser than comparison
        ("(1 < 2) == (3 < 4)", True),
        ("true != false", True),
        ("2027-06 > 2027-05", True),
    ],
)
def test_exact_boolean_values(text, expected):
    assert val(text) is expected or val(text) == expected
    assert parse(text).type == "boolean"


def test_observables_and_flags():
    obs = dict(political_will=[0.1, 0.7, 0.9], reached_3x=[0, 1, 1], months_since_3x=[0, 2, 10])
    assert val("reached_3x and political_will > 0.6", **obs) == [False, True, True]
    assert val("not reached_3x", **obs) == [True, False, False]
    assert val("clip(0.5 + 0.1 * months_since_3x, 0, 1)", **obs) == pytest.approx([0.5, 0.7, 1.0])
    assert val("date >= 2027-01", date=[2026.9, 2027.0, 2030]) == [False, True, True]


def test_flag_is_true_above_half():
    assert val("pause_active", pause_active=[0, 0.4, 0.6, 1, np.nan]) == [False, False, True, True, False]


def test_division_by_zero_and_nan_follow_ieee():
    assert val("1 / 0") == np.inf
    assert val("-1 / 0") == -np.inf
    assert np.isnan(val("0 / 0"))
    assert val("0 / 0 > 0") is False or val("0 / 0 > 0") == False  # noqa: E712 - comparisons with NaN are false
    assert val("0 / 0 != 0 / 0") == True  # noqa: E712
    assert (
        val("political_will / months_behind_leader", political_will=[1, 0, 2], months_behind_leader=[0, 0, 4])[2] == 0.5
    )


def test_params_are_named_constants():
    e = parse("political_will > threshold", params=["threshold"])
    assert e.params == {"threshold"} and e.observables == {"political_will"}
    out = e.evaluate({"political_will": np.array([0.2, 0.8])}, {"threshold": 0.5})
    assert out.tolist() == [False, True]


def test_constants_fold_and_broadcast():
    e = parse("1 + 2 * 3")
    assert not callable(e.compile()) and e.compile() == 7.0
    assert evaluate("2 > 1", {"date": np.zeros(4)}).tolist() == [True] * 4


def test_unparse_round_trips():
    for text in [
        "(a_b)" if False else "political_will + 1 * 2",
        "-(1 - 2) ^ 2",
        "not (true and false) or true",
        "(1 + 2) + 3",
        "1 + (2 + 3)",
        "min(1, -2, 3) < clip(political_will, 0, 1) <= 2",
        "--1",
    ]:
        e = parse(text)
        assert parse(unparse(e.node)).node == e.node, text


@pytest.mark.parametrize(
    "text, fragment",
    [
        ("ai_speedup > 3", "unknown name 'ai_speedup' (did you mean 'ai_rd_speedup'?)"),
        ("velocity > 0.5", "'velocity' is a knob"),
        ("1 and 2", "'and' needs true/false"),
        ("not 3", "'not' needs true/false"),
        ("reached_3x == 1", "'reached_3x' is a flag"),
        ("reached_3x + 1", "'+' needs numbers"),
        ("true < 1", "'<' compares numbers"),
        ("min(1)", "min() takes at least 2 arguments"),
        ("clip(1, 2)", "clip() takes 3 arguments"),
        ("abs(1 < 2)", "abs() takes numbers"),
        ("min", "'min' is a function"),
        ("political_will(1)", "'political_will' is not a function"),
        ("eval(1)", "unknown function 'eval'"),
        ("__import__", "unknown name '__import__'"),
        ("a.b", "attribute access is not allowed"),
        ("political_will.real", "attribute access is not allowed"),
        ("().__class__", "attribute access is not allowed"),
        ("x[0]", "indexing is not allowed"),
        ("'os'", "strings are not allowed"),
        ('"os"', "strings are not allowed"),
        ("2 ** 3", "write powers with '^'"),
        ("2 ^ political_will", "exponent after '^' must be a number literal"),
        ("2 ^ 65", "exponent 65 is too large"),
        ("2 ^ 2 ^ 2", "chained '^' is not allowed"),
        ("1e1000", "too large an exponent"),
        ("2e12", "too large"),
        ("3x", "malformed number"),
        ("1.2.3", "malformed number"),
        ("2027-13", "no month 13"),
        ("2027-06-01", "without a day"),
        ("1 = 1", "use '=='"),
        ("a && b", "use 'and'"),
        ("!a", "use 'not'"),
        ("(1 + 2", "expected ')'"),
        ("1 +", "expected a number, name or '('"),
        ("1 2", "unexpected '2'"),
        ("", "empty expression"),
        ("   ", "empty expression"),
        ("and", "'and' needs something on its left"),
        ("1 $ 2", "unexpected character '$'"),
    ],
)
def test_errors_are_one_clear_line(text, fragment):
    with pytest.raises(ExprError) as info:
        parse(text)
    message = str(info.value)
    assert fragment in message
    assert "\n" not in message


def test_expected_type_is_checked():
    with pytest.raises(ExprError, match="expected a condition"):
        parse("political_will", expect="boolean")
    with pytest.raises(ExprError, match="expected a number"):
        parse("political_will > 1", expect="number")


def test_depth_limit_is_exact():
    ok = "(" * MAX_DEPTH + "1" + ")" * MAX_DEPTH
    assert parse(ok).compile() == 1.0
    with pytest.raises(ExprError, match="nested too deeply"):
        parse("(" * (MAX_DEPTH + 1) + "1" + ")" * (MAX_DEPTH + 1))
    with pytest.raises(ExprError, match="nested too deeply"):
        parse("-" * (MAX_DEPTH + 1) + "1")
    with pytest.raises(ExprError, match="nested too deeply"):
        parse("not " * (MAX_DEPTH + 1) + "true")


def test_tokens_carry_columns():
    tokens = tokenize("a >= 2027-06")
    assert [(t.kind, t.text, t.pos) for t in tokens] == [
        ("name", "a", 0),
        ("op", ">=", 2),
        ("date", "2027-06", 5),
        ("end", "", 12),
    ]
