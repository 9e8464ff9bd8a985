"""Indicator fulfilment, table-driven, every number worked out by hand (DOMAIN §6.1, seed 004)."""

from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.periods import Period
from app.rules.definitions import (
    STATUS_RANK,
    Aggregation,
    IndicatorSpec,
    Polarity,
    Status,
    TargetKind,
    TargetSpec,
    Tolerance,
    ToleranceKind,
    Trend,
)
from app.rules.indicator import Observation, Reference, actual_to_date, evaluate_indicator

G, Y, R, N = Status.GREEN, Status.YELLOW, Status.RED, Status.NO_DATA
HI, LO, TB = Polarity.HIGHER_IS_BETTER, Polarity.LOWER_IS_BETTER, Polarity.TARGET_IS_BEST


def months(*values, year=2023):
    return [
        Observation(Period.parse(f"{year}-{i:02d}"), D(str(v)), key=f"{year}-{i:02d}")
        for i, v in enumerate(values, 1)
    ]


def ratios(*pairs, period="2023-03"):
    return [
        Observation(Period.parse(period), None, D(str(n)), D(str(d)), key=f"unit{i}")
        for i, (n, d) in enumerate(pairs)
    ]


def as_d(x):
    return None if x is None else D(str(x))


def target(kind, *, value=None, low=None, high=None, change=None, tol=None):
    return TargetSpec(TargetKind(kind), as_d(value), as_d(low), as_d(high), as_d(change), tol)


def ref(value):
    return Reference(D(str(value)), "outcome 2022")


# Sum: Jan–Jun 50+50+50+50+50+80 = 330 as of 2023-06; half the year, so an annual 600 expects 300.
SUM = IndicatorSpec(Aggregation.SUM, HI)
SUM_OBS = months(50, 50, 50, 50, 50, 80)
# Mean of 1100, 1200, 1300 = 1200 as of 2023-03 (households per month).
MEAN_LO = IndicatorSpec(Aggregation.MEAN, LO)
MEAN_OBS = months(1100, 1200, 1300)
# Last: 70 in January, 82 in February → 82.
LAST = IndicatorSpec(Aggregation.LAST, HI)
LAST_OBS = months(70, 82)
# Ratio: 10/100 and 30/100 → 40/200 × 100 = 20 %.
RATIO = IndicatorSpec(Aggregation.RATIO, HI, ratio_scale=D(100))
RATIO_OBS = ratios((10, 100), (30, 100))

