"""Tests for reporting periods (app.periods).

The calendar facts used below, worked out by hand:

    months   H1 Jan–Jun (1..6)   H2 Jul–Dec (7..12)
             T1 Jan–Apr (1..4)   T2 May–Aug (5..8)   T3 Sep–Dec (9..12)
             Q1 Jan–Mar (1..3)   Q2 Apr–Jun (4..6)   Q3 Jul–Sep (7..9)   Q4 Oct–Dec (10..12)

    so       T3 (9..12) contains Q4 (10..12); Q4 does not contain T3 (September is missing);
             H1 (1..6) does not contain T2 (5..8), nor does H2 (7..12);
             T1 (1..4) contains Q1 (1..3) but not Q2 (4..6); T2 contains no quarter.

    leap     2024 and 2000 are leap years (29 February); 2023 is not; 1900 is not (divisible by
             100 but not by 400).
"""

from __future__ import annotations

import itertools
import re
from datetime import date, timedelta

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from app.periods import (
    MAX_YEAR,
    MIN_YEAR,
    PERIOD_PATTERN,
    InvalidPeriod,
    Period,
    PeriodKind,
    is_valid,
    parse_period,
    period_range,
)

P = Period.parse


# -- strategies ----------------------------------------------------------------------------------


@st.composite
def periods(draw: st.DrawFn, kind: PeriodKind | None = None) -> Period:
    chosen = kind if kind is not None else draw(st.sampled_from(list(PeriodKind)))
    year = draw(st.integers(MIN_YEAR, MAX_YEAR))
    index = draw(st.integers(1, 12 // chosen.months))
    return Period(year, chosen, index)


def all_periods_of_year(year: int) -> list[Period]:
    return [
        Period(year, kind, index)
        for kind in PeriodKind
        for index in range(1, 12 // kind.months + 1)
    ]


def sub_periods(outer: Period) -> st.SearchStrategy[Period]:
    """Any period that ``outer`` contains, by the month-set definition (independent of contains)."""
    outer_months = set(range(outer.first_month, outer.last_month + 1))
    inside = [
        p
        for p in all_periods_of_year(outer.year)
        if set(range(p.first_month, p.last_month + 1)) <= outer_months
    ]
    return st.sampled_from(inside)


def same_year_periods(year: int) -> st.SearchStrategy[Period]:
    return st.sampled_from(all_periods_of_year(year))


# -- the kinds -----------------------------------------------------------------------------------


def test_kind_values_and_month_counts() -> None:
    assert [(k.value, k.months) for k in PeriodKind] == [
        ("year", 12),
        ("half", 6),
        ("tertial", 4),
        ("quarter", 3),
        ("month", 1),
    ]


# -- parsing and formatting ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "year", "kind", "index"),
    [
        ("2023", 2023, PeriodKind.YEAR, 1),
        ("2023-H1", 2023, PeriodKind.HALF, 1),
        ("2023-H2", 2023, PeriodKind.HALF, 2),
        ("2023-T1", 2023, PeriodKind.TERTIAL, 1),
        ("2023-T3", 2023, PeriodKind.TERTIAL, 3),
        ("2023-Q1", 2023, PeriodKind.QUARTER, 1),
        ("2023-Q4", 2023, PeriodKind.QUARTER, 4),
        ("2023-01", 2023, PeriodKind.MONTH, 1),
        ("2023-09", 2023, PeriodKind.MONTH, 9),
        ("2023-12", 2023, PeriodKind.MONTH, 12),
        ("1900", 1900, PeriodKind.YEAR, 1),
        ("2999-12", 2999, PeriodKind.MONTH, 12),
    ],
)
def test_parse_accepted_forms(text: str, year: int, kind: PeriodKind, index: int) -> None:
    period = Period.parse(text)
    assert period == Period(year, kind, index)
    assert str(period) == text
    assert parse_period(text) == period
    assert is_valid(text)
    assert re.fullmatch(PERIOD_PATTERN, text)


BAD_STRINGS = [
    "2023-13",
    "2023-00",
    "2023-T4",
    "2023-T0",
    "2023-H0",
    "2023-H3",
    "2023-Q0",
    "2023-Q5",
    "2023-1",
    "2023-001",
    "23",
    "023",
    "02023",
    "1899",
    "3000",
    " 2023",
    "2023 ",
    "2023\n",
    "2023-h1",
    "2023-t1",
    "2023-q1",
    "2023-",
    "2023-M1",
    "2023-W01",
    "2023/01",
    "2023_T1",
    "2023T1",
    "2023-T1-01",
    "２０２３",  # full-width digits match \d, not [0-9]
    "٢٠٢٣",  # Arabic-Indic digits likewise
    "",
]


@pytest.mark.parametrize("text", BAD_STRINGS)
def test_parse_rejects(text: str) -> None:
    with pytest.raises(InvalidPeriod) as excinfo:
        Period.parse(text)
    assert isinstance(excinfo.value, ValueError)
    assert not is_valid(text)
    assert re.fullmatch(PERIOD_PATTERN, text) is None


def test_error_message_lists_the_accepted_forms() -> None:
    with pytest.raises(InvalidPeriod) as excinfo:
        Period.parse("2023-T4")
    message = str(excinfo.value)
    assert "'2023-T4'" in message
    for form in ("YYYY", "YYYY-H1", "YYYY-T1..YYYY-T3", "YYYY-Q1", "YYYY-MM", "1900..2999"):
        assert form in message


def test_error_message_truncates_long_input() -> None:
    with pytest.raises(InvalidPeriod) as excinfo:
        Period.parse("x" * 10_000)
    assert len(str(excinfo.value)) < 400


@pytest.mark.parametrize(
    ("year", "kind", "index"),
    [
        (1899, PeriodKind.YEAR, 1),
        (3000, PeriodKind.MONTH, 1),
        (2023, PeriodKind.MONTH, 0),
        (2023, PeriodKind.MONTH, 13),
        (2023, PeriodKind.TERTIAL, 4),
        (2023, PeriodKind.HALF, 3),
        (2023, PeriodKind.YEAR, 2),
    ],
)
def test_constructor_rejects_impossible_periods(year: int, kind: PeriodKind, index: int) -> None:
    with pytest.raises(InvalidPeriod):
        Period(year, kind, index)


# -- calendar ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("2023", date(2023, 1, 1), date(2023, 12, 31)),
        ("2023-H1", date(2023, 1, 1), date(2023, 6, 30)),
        ("2023-H2", date(2023, 7, 1), date(2023, 12, 31)),
        ("2023-T1", date(2023, 1, 1), date(2023, 4, 30)),
        ("2023-T2", date(2023, 5, 1), date(2023, 8, 31)),
        ("2023-T3", date(2023, 9, 1), date(2023, 12, 31)),
        ("2023-Q1", date(2023, 1, 1), date(2023, 3, 31)),
        ("2023-Q2", date(2023, 4, 1), date(2023, 6, 30)),
        ("2023-Q3", date(2023, 7, 1), date(2023, 9, 30)),
        ("2023-Q4", date(2023, 10, 1), date(2023, 12, 31)),
        ("2023-02", date(2023, 2, 1), date(2023, 2, 28)),
        ("2024-02", date(2024, 2, 1), date(2024, 2, 29)),
        ("2000-02", date(2000, 2, 1), date(2000, 2, 29)),
        ("1900-02", date(1900, 2, 1), date(1900, 2, 28)),
        ("2023-04", date(2023, 4, 1), date(2023, 4, 30)),
        ("2023-12", date(2023, 12, 1), date(2023, 12, 31)),
    ],
)
def test_start_and_end(text: str, start: date, end: date) -> None:
    period = P(text)
    assert period.start == start
    assert period.end == end


