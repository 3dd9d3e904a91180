"""Hypothesis strategies: well-typed expressions of the plan grammar, as text."""

from __future__ import annotations

from hypothesis import strategies as st

#: numeric observables the generated expressions read (values are supplied by the tests)
NUM_VARS = ("political_will", "months_behind_leader", "ai_rd_speedup", "random")
FLAG_VARS = ("reached_3x", "pause_active")

literals = st.one_of(
    st.integers(0, 1000).map(str),
    st.floats(0, 1e6, allow_nan=False, allow_infinity=False).map(lambda x: f"{x:.6g}".replace("e+", "e")),
    st.sampled_from(["0.5", "1e-3", "2.5E2", ".25", "3.", "2027-06"]),
)


def _num_ext(children):
    return st.one_of(
        st.tuples(children, st.sampled_from(["+", "-", "*", "/"]), children).map(lambda t: f"({t[0]} {t[1]} {t[2]})"),
        children.map(lambda a: f"-{a}"),
        st.tuples(children, st.sampled_from(["2", "3", "0.5", "-1"])).map(lambda t: f"({t[0]})^{t[1]}"),
        st.lists(children, min_size=2, max_size=3).flatmap(
            lambda xs: st.sampled_from(["min", "max"]).map(lambda f: f"{f}({', '.join(xs)})")
        ),
        st.tuples(children, children, children).map(lambda t: f"clip({t[0]}, {t[1]}, {t[2]})"),
        children.map(lambda a: f"abs({a})"),
    )


numbers = st.recursive(st.one_of(literals, st.sampled_from(NUM_VARS)), _num_ext, max_leaves=12)


def _bool_ext(children):
    return st.one_of(
        st.tuples(children, st.sampled_from(["and", "or"]), children).map(lambda t: f"({t[0]} {t[1]} {t[2]})"),
        children.map(lambda a: f"not {a}"),
        st.tuples(children, st.sampled_from(["==", "!="]), children).map(lambda t: f"({t[0]} {t[1]} {t[2]})"),
    )


comparisons = st.tuples(numbers, st.sampled_from(["<", "<=", ">", ">=", "==", "!="]), numbers).map(
    lambda t: f"({t[0]} {t[1]} {t[2]})"
)
booleans = st.recursive(st.one_of(comparisons, st.sampled_from((*FLAG_VARS, "true", "false"))), _bool_ext, max_leaves=6)