CASES = [
    # id, spec, observations, as_of, target, reference, status, gap
    (
        "sum at_least 600: 330 ≥ 300",
        SUM,
        SUM_OBS,
        "2023-06",
        target("at_least", value=600),
        None,
        G,
        0,
    ),
    (
        "sum at_most 600: 330 > 300 by 30 = tol 30",
        SUM,
        SUM_OBS,
        "2023-06",
        target("at_most", value=600),
        None,
        Y,
        30,
    ),
    (
        "sum between 500–700 → 250–350",
        SUM,
        SUM_OBS,
        "2023-06",
        target("between", low=500, high=700),
        None,
        G,
        0,
    ),
    (
        "sum increase 20 % from 600 → 360, short 30, tol 36 (10 % of the target)",
        SUM,
        SUM_OBS,
        "2023-06",
        target("increase", change="0.2"),
        ref(600),
        Y,
        30,
    ),
    (
        "sum decrease from 800 → below 400",
        SUM,
        SUM_OBS,
        "2023-06",
        target("decrease"),
        ref(800),
        G,
        0,
    ),
    (
        "sum unchanged from 600 → ≥ 300",
        SUM,
        SUM_OBS,
        "2023-06",
        target("unchanged"),
        ref(600),
        G,
        0,
    ),
    (
        "mean at_least 1300: short 100, tol 130",
        MEAN_LO,
        MEAN_OBS,
        "2023-03",
        target("at_least", value=1300),
        None,
        Y,
        100,
    ),
    ("mean at_most 1300", MEAN_LO, MEAN_OBS, "2023-03", target("at_most", value=1300), None, G, 0),
    (
        "mean between 1000–1100: over 100, tol 110",
        MEAN_LO,
        MEAN_OBS,
        "2023-03",
        target("between", low=1000, high=1100),
        None,
        Y,
        100,
    ),
    ("mean increase from 1000", MEAN_LO, MEAN_OBS, "2023-03", target("increase"), ref(1000), G, 0),
    (
        "mean decrease 10 % from 1173 → 1055.7, over 144.3, tol 105.57",
        MEAN_LO,
        MEAN_OBS,
        "2023-03",
        target("decrease", change="0.1"),
        ref(1173),
        R,
        "144.3",
    ),
    (
        "mean unchanged (lower is better) from 1200",
        MEAN_LO,
        MEAN_OBS,
        "2023-03",
        target("unchanged"),
        ref(1200),
        G,
        0,
    ),
    ("last at_least 80", LAST, LAST_OBS, "2023-02", target("at_least", value=80), None, G, 0),
    (
        "last at_least 82: the bound itself is met",
        LAST,
        LAST_OBS,
        "2023-02",
        target("at_least", value=82),
        None,
        G,
        0,
    ),
    (
        "last at_least 90: short 8, tol 9",
        LAST,
        LAST_OBS,
        "2023-02",
        target("at_least", value=90),
        None,
        Y,
        8,
    ),
    (
        "last at_least 100, absolute tol 18: on the edge is yellow",
        LAST,
        LAST_OBS,
        "2023-02",
        target("at_least", value=100, tol=Tolerance(ToleranceKind.ABSOLUTE, D(18))),
        None,
        Y,
        18,
    ),
    (
        "last at_least 100, absolute tol 17.99: beyond the edge is red",
        LAST,
        LAST_OBS,
        "2023-02",
        target("at_least", value=100, tol=Tolerance(ToleranceKind.ABSOLUTE, D("17.99"))),
        None,
        R,
        18,
    ),
    (
        "last at_most 80: over 2, tol 8",
        LAST,
        LAST_OBS,
        "2023-02",
        target("at_most", value=80),
        None,
        Y,
        2,
    ),
    (
        "last between 99–100: short 17, tol 10",
        LAST,
        LAST_OBS,
        "2023-02",
        target("between", low=99, high=100),
        None,
        R,
        17,
    ),
    (
        "last increase from 82: equal to the reference is yellow",
        LAST,
        LAST_OBS,
        "2023-02",
        target("increase"),
        ref(82),
        Y,
        0,
    ),
    ("last decrease from 90", LAST, LAST_OBS, "2023-02", target("decrease"), ref(90), G, 0),
    (
        "last unchanged (target is best) at 82",
        IndicatorSpec(Aggregation.LAST, TB),
        LAST_OBS,
        "2023-02",
        target("unchanged"),
        ref(82),
        G,
        0,
    ),
    (
        "last unchanged (target is best) from 80: over 2, tol 8",
        IndicatorSpec(Aggregation.LAST, TB),
        LAST_OBS,
        "2023-02",
        target("unchanged"),
        ref(80),
        Y,
        2,
    ),
    ("ratio at_least 20", RATIO, RATIO_OBS, "2023-03", target("at_least", value=20), None, G, 0),
    (
        "ratio at_most 15: over 5, tol 1.5",
        RATIO,
        RATIO_OBS,
        "2023-03",
        target("at_most", value=15),
        None,
        R,
        5,
    ),
    (
        "ratio between 18–22",
        RATIO,
        RATIO_OBS,
        "2023-03",
        target("between", low=18, high=22),
        None,
        G,
        0,
    ),
    (
        "ratio increase from 25: short 5, tol 2.5",
        RATIO,
        RATIO_OBS,
        "2023-03",
        target("increase"),
        ref(25),
        R,
        5,
    ),
    ("ratio decrease from 25", RATIO, RATIO_OBS, "2023-03", target("decrease"), ref(25), G, 0),
    ("ratio unchanged from 20", RATIO, RATIO_OBS, "2023-03", target("unchanged"), ref(20), G, 0),
    (
        "+/- 0 budget adherence at +0.4 with absolute tol 0.5",
        IndicatorSpec(Aggregation.LAST, TB),
        [Observation(Period.parse("2023-T2"), D("0.4"))],
        "2023-T2",
        target("between", low=0, high=0, tol=Tolerance(ToleranceKind.ABSOLUTE, D("0.5"))),
        None,
        Y,
        "0.4",
    ),
]


@pytest.mark.parametrize(
    ("name", "spec", "obs", "as_of", "tgt", "reference", "status", "gap"),
    CASES,
    ids=[c[0] for c in CASES],
)
def test_aggregation_by_target_kind(name, spec, obs, as_of, tgt, reference, status, gap):
    result = evaluate_indicator(spec, tgt, obs, Period.parse(as_of), reference)
    assert result.status == status, result.explanation.summary
    assert result.explanation.gap == D(str(gap))
    assert result.explanation.rule == tgt.kind.value
    assert result.explanation.summary.startswith(status.value.capitalize())


