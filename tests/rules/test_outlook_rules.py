"""What it takes to turn green (app.rules.outlook): worked by hand, then a property — meeting the
stated figure over the rest of the year is green at year end, meeting the not-red one is not red."""

from decimal import Decimal as D

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.periods import Period
from app.rules.definitions import Aggregation, IndicatorSpec, Polarity, Status
from app.rules.indicator import Observation, evaluate_indicator
from app.rules.outlook import year_outlook
from tests.rules.test_indicator_rules import months, ref, target

HI, LO = Polarity.HIGHER_IS_BETTER, Polarity.LOWER_IS_BETTER


def test_a_count_of_600_a_year_with_400_done_by_august():
    # 50 a month Jan–Aug = 400. The rest (4 months) needs 200 (50 a month); tolerance 60, so 140
    # keeps it out of red.
    o = year_outlook(
        IndicatorSpec(Aggregation.SUM, HI),
        target("at_least", value=600),
        months(*[50] * 8),
        Period.parse("2023"),
        None,
    )
    assert o is not None
    assert (str(o.data_through), o.remaining_periods, o.measure) == ("2023-08", 4, "total")
    assert (o.green.at_least, o.not_red.at_least) == (D(200), D(140))
    assert o.summary == (
        "To reach the year's target, the rest of the year (4 months after 2023-08) needs at "
        "least 200 in total (50 a month); to stay out of red, at least 140."
    )


def test_an_allowance_already_spent_says_so():
    # At most 300 a year, 320 by March: out of reach; not red up to 330: 10 more.
    o = year_outlook(
        IndicatorSpec(Aggregation.SUM, LO),
        target("at_most", value=300),
        months(100, 100, 120),
        Period.parse("2023-06"),
        None,
    )
    assert o is not None
    assert (o.green.at_most, o.not_red.at_most) == (D(-20), D(10))
    assert "out of reach (already 20 over)" in o.summary
    assert o.summary.endswith("to stay out of red, at most 10.")


def test_a_decrease_by_ten_percent_of_a_monthly_mean():
    # "Minska med 10 %" from 1173 households a month: at most 1055.7 over the year, tolerance
    # 105.57 (10 % of the target). Jan–Mar mean 1200 → the other 9 months may average at most
    # (1055.7 × 12 − 3600) / 9 = 1007.6; not red: (1161.27 × 12 − 3600) / 9 = 1148.36.
    o = year_outlook(
        IndicatorSpec(Aggregation.MEAN, LO),
        target("decrease", change="0.1"),
        months(1100, 1200, 1300),
        Period.parse("2023-03"),
        ref(1173),
    )
    assert o is not None
    assert (o.remaining_periods, o.green.at_most, o.not_red.at_most) == (
        9,
        D("1007.6"),
        D("1148.36"),
    )


@pytest.mark.parametrize("aggregation", [Aggregation.LAST])
def test_no_outlook_for_a_point_in_time_share(aggregation):
    spec = IndicatorSpec(aggregation, HI)
    assert (
        year_outlook(spec, target("at_least", value=80), months(70), Period.parse("2023"), None)
        is None
    )


def test_no_outlook_when_the_year_is_complete_or_without_a_target():
    spec = IndicatorSpec(Aggregation.SUM, HI)
    full = months(*[50] * 12)
    assert (
        year_outlook(spec, target("at_least", value=600), full, Period.parse("2023"), None) is None
    )
    assert year_outlook(spec, None, months(50), Period.parse("2023"), None) is None


KINDS = st.sampled_from([("at_least", HI), ("at_most", LO)])


@settings(max_examples=200, deadline=None)
@given(
    aggregation=st.sampled_from([Aggregation.SUM, Aggregation.MEAN, Aggregation.RATIO]),
    kind=KINDS,
    level=st.integers(min_value=1, max_value=100_000),
    done=st.lists(st.integers(min_value=0, max_value=20_000), min_size=1, max_size=11),
)
def test_delivering_the_stated_figure_is_green_and_the_not_red_one_not_red(
    aggregation, kind, level, done
):
    """Whatever has happened so far: send the rest of the year exactly what the outlook says (in
    one total for ``sum``, the stated mean or ratio in each remaining month otherwise, with the
    same denominator each month) and evaluate the year: green, resp. not red."""
    name, polarity = kind
    spec = IndicatorSpec(aggregation, polarity)
    tgt = target(name, value=level)
    year = Period.parse("2023")
    so_far = _observations(aggregation, done, 1)
    o = year_outlook(spec, tgt, so_far, year, None)
    assert o is not None
    for bound, best in ((o.green, {Status.GREEN}), (o.not_red, {Status.GREEN, Status.YELLOW})):
        for value in (bound.at_least, bound.at_most):
            if value is None or (aggregation == Aggregation.SUM and value < 0):
                continue  # an allowance already spent: nothing to send makes it green
            if aggregation == Aggregation.SUM and value == 0 and bound.at_least is not None:
                continue
            rest = _rest(aggregation, value, len(done), 12)
            result = evaluate_indicator(spec, tgt, [*so_far, *rest], year)
            assert result.status in best, (value, result.explanation.summary)


def _observations(aggregation, values, first_month):
    periods = [Period.parse(f"2023-{m:02d}") for m in range(first_month, first_month + len(values))]
    if aggregation == Aggregation.RATIO:
        # v sick hours of 1000 scheduled each month (ratio scale 1: a fraction)
        return [Observation(p, None, D(v), D(1000)) for p, v in zip(periods, values, strict=True)]
    return [Observation(p, D(v)) for p, v in zip(periods, values, strict=True)]


def _rest(aggregation, value, done, total):
    remaining = [Period.parse(f"2023-{m:02d}") for m in range(done + 1, total + 1)]
    if aggregation == Aggregation.SUM:
        return [Observation(remaining[0], value)]
    if aggregation == Aggregation.RATIO:
        return [Observation(p, None, value * 1000, D(1000)) for p in remaining]
    return [Observation(p, value) for p in remaining]
