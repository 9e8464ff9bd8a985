"""Benchmarking rules, worked out by hand: seed 001 §7's group, both polarities, ties, quartiles.

The group is seed 001's "liknande kommuner IFO" with the two figures the seed gives (Gotland 90,
Sollentuna 85, the best results) and Östersund's 82; the other five are chosen so that the group
mean is the seed's 81: (90 + 80 + 78 + 84 + 72 + 78 + 85) / 7 = 567 / 7 = 81.
"""

import subprocess
import sys
from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.rules.benchmark import (
    Entry,
    compare,
    competition_ranks,
    median,
    quartile,
    quartile_result,
)
from app.rules.definitions import Polarity, Status

HI, LO, TB = Polarity.HIGHER_IS_BETTER, Polarity.LOWER_IS_BETTER, Polarity.TARGET_IS_BEST
G, Y, R, N = Status.GREEN, Status.YELLOW, Status.RED, Status.NO_DATA

GROUP = [
    Entry("0980", "Gotland", D(90)),
    Entry("1293", "Hässleholm", D(80)),
    Entry("1080", "Karlskrona", D(78)),
    Entry("1481", "Mölndal", D(84)),
    Entry("0188", "Norrtälje", D(72)),
    Entry("2482", "Skellefteå", D(78)),
    Entry("0163", "Sollentuna", D(85)),
]
OSTERSUND = Entry("2380", "Östersund", D(82))


def places(result):
    return [(p.name, p.rank) for p in result.ranking]


def test_higher_is_better_by_hand():
    result = compare(OSTERSUND, GROUP, HI)
    assert result.mean == D(81)
    # Sorted 72 78 78 80 84 85 90: the middle of seven is the fourth.
    assert result.median == D(80)
    assert places(result) == [
        ("Gotland", 1),
        ("Sollentuna", 2),
        ("Mölndal", 3),
        ("Östersund", 4),
        ("Hässleholm", 5),
        ("Karlskrona", 6),  # 78 and 78 share the better rank ...
        ("Skellefteå", 6),
        ("Norrtälje", 8),  # ... and the next rank is skipped
    ]
    # Rank 4 of 8: ceil(4·4/8) = 2, the upper middle quarter → yellow.
    assert (result.rank, result.quartile, result.colour) == (4, 2, Y)
    assert [(p.name, p.value) for p in result.best] == [("Gotland", D(90)), ("Sollentuna", D(85))]
    assert result.summary.startswith("Östersund 82; group mean 81, median 80; rank 4 of 8")
    assert "best: Gotland (90), Sollentuna (85)" in result.summary


def test_lower_is_better_by_hand_with_a_tie_among_the_best():
    result = compare(OSTERSUND, GROUP, LO)
    assert (result.mean, result.median) == (D(81), D(80))
    assert places(result) == [
        ("Norrtälje", 1),
        ("Karlskrona", 2),
        ("Skellefteå", 2),
        ("Hässleholm", 4),
        ("Östersund", 5),
        ("Mölndal", 6),
        ("Sollentuna", 7),
        ("Gotland", 8),
    ]
    # Rank 5 of 8: ceil(20/8) = 3 → yellow.
    assert (result.rank, result.quartile, result.colour) == (5, 3, Y)
    # The top two, and the tie at second place comes along.
    assert [p.name for p in result.best] == ["Norrtälje", "Karlskrona", "Skellefteå"]


@pytest.mark.parametrize(
    ("own", "polarity", "rank", "q", "colour"),
    [
        (91, HI, 1, 1, G),
        (86, HI, 2, 1, G),  # 2 ≤ 8/4: still the best quarter
        (84, HI, 3, 2, Y),  # ties Mölndal at 3
        (79, HI, 5, 3, Y),  # below 90 85 84 80: ceil(20/8) = 3
        (75, HI, 7, 4, R),  # also below 78 78: ceil(28/8) = 4
        (70, HI, 8, 4, R),
        (70, LO, 1, 1, G),
        (91, LO, 8, 4, R),
    ],
)
def test_quartile_colours(own, polarity, rank, q, colour):
    result = compare(Entry("2380", "Östersund", D(own)), GROUP, polarity)
    assert (result.rank, result.quartile, result.colour) == (rank, q, colour)


def test_quartile_definition_for_eight_seven_four_and_three():
    assert [quartile(r, 8) for r in range(1, 9)] == [1, 1, 2, 2, 3, 3, 4, 4]
    assert [quartile(r, 7) for r in range(1, 8)] == [1, 2, 2, 3, 3, 4, 4]
    assert [quartile(r, 4) for r in range(1, 5)] == [1, 2, 3, 4]
    assert [quartile(r, 3) for r in range(1, 4)] == [None, None, None]


def test_missing_members_are_listed_and_left_out():
    members = [*GROUP[:4], Entry("0188", "Norrtälje", None), *GROUP[5:]]
    result = compare(OSTERSUND, members, HI)
    assert [m.name for m in result.missing] == ["Norrtälje"]
    assert result.members_with_value == 6
    # (90 + 80 + 78 + 84 + 78 + 85) / 6 = 495 / 6 = 82.5; median of 78 78 80 84 85 90 = 82.
    assert (result.mean, result.median) == (D("82.5"), D(82))
    assert result.rank == 4
    assert len(result.ranking) == 7
    assert result.quartile == 3  # ceil(16/7) = 3
    assert "missing: Norrtälje" in result.summary