@pytest.mark.parametrize(
    ("text", "first", "last", "elapsed"),
    [
        ("2023", 1, 12, 12),
        ("2023-H1", 1, 6, 6),
        ("2023-H2", 7, 12, 12),
        ("2023-T1", 1, 4, 4),
        ("2023-T2", 5, 8, 8),
        ("2023-T3", 9, 12, 12),
        ("2023-Q3", 7, 9, 9),
        ("2023-05", 5, 5, 5),
    ],
)
def test_month_bounds_and_months_elapsed(text: str, first: int, last: int, elapsed: int) -> None:
    period = P(text)
    assert (period.first_month, period.last_month, period.months_elapsed) == (first, last, elapsed)


def test_months_of_a_tertial() -> None:
    assert P("2023-T2").months() == (P("2023-05"), P("2023-06"), P("2023-07"), P("2023-08"))
    assert P("2023-07").months() == (P("2023-07"),)
    assert len(P("2023").months()) == 12


def test_year_period() -> None:
    assert P("2023-T2").year_period == P("2023")
    assert P("2023").year_period == P("2023")


# -- containment ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("outer", "inner", "expected"),
    [
        ("2023-Q4", "2023-11", True),
        ("2023-Q4", "2023-09", False),
        ("2023-Q4", "2023-T3", False),
        ("2023-T3", "2023-Q4", True),
        ("2023-H1", "2023-T2", False),
        ("2023-H2", "2023-T2", False),
        ("2023-H1", "2023-T1", True),
        ("2023-H2", "2023-T3", True),
        ("2023-T1", "2023-Q1", True),
        ("2023-T1", "2023-Q2", False),
        ("2023-T2", "2023-Q2", False),
        ("2023-T2", "2023-Q3", False),
        ("2023-H1", "2023-Q2", True),
        ("2023", "2023-T2", True),
        ("2023", "2024-01", False),
        ("2023-12", "2023", False),
        ("2023-Q4", "2024-Q4", False),
        ("2023-T2", "2023-T2", True),
        ("2023", "2023", True),
    ],
)
def test_contains_examples(outer: str, inner: str, expected: bool) -> None:
    assert P(outer).contains(P(inner)) is expected