def test_every_aggregation_meets_every_target_kind_in_the_table():
    seen = {(c[1].aggregation, c[4].kind) for c in CASES}
    assert seen >= {(a, k) for a in Aggregation for k in TargetKind}


@pytest.mark.parametrize(("done", "status"), [(330, G), (300, G), (270, Y), (269, R), (200, R)])
def test_pro_rating_an_annual_count_of_600_at_the_end_of_june(done, status):
    # Seed 004, appendix 2: the level the result must have each month to reach the annual target.
    observations = [Observation(Period.parse("2023-06"), D(done))]
    result = evaluate_indicator(
        SUM, target("at_least", value=600), observations, Period.parse("2023-06")
    )
    assert result.status == status
    assert result.explanation.expected == 300
    assert result.explanation.share_of_year == D("0.5")


def test_a_seasonal_profile_moves_the_expected_level():
    # 40 % of the year's activities fall in January–June.
    profile = tuple(D("0.4") / 6 for _ in range(6)) + tuple(D("0.6") / 6 for _ in range(6))
    spec = IndicatorSpec(Aggregation.SUM, HI, seasonal_profile=profile)
    result = evaluate_indicator(
        spec,
        target("at_least", value=600),
        [Observation(Period.parse("2023-06"), D(250))],
        Period.parse("2023-06"),
    )
    assert result.explanation.expected == pytest.approx(D(240))
    assert result.status == G


def test_ratio_roll_up_is_a_ratio_of_sums_not_a_mean_of_percentages():
    assert actual_to_date(RATIO, ratios((10, 100), (30, 100))) == 20
    # 10 % and 30 % of very different denominators: (10 + 60) / (100 + 200) = 23.33 %, not 20 %.
    uneven = actual_to_date(RATIO, ratios((10, 100), (60, 200)))
    assert uneven is not None
    assert uneven.quantize(D("0.01")) == D("23.33")


class TestNoData:
    def test_without_measurements(self):
        result = evaluate_indicator(LAST, target("at_least", value=80), [], Period.parse("2023-06"))
        assert result.status == N
        assert "No measurements" in result.explanation.summary

    def test_measurements_of_other_years_and_later_periods_do_not_count(self):
        observations = [*months(90, year=2022), Observation(Period.parse("2023-09"), D(90))]
        result = evaluate_indicator(
            LAST, target("at_least", value=80), observations, Period.parse("2023-06")
        )
        assert result.status == N

    def test_a_relative_target_without_reference(self):
        result = evaluate_indicator(LAST, target("increase"), LAST_OBS, Period.parse("2023-02"))
        assert result.status == N
        assert "No reference" in result.explanation.summary

    def test_no_target_that_year(self):
        result = evaluate_indicator(LAST, None, LAST_OBS, Period.parse("2023-02"))
        assert result.status == N
        assert result.explanation.actual == 82


def test_above_an_upper_bound_the_explanation_says_over():
    result = evaluate_indicator(
        LAST, target("at_most", value=80), LAST_OBS, Period.parse("2023-02")
    )
    assert (
        result.explanation.summary
        == "Yellow: actual 82; expected at most 80; over by 2, tolerance 8."
    )


def test_the_explanation_reads_without_the_code():
    result = evaluate_indicator(
        SUM, target("at_least", value=600), months(40, 40, 40, 40, 40, 40), Period.parse("2023-06")
    )
    assert result.status == R  # 240 is 60 short of 300, beyond the tolerance of 30
    assert (
        result.explanation.summary
        == "Red: actual 240; expected at least 300 (50 % of the year); short by 60, tolerance 30."
    )
    assert result.explanation.measurements == (
        "2023-01",
        "2023-02",
        "2023-03",
        "2023-04",
        "2023-05",
        "2023-06",
    )