def test_no_own_value_is_not_ranked_but_the_group_is_described():
    result = compare(Entry("2380", "Östersund", None), GROUP, HI)
    assert (result.rank, result.quartile, result.colour) == (None, None, N)
    assert result.mean == D(81)
    assert len(result.ranking) == 7
    assert [p.name for p in result.best] == ["Gotland", "Sollentuna"]


def test_fewer_than_four_ranked_gives_no_quartile():
    result = compare(OSTERSUND, GROUP[:2], HI)
    assert (result.rank, result.quartile, result.colour) == (2, None, N)


def test_own_municipality_listed_as_member_counts_once():
    result = compare(OSTERSUND, [*GROUP, OSTERSUND], HI)
    assert len(result.ranking) == 8
    assert result.rank == 4
    assert result.mean == D(649) / D(8)  # now a member: 567 + 82
    assert all(not p.own for p in result.best)


def test_target_is_best_ranks_by_distance_to_the_best_point():
    # Best point 80: distances Hässleholm 0; Karlskrona, Skellefteå, Östersund 2; Mölndal 4;
    # Sollentuna 5; Norrtälje 8; Gotland 10.
    result = compare(OSTERSUND, GROUP, TB, best_point=D(80))
    assert places(result) == [
        ("Hässleholm", 1),
        ("Karlskrona", 2),
        ("Skellefteå", 2),
        ("Östersund", 2),
        ("Mölndal", 5),
        ("Sollentuna", 6),
        ("Norrtälje", 7),
        ("Gotland", 8),
    ]
    assert (result.rank, result.quartile, result.colour) == (2, 1, G)
    assert [p.name for p in result.best] == ["Hässleholm", "Karlskrona", "Skellefteå"]


def test_target_is_best_without_a_best_point_is_not_ranked():
    result = compare(OSTERSUND, GROUP, TB)
    assert not result.ranked
    assert (result.rank, result.quartile, result.colour) == (None, None, N)
    assert result.ranking == ()
    assert result.best == ()
    assert result.mean == D(81)
    assert "not ranked" in result.summary


def test_median_of_an_even_count_is_the_mean_of_the_middle_two():
    assert median([D(1), D(4), D(2), D(3)]) == D("2.5")
    assert median([]) is None


values = st.lists(
    st.decimals(min_value=-1000, max_value=1000, places=2, allow_nan=False), min_size=1, max_size=30
)


@given(values)
def test_competition_ranks_properties(keys):
    ranks = competition_ranks(keys)
    assert min(ranks) == 1
    for key, rank in zip(keys, ranks, strict=True):
        assert rank == 1 + sum(1 for k in keys if k < key)
        assert sum(1 for k in keys if k == key) + rank - 1 <= len(keys)


@given(st.integers(min_value=4, max_value=400))
def test_quartiles_split_the_places_into_quarters(n):
    qs = [quartile(r, n) or 0 for r in range(1, n + 1)]
    assert qs == sorted(qs)
    assert qs[0] == 1
    assert qs[-1] == 4
    assert qs.count(1) == n // 4  # ranks r ≤ n/4
    assert qs.count(4) == n - (3 * n) // 4  # ranks r > 3n/4


@given(values.filter(lambda v: len(set(v)) == len(v) and len(v) >= 2))
def test_polarity_reverses_the_ranking_for_distinct_values(raw):
    own, *others = [Entry(f"{i:04d}", f"M{i}", v) for i, v in enumerate(raw)]
    high, low = compare(own, others, HI), compare(own, others, LO)
    assert high.rank is not None
    assert low.rank is not None
    assert high.rank + low.rank == len(raw) + 1
    assert high.ranking[0].value == max(raw)
    assert low.ranking[0].value == min(raw)
    member_values = list(raw[1:])
    assert high.mean is not None
    assert high.median is not None
    assert min(member_values) <= high.mean <= max(member_values)
    assert min(member_values) <= high.median <= max(member_values)


def test_quartile_colour_mode_takes_the_comparisons_colour_and_names_the_year():
    # Östersund 82 is 4th of 8 when higher is better: quartile 2, the middle half.
    result = quartile_result(
        compare(OSTERSUND, GROUP, Polarity.HIGHER_IS_BETTER), "IFO", 2025, 2026
    )
    assert result.status == Status.YELLOW
    assert result.explanation.rule == "quartile"
    assert result.explanation.actual == D(82)
    assert result.explanation.measurements == ("2025",)
    assert result.explanation.summary.startswith(
        "Yellow: in the middle half among IFO, Kolada 2025: "
    )


def test_quartile_colour_mode_without_an_own_value_in_any_year_is_no_data():
    result = quartile_result(compare(OSTERSUND, GROUP, Polarity.LOWER_IS_BETTER), "IFO", None, 2026)
    assert result.status == Status.NO_DATA
    assert (
        result.explanation.summary == "No data: no own Kolada value up to 2026 to place among IFO"
    )


def test_the_benchmark_rules_import_no_framework_database_or_io_library():
    code = (
        "import sys, app.rules.benchmark\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in "
        "{'fastapi', 'starlette', 'sqlalchemy', 'pydantic', 'httpx', 'asyncpg', 'aiosqlite'})\n"
        "print(','.join(bad))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