# -- stepping ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "previous", "next_"),
    [
        ("2023", "2022", "2024"),
        ("2023-H1", "2022-H2", "2023-H2"),
        ("2023-H2", "2023-H1", "2024-H1"),
        ("2023-T1", "2022-T3", "2023-T2"),
        ("2023-T3", "2023-T2", "2024-T1"),
        ("2023-Q1", "2022-Q4", "2023-Q2"),
        ("2023-01", "2022-12", "2023-02"),
        ("2023-12", "2023-11", "2024-01"),
    ],
)
def test_previous_and_next(text: str, previous: str, next_: str) -> None:
    assert P(text).previous() == P(previous)
    assert P(text).next() == P(next_)


def test_stepping_past_the_supported_years_raises() -> None:
    with pytest.raises(InvalidPeriod):
        P("2999-12").next()
    with pytest.raises(InvalidPeriod):
        P("1900-Q1").previous()


def test_period_range_of_months_across_a_year() -> None:
    assert period_range(P("2023-11"), P("2024-02")) == [
        P("2023-11"),
        P("2023-12"),
        P("2024-01"),
        P("2024-02"),
    ]


def test_period_range_of_tertials_and_single() -> None:
    assert period_range(P("2023-T3"), P("2024-T2")) == [P("2023-T3"), P("2024-T1"), P("2024-T2")]
    assert period_range(P("2023-Q2"), P("2023-Q2")) == [P("2023-Q2")]
    assert len(period_range(P("2020"), P("2023"))) == 4


def test_period_range_rejects_mixed_kinds_and_reversed() -> None:
    with pytest.raises(InvalidPeriod, match="same kind"):
        period_range(P("2023-01"), P("2023-Q2"))
    with pytest.raises(InvalidPeriod, match="reversed"):
        period_range(P("2024-01"), P("2023-12"))


# -- ordering ------------------------------------------------------------------------------------


def test_ordering_example() -> None:
    shuffled = [P(t) for t in ["2023", "2023-H1", "2023-T1", "2023-04", "2023-Q1", "2023-01"]]
    shuffled += [P("2022"), P("2023-12"), P("2023-Q4"), P("2023-T3"), P("2023-H2")]
    expected = [
        "2022",
        "2023-01",
        "2023-Q1",  # ends 31 March
        "2023-04",  # the month ending 30 April comes before
        "2023-T1",  # the tertial ending 30 April
        "2023-H1",
        "2023-12",  # all end 31 December: shortest first
        "2023-Q4",
        "2023-T3",
        "2023-H2",
        "2023",
    ]
    assert [str(p) for p in sorted(shuffled)] == expected


def test_month_sorts_before_the_tertial_that_ends_with_it() -> None:
    assert P("2023-04") < P("2023-T1")
    assert P("2023-T1") > P("2023-04")
    assert P("2023-08") <= P("2023-T2")
    assert P("2023-T2") >= P("2023-T2")


def test_comparison_with_other_types_is_not_supported() -> None:
    text: object = "2023"
    assert P("2023") != text
    with pytest.raises(TypeError):
        _ = P("2023") < text


def test_hashable_and_usable_as_keys() -> None:
    assert {P("2023-T1"): 1}[Period(2023, PeriodKind.TERTIAL, 1)] == 1
    assert len({P("2023-01"), Period(2023, PeriodKind.MONTH, 1), P("2023-Q1")}) == 2


# -- properties ----------------------------------------------------------------------------------


@given(periods())
def test_round_trip(period: Period) -> None:
    text = str(period)
    assert Period.parse(text) == period
    assert is_valid(text)
    assert re.fullmatch(PERIOD_PATTERN, text)