class TestTrend:
    def test_polarity_aware(self):
        prev = months(70, 82, 80)
        now = evaluate_indicator(
            LAST, target("at_least", value=80), prev, Period.parse("2023-03"), previous=prev
        )
        assert now.trend == Trend.WORSENING  # 82 → 80, higher is better
        lower = IndicatorSpec(Aggregation.LAST, LO)
        assert (
            evaluate_indicator(lower, None, prev, Period.parse("2023-03"), previous=prev).trend
            == Trend.IMPROVING
        )

    def test_the_first_period_there_is_has_no_trend(self):
        # January 1900 has no period before it: no trend, and no error (schemathesis found a 500).
        first = months(70, year=1900)
        result = evaluate_indicator(LAST, None, first, Period.parse("1900-01"), previous=first)
        assert (result.trend, result.explanation.actual) == (None, D(70))

    def test_a_running_total_compares_pace(self):
        # 100 by February (50/month), 140 by March (46.7/month): slower.
        obs = months(50, 50, 40)
        assert (
            evaluate_indicator(SUM, None, obs, Period.parse("2023-03"), previous=obs).trend
            == Trend.WORSENING
        )


DIRECTIONAL = [
    ("at_least", HI, 1),
    ("at_most", LO, -1),
    ("increase", HI, 1),
    ("decrease", LO, -1),
    ("unchanged", HI, 1),
    ("unchanged", LO, -1),
]
values = st.decimals(min_value=0, max_value=10_000, places=2)


@given(
    case=st.sampled_from(DIRECTIONAL),
    aggregation=st.sampled_from([Aggregation.SUM, Aggregation.MEAN, Aggregation.LAST]),
    observed=st.lists(values, min_size=1, max_size=12),
    goal=values,
    reference=values.filter(lambda v: v > 0),
    change=st.none() | st.decimals(min_value=D("0.01"), max_value=1, places=2),
    delta=st.decimals(min_value=0, max_value=1000, places=2),
    moved=st.integers(min_value=0, max_value=11),
)
def test_moving_a_value_in_the_better_direction_never_worsens_the_colour(
    case, aggregation, observed, goal, reference, change, delta, moved
):
    kind, polarity, better = case
    spec = IndicatorSpec(aggregation, polarity)
    kind = TargetKind(kind)
    tgt = TargetSpec(
        kind,
        value=goal if kind in {TargetKind.AT_LEAST, TargetKind.AT_MOST} else None,
        min_change=change if kind in {TargetKind.INCREASE, TargetKind.DECREASE} else None,
    )
    as_of = Period.parse(f"2023-{len(observed):02d}")
    before = [Observation(Period.parse(f"2023-{i:02d}"), v) for i, v in enumerate(observed, 1)]
    index = moved % len(before)
    after = list(before)
    # Clamped at 0 (counts are not negative), the move is still in the better direction.
    after[index] = Observation(
        before[index].period, max(D(0), before[index].value + better * delta)
    )
    first = evaluate_indicator(spec, tgt, before, as_of, Reference(reference, "baseline")).status
    second = evaluate_indicator(spec, tgt, after, as_of, Reference(reference, "baseline")).status
    assert STATUS_RANK[second] >= STATUS_RANK[first]


# "Minska med 10 %" (seed 004) from 100 000 asks for at most 90 000: the default tolerance is 10 %
# of that target (DOMAIN §4, README), 9 000, so yellow runs to 99 000 and 99 500 is red. A plain
# "minska" from 100 000 asks for below 100 000, tolerance 10 000: 101 000 is yellow.
DECREASE_CASES = [
    ("decrease 10 %", "0.1", 99000, Y, 9000),
    ("decrease 10 %", "0.1", 99500, R, 9000),
    ("decrease 10 %", "0.1", 101000, R, 9000),
    ("decrease", None, 101000, Y, 10000),
    ("decrease", None, 111000, R, 10000),
    # "Öka med 10 %" from 100 000 asks for 110 000: tolerance 11 000, so 99 000 is yellow.
    ("increase 10 %", "0.1", 99000, Y, 11000),
    ("increase 10 %", "0.1", 98999, R, 11000),
]


@pytest.mark.parametrize(("name", "change", "actual", "status", "tolerance"), DECREASE_CASES)
def test_a_relative_target_tolerates_ten_percent_of_the_target_not_of_the_start(
    name, change, actual, status, tolerance
):
    kind = name.split()[0]
    spec = IndicatorSpec(Aggregation.LAST, LO if kind == "decrease" else HI)
    obs = [Observation(Period.parse("2023"), D(actual))]
    result = evaluate_indicator(
        spec, target(kind, change=change), obs, Period.parse("2023"), ref(100000)
    )
    assert (result.status, result.explanation.tolerance) == (status, D(tolerance))
