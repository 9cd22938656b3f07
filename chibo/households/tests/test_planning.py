"""The assignment solver (chibo.households.planning) against brute force on small cases."""

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chibo.households.planning import (
    ELSEWHERE_M,
    SAME_HAMLET_M,
    Infeasible,
    Problem,
    check_bounds,
    dense,
    optimum_distance,
    solve,
)


def problem(
    households: list[tuple[float, float]],
    members: list[tuple[float, float]],
    lower: list[int],
    upper: list[int],
    *,
    h_hamlet: list[int] | None = None,
    m_hamlet: list[int] | None = None,
    apart_pct: int = 0,
) -> Problem:
    n, m = len(households), len(members)
    return Problem(
        household_xy=np.array(households, dtype=float).reshape(n, 2),
        member_xy=np.array(members, dtype=float).reshape(m, 2),
        lower=np.array(lower, dtype=np.int64),
        upper=np.array(upper, dtype=np.int64),
        household_hamlet=np.array(h_hamlet or [-1] * n, dtype=np.int64),
        member_hamlet=np.array(m_hamlet or [-1] * m, dtype=np.int64),
        household_street=np.full(n, -1, dtype=np.int64),
        member_street=np.full(m, -1, dtype=np.int64),
        apart_pct=apart_pct,
    )


def brute_force(p: Problem) -> int | None:
    """The least cost over every assignment that keeps each member's load within bounds."""
    costs = p.costs(np.arange(p.n))
    best = None
    for choice in itertools.product(range(p.m), repeat=p.n):
        load = np.bincount(choice, minlength=p.m)
        if (load < p.lower).any() or (load > p.upper).any():
            continue
        total = int(costs[np.arange(p.n), choice].sum())
        best = total if best is None else min(best, total)
    return best


coordinate = st.floats(min_value=-2000, max_value=2000, allow_nan=False).map(round)


@st.composite
def small_problems(draw):  # type: ignore[no-untyped-def]
    n = draw(st.integers(1, 6))
    m = draw(st.integers(1, 3))
    households = [(draw(coordinate), draw(coordinate)) for _ in range(n)]
    members = [(draw(coordinate), draw(coordinate)) for _ in range(m)]
    lower = [draw(st.integers(0, 3)) for _ in range(m)]
    upper = [lo + draw(st.integers(0, 4)) for lo in lower]
    hamlets = st.integers(0, 2)
    return problem(
        households,
        members,
        lower,
        upper,
        h_hamlet=[draw(hamlets) for _ in range(n)],
        m_hamlet=[draw(hamlets) for _ in range(m)],
        apart_pct=draw(st.sampled_from([0, 5, 50])),
    )


@settings(max_examples=150, deadline=None)
@given(small_problems(), st.integers(1, 3))
def test_the_sparse_solver_finds_the_brute_force_optimum_or_says_it_is_infeasible(p, k):
    best = brute_force(p)
    if best is None:
        with pytest.raises(Infeasible):
            solve(p, k=k)
        return
    plan = solve(p, k=k)
    assert plan.proved
    assert plan.cost == best
    loads = np.bincount(plan.assignment, minlength=p.m)
    assert (loads >= p.lower).all() and (loads <= p.upper).all()


@settings(max_examples=60, deadline=None)
@given(small_problems())
def test_the_dense_graph_agrees_with_brute_force(p):
    best = brute_force(p)
    if best is None:
        return
    assert dense(p).cost == best


def test_a_member_nobody_has_among_their_nearest_still_gets_their_lower_bound():
    # Four households around (0, 0); the far member is nobody's nearest, yet must take two.
    p = problem([(0, 0), (10, 0), (0, 10), (10, 10)], [(5, 5), (5000, 5000)], lower=[0, 2], upper=[4, 4])
    plan = solve(p, k=1)
    assert np.bincount(plan.assignment, minlength=2).tolist() == [2, 2]
    assert plan.proved
    assert plan.cost == brute_force(p)


def test_the_hamlet_term_keeps_a_household_with_its_hamlet_when_it_costs_little():
    # The household at x=100 is 100 m from A (other hamlet) and 104 m from B (its hamlet).
    p = problem([(100, 0)], [(0, 0), (204, 0)], lower=[0, 0], upper=[1, 1], h_hamlet=[1], m_hamlet=[0, 1])
    assert solve(p).assignment.tolist() == [0]  # by distance alone
    together = problem(
        [(100, 0)], [(0, 0), (204, 0)], lower=[0, 0], upper=[1, 1], h_hamlet=[1], m_hamlet=[0, 1], apart_pct=5
    )
    plan = solve(together)
    assert plan.assignment.tolist() == [1]
    assert plan.distance == 104
    assert optimum_distance(together).distance == 100


def test_without_coordinates_the_address_decides_same_hamlet_first():
    p = Problem(
        household_xy=np.full((2, 2), np.nan),
        member_xy=np.full((2, 2), np.nan),
        lower=np.array([0, 0]),
        upper=np.array([2, 2]),
        household_hamlet=np.array([0, 1]),
        member_hamlet=np.array([1, 0]),
        household_street=np.full(2, -1),
        member_street=np.full(2, -1),
    )
    plan = solve(p)
    assert plan.assignment.tolist() == [1, 0]
    assert plan.distance == 2 * SAME_HAMLET_M
    assert p.by_address_count() == 2
    assert p.costs(np.arange(1))[0].tolist() == [ELSEWHERE_M, SAME_HAMLET_M]


def test_bounds_that_cannot_hold_name_the_bound_to_relax():
    households = [(i, 0) for i in range(10)]
    with pytest.raises(Infeasible) as too_many:
        check_bounds(problem(households, [(0, 0)] * 3, lower=[4, 4, 4], upper=[9, 9, 9]))
    assert (too_many.value.bound, too_many.value.total, too_many.value.needed) == ("lower", 12, 3)
    with pytest.raises(Infeasible) as too_few:
        check_bounds(problem(households, [(0, 0)] * 3, lower=[0, 0, 0], upper=[3, 3, 3]))
    assert (too_few.value.bound, too_few.value.total, too_few.value.needed) == ("upper", 9, 4)


def test_a_larger_case_matches_the_dense_optimum():
    rng = np.random.default_rng(7)
    n, m = 300, 20
    p = problem(
        [tuple(x) for x in rng.normal(0, 800, (n, 2))],
        [tuple(x) for x in rng.normal(0, 800, (m, 2))],
        lower=[12] * m,
        upper=[18] * m,
    )
    plan = solve(p, k=3)
    assert plan.proved
    assert plan.cost == dense(p).cost