@given(st.text(max_size=12))
def test_pattern_agrees_with_parser(text: str) -> None:
    assert is_valid(text) == (re.fullmatch(PERIOD_PATTERN, text) is not None)


@given(st.from_regex(PERIOD_PATTERN, fullmatch=True))
def test_every_pattern_match_parses(text: str) -> None:
    assert str(Period.parse(text)) == text


@given(periods())
def test_months_are_inside_the_period_and_its_year(period: Period) -> None:
    months = period.months()
    assert len(months) == period.kind.months
    for month in months:
        assert month.kind is PeriodKind.MONTH
        assert period.contains(month)
        assert period.year_period.contains(month)
    assert months[0].start == period.start
    assert months[-1].end == period.end


@given(periods())
def test_start_not_after_end(period: Period) -> None:
    assert period.start <= period.end
    assert period.start.day == 1
    assert (period.end + timedelta(days=1)).day == 1


@given(periods())
def test_months_of_a_period_are_contiguous(period: Period) -> None:
    months = period.months()
    for earlier, later in itertools.pairwise(months):
        assert earlier.end + timedelta(days=1) == later.start
        assert earlier.next() == later


@given(periods())
def test_next_then_previous_is_identity(period: Period) -> None:
    assume(not (period.year == MAX_YEAR and period.last_month == 12))
    following = period.next()
    assert following.previous() == period
    assert following.kind is period.kind
    assert period.end + timedelta(days=1) == following.start
    assert period < following


@given(periods())
def test_months_elapsed_matches_end_month(period: Period) -> None:
    assert period.months_elapsed == period.end.month == period.last_month
    assert period.months_elapsed == len(period_range(P(f"{period.year}-01"), period.months()[-1]))


@given(periods(), periods())
def test_contains_is_month_set_inclusion(a: Period, b: Period) -> None:
    a_months = set(a.months())
    b_months = set(b.months())
    assert a.contains(b) == (b_months <= a_months)
    assert a.contains(b) == (a.start <= b.start and b.end <= a.end)


@given(st.data())
def test_contains_is_transitive_on_chains(data: st.DataObject) -> None:
    a = data.draw(periods())
    b = data.draw(sub_periods(a))
    c = data.draw(sub_periods(b))
    assert a.contains(b)
    assert b.contains(c)
    assert a.contains(c)


@given(st.data())
def test_contains_is_transitive_on_arbitrary_triples(data: st.DataObject) -> None:
    year = data.draw(st.integers(MIN_YEAR, MAX_YEAR))
    a, b, c = (data.draw(same_year_periods(year)) for _ in range(3))
    if a.contains(b) and b.contains(c):
        assert a.contains(c)


@given(periods(), periods())
def test_contains_both_ways_means_equal(a: Period, b: Period) -> None:
    if a.contains(b) and b.contains(a):
        assert a == b


@given(periods(), periods())
def test_order_is_total_and_by_end_then_shorter_first(a: Period, b: Period) -> None:
    assert [a < b, a == b, b < a].count(True) == 1
    assert (a <= b) == (a < b or a == b)
    assert (a >= b) == (b <= a)
    assert (a > b) == (b < a)
    if a.end != b.end:
        assert (a < b) == (a.end < b.end)
    elif a != b:
        assert (a < b) == (a.start > b.start)
        assert (a < b) == b.contains(a)


@given(periods(), periods(), periods())
def test_order_is_transitive(a: Period, b: Period, c: Period) -> None:
    if a <= b and b <= c:
        assert a <= c


@given(
    st.integers(MIN_YEAR, MAX_YEAR - 1),
    st.integers(1, 12),
    st.integers(1, 12),
)
def test_month_range_across_a_year_boundary(year: int, first_month: int, last_month: int) -> None:
    first = Period(year, PeriodKind.MONTH, first_month)
    last = Period(year + 1, PeriodKind.MONTH, last_month)
    months = period_range(first, last)
    # the rest of the first year, then the start of the next
    assert len(months) == (12 - first_month + 1) + last_month
    assert months[0] == first
    assert months[-1] == last
    for earlier, later in itertools.pairwise(months):
        assert earlier.next() == later


@given(periods(kind=PeriodKind.QUARTER), st.integers(0, 20))
def test_range_length_matches_steps(first: Period, steps: int) -> None:
    last = first
    for _ in range(steps):
        assume(last.year < MAX_YEAR or last.index < 4)
        last = last.next()
    assert len(period_range(first, last)) == steps + 1
