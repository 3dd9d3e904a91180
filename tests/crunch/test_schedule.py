"""The scheduler: the essay's example exactly, optimality against brute force, uncertain automation."""

import numpy as np
import pytest

from crunchtime.crunch.projects import build_problem, example_path, load_problem
from crunchtime.crunch.schedule import brute_force, evaluate, solve


def test_essay_small_projects_first_finish_by_month_8_against_12_3():
    res = solve(load_problem(example_path("essay")), time_limit=10, workers=1)
    doc = res.to_dict()
    assert doc["makespan_months"] == pytest.approx(8.0)
    assert doc["naive_makespan_months"] == pytest.approx(
        6 + 1 / 3.5 + 6
    )  # 12.29: big first, sped up only in its last month
    assert res.status == "OPTIMAL"
    rows = {r["name"]: r for r in doc["projects"]}
    assert rows["big-rd-project"]["start"] == pytest.approx(6.0) and rows["big-rd-project"]["end"] == pytest.approx(8.0)
    assert all(r["end"] <= 6.0 + 1e-9 for n, r in rows.items() if n.startswith("small"))
    assert [r["name"] for r in doc["projects"]][:3] == ["small-01", "small-02", "small-03"]


def _random_problem(rng, n, k, n_months, objective):
    kinds = {
        "flat": {},
        "late": {"automation": [{"from_month": float(rng.integers(1, 5)), "speedup": float(rng.choice([2, 4]))}]},
        "two-step": {
            "automation": [
                {"from_month": float(rng.integers(0, 4)), "speedup": 2.0},
                {"from_month": 6.0, "speedup": 4.0},
            ]
        },
    }
    if n_months > 1:
        kinds["late"]["automation"][0]["from_month"] = {"months": [1.0, 3.0, 5.0][:n_months], "probs": None}
    projects = []
    for j in range(n):
        p = {
            "name": f"p{j}",
            "effort": float(rng.integers(1, 7)) * 0.5,
            "kind": str(rng.choice(list(kinds))),
            "value": float(rng.integers(1, 5)),
        }
        if objective == "value" and rng.random() < 0.6:
            p["deadline"] = float(rng.integers(1, 8)) + 0.5
        if j > 0 and rng.random() < 0.3:
            p["depends_on"] = [f"p{int(rng.integers(0, j))}"]
        projects.append(p)
    spec = {"researchers": k, "kinds": kinds, "projects": projects, "objective": objective}
    if objective == "value":
        spec["deadline"] = 5.5
    return build_problem(spec, "random")


CASES = [  # (seed, projects, researchers, automation scenarios, objective)
    (1, 5, 1, 1, "makespan"),
    (2, 5, 1, 1, "value"),
    (3, 5, 2, 1, "makespan"),
    (4, 5, 2, 1, "value"),
    (5, 4, 1, 3, "makespan"),
    (6, 4, 1, 2, "value"),
    (7, 4, 2, 2, "makespan"),
    (8, 4, 2, 2, "value"),
    (9, 6, 1, 1, "value"),
    (10, 5, 3, 1, "makespan"),
]


@pytest.mark.parametrize("seed, n, k, months, objective", CASES)
def test_solver_matches_brute_force_on_small_cases(seed, n, k, months, objective):
    problem = _random_problem(np.random.default_rng(seed), n, k, months, objective)
    best = brute_force(problem)
    res = solve(problem, time_limit=20, workers=1)
    assert res.status == "OPTIMAL"
    assert res.plan.expected_value == pytest.approx(best.expected_value, abs=1e-9)
    # times are integers of 1/1680 month inside the solver; the test data fall on that grid
    assert res.plan.expected_makespan == pytest.approx(best.expected_makespan, abs=1e-9)


def test_plan_is_never_worse_than_naive_and_respects_dependencies():
    problem = _random_problem(np.random.default_rng(11), 6, 2, 1, "value")
    res = solve(problem, time_limit=10, workers=1)
    assert res.plan.expected_value >= res.naive.expected_value - 1e-9
    t = res.plan.timings[0]
    for j, deps in enumerate(problem.deps):
        for d in deps:
            assert t.end[d] <= t.start[j] + 1e-9
    for seq in res.plan.sequences:  # one project at a time per researcher
        assert np.all(t.start[seq][1:] >= t.end[seq][:-1] - 1e-9)


def _uncertain_essay(months, probs, deadline=None):
    spec = load_problem(example_path("essay"))  # reuse the example's projects
    projects = [
        {"name": n, "effort": float(e), "kind": k, "value": float(v)}
        for n, e, k, v in zip(spec.names, spec.effort, spec.kinds, spec.value)
    ]
    kinds = {
        "small": {},
        "rd-heavy": {"automation": [{"from_month": {"months": months, "probs": probs}, "speedup": 3.5}]},
    }
    doc = {"kinds": kinds, "projects": projects}
    if deadline:
        doc.update(deadline=deadline, objective="value")
    return build_problem(doc, "uncertain")


def test_uncertain_automation_date_optimises_expected_value_with_one_shared_plan():
    problem = _uncertain_essay([6.0, 12.0], [0.5, 0.5], deadline=8.0)
    res = solve(problem, time_limit=10, workers=1)
    doc = res.to_dict()
    per = [s["value"] for s in doc["scenarios"]]
    assert doc["expected_value"] == pytest.approx(0.5 * per[0] + 0.5 * per[1])
    assert res.plan.expected_value == pytest.approx(brute_force_value_over_orders(problem))
    # small ones first: everything by month 8 if automation comes at 6 (20), only the small ones if at 12 (10);
    # big first (the file order): big by 6.29 or 7.0, then two or one small ones by month 8 (12 or 11)
    assert per == [20.0, 10.0] and doc["expected_value"] == 15.0
    assert doc["naive_expected_value"] == pytest.approx(0.5 * 12 + 0.5 * 11)
    assert doc["scenarios"][0]["makespan_months"] == pytest.approx(8.0)


def brute_force_value_over_orders(problem):
    # the 10 small projects are interchangeable: only the big project's position matters
    best = -1.0
    for pos in range(problem.n):
        order = [j for j in range(1, problem.n)]
        order.insert(pos, 0)
        best = max(best, evaluate(problem, [order]).expected_value)
    return best


def test_shared_plan_is_no_better_than_knowing_the_date():
    problem = _random_problem(np.random.default_rng(12), 4, 1, 3, "makespan")
    shared = solve(problem, time_limit=10, workers=1).plan
    for c in range(len(problem.scenarios)):
        clairvoyant = min(
            evaluate_in(problem, c, order)
            for order in __import__("itertools").permutations(range(problem.n))
            if _valid(problem, order)
        )
        assert shared.makespans[c] >= clairvoyant - 1e-9


def _valid(problem, order):
    pos = {j: i for i, j in enumerate(order)}
    return all(pos[d] < pos[j] for j in range(problem.n) for d in problem.deps[j])


def evaluate_in(problem, c, order):
    return evaluate(problem, [list(order)]).makespans[c]
