"""Goal fulfilment from indicators and child goals: seed 004's rules, worked by hand."""

from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.rules.definitions import STATUS_RANK, Status
from app.rules.goal import Child, all_children, evaluate_goal, share_of_indicators

G, Y, R, N = Status.GREEN, Status.YELLOW, Status.RED, Status.NO_DATA


def kids(*statuses, weights=None):
    weights = weights or [1] * len(statuses)
    return [
        Child(f"indicator {i}", s, D(w))
        for i, (s, w) in enumerate(zip(statuses, weights, strict=True), 1)
    ]


@pytest.mark.parametrize(
    ("threshold", "statuses", "expected"),
    [
        # 70 %: "at least 70 % of the indicators green and the rest yellow" (seed 004, goals 1.1, 2.1, 3.1, 8.1).
        ("0.70", [G] * 7 + [Y] * 3, G),
        ("0.70", [G] * 6 + [Y] * 4, Y),
        ("0.70", [G] * 7 + [Y] * 2 + [R], Y),  # 70 % green but one red: not green; 10 % red ≤ 30 %
        ("0.70", [G] * 6 + [R] * 4, R),  # 40 % red > 30 %: 70 % green is out of reach
        ("0.70", [G] * 7 + [R] * 3, Y),  # 30 % red = 1 − 0.70: still reachable in principle
        # 75 % (goals 3.2, 4.1, 5.1): 3 of 4 green is exactly on the threshold.
        ("0.75", [G, G, G, Y], G),
        ("0.75", [G, G, Y, Y], Y),
        ("0.75", [G, G, Y, R], Y),  # 25 % red = 1 − 0.75
        ("0.75", [G, G, R, R], R),
        # 50 % (goal 6.1).
        ("0.50", [G, G, Y], G),
        ("0.50", [G, Y, Y], Y),
        ("0.50", [G, R, R], R),
    ],
)
def test_share_of_indicators(threshold, statuses, expected):
    result = share_of_indicators(kids(*statuses), threshold=D(threshold))
    assert result.status == expected, result.summary


def test_weights_count():
    # Weight 3 green and weight 1 yellow: 75 % green ≥ 70 %.
    assert share_of_indicators(kids(G, Y, weights=[3, 1])).status == G
    assert share_of_indicators(kids(G, Y, weights=[1, 3])).status == Y


def test_indicators_without_data_are_left_out_and_named():
    result = share_of_indicators(kids(G, G, N, N))
    assert result.status == G  # 2 of 4 weights have data: 50 % coverage is enough by default
    assert result.coverage == D("0.5")
    assert result.missing == ("indicator 3", "indicator 4")
    assert "Without data: indicator 3, indicator 4." in result.summary


def test_too_little_coverage_is_no_data():
    result = share_of_indicators(kids(G, N, N, N))
    assert result.status == N
    assert (
        result.summary
        == "No data: 25 % of the weight has data, 50 % needed. Missing: indicator 2, indicator 3, indicator 4."
    )


def test_each_childs_contribution_is_explained():
    result = share_of_indicators(kids(G, Y, R, N))
    shares = [(c.key, c.status, c.share) for c in result.contributions]
    third = D(1) / 3
    assert shares == [
        ("indicator 1", G, third),
        ("indicator 2", Y, third),
        ("indicator 3", R, third),
        ("indicator 4", N, None),
    ]


@pytest.mark.parametrize(
    ("statuses", "expected"),
    [([G, G], G), ([G, Y], Y), ([G, R], R), ([Y, R], R), ([N, N], N), ([G, N], Y)],
)
def test_kf_goal_3_needs_both_committee_goals(statuses, expected):
    children = [Child("goal 3.1", statuses[0]), Child("goal 3.2", statuses[1])]
    assert all_children(children).status == expected


def test_rules_are_data_on_the_goal():
    assert (
        evaluate_goal({"kind": "share_of_indicators", "threshold": "0.75"}, kids(G, G, G, Y)).status
        == G
    )
    assert (
        evaluate_goal({"kind": "share_of_indicators", "threshold": "0.8"}, kids(G, G, G, Y)).status
        == Y
    )
    assert evaluate_goal({"kind": "all_children"}, kids(G, Y)).status == Y


status_of_data = st.sampled_from([G, Y, R])


@given(
    rule=st.sampled_from(
        [{"kind": "share_of_indicators", "threshold": t} for t in ("0.5", "0.7", "0.75")]
        + [{"kind": "all_children"}]
    ),
    statuses=st.lists(st.sampled_from([G, Y, R, N]), min_size=1, max_size=10),
    weights=st.lists(st.integers(min_value=1, max_value=5), min_size=10, max_size=10),
    which=st.integers(min_value=0, max_value=9),
)
def test_a_child_worsening_never_improves_the_goal(rule, statuses, weights, which):
    index = which % len(statuses)
    if statuses[index] in (R, N):
        return  # nothing worse to become
    worse = Y if statuses[index] == G else R
    before = [
        Child(str(i), s, D(w)) for i, (s, w) in enumerate(zip(statuses, weights, strict=False))
    ]
    after = list(before)
    after[index] = Child(before[index].key, worse, before[index].weight)
    first, second = evaluate_goal(rule, before).status, evaluate_goal(rule, after).status
    if N in (first, second):
        assert first == second  # coverage did not change
    else:
        assert STATUS_RANK[second] <= STATUS_RANK[first]
