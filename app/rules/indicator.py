"""Indicator status for a year, as of a period (DOMAIN §6.1). Pure functions, no I/O.

1. **Actual to date** by aggregation: ``sum`` adds the year's values up to the period; ``mean``
   averages them; ``last`` takes the latest; ``ratio`` is Σnumerators / Σdenominators × scale.
2. **Expected to date**: for ``sum`` the annual target is pro-rated by the share of the year
   elapsed (months elapsed / 12, or the seasonal profile); other aggregations compare with the
   target as it stands. Relative targets (increase, decrease, unchanged) compare with the
   reference — the previous year's outcome, else the baseline — pro-rated the same way.
3. **Colour**: green when the target is met (a bound itself meets it: "at least 80" is met by
   80); yellow when short by no more than the tolerance (the edge itself is yellow); red beyond;
   ``no_data`` without measurements. The tolerance defaults to 10 % of the target's magnitude
   (:func:`default_tolerance`): of the level the target asks for as expected to date, never of a
   starting value. "Decrease by 10 %" from 100 000 asks for at most 90 000, so its tolerance is
   9 000 (yellow up to 99 000); a plain "decrease" from 100 000 asks for below 100 000, tolerance
   10 000. A band (``between``, ``unchanged`` for ``target_is_best``) takes its larger bound.

Decisions where DOMAIN.md is silent, written down here once:

* ``unchanged`` means "not worse than the reference" for a directional polarity (the reference
  and anything better are green) and "equal to the reference" for ``target_is_best``.
* ``increase`` without ``min_change`` needs any improvement (strictly above the reference) for
  green; equal to the reference is yellow, as DOMAIN §6.1 says, and so is anything worse by no
  more than the tolerance.
* The trend compares the actual with the previous period's, polarity-aware; for ``sum`` it
  compares the pace (actual per elapsed month), since a running total always grows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from app.periods import InvalidPeriod, Period
from app.rules.definitions import (
    DEFAULT_RELATIVE_TOLERANCE,
    RELATIVE_KINDS,
    Aggregation,
    IndicatorSpec,
    Polarity,
    Status,
    TargetKind,
    TargetSpec,
    ToleranceKind,
    Trend,
)

if TYPE_CHECKING:
    from app.rules.outlook import Outlook

ZERO = Decimal(0)
TWELVE = Decimal(12)


@dataclass(frozen=True)
class Observation:
    """One measurement used in an evaluation; ``key`` names it in the explanation."""

    period: Period
    value: Decimal | None
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    key: str = ""


@dataclass(frozen=True)
class Reference:
    """What a relative target is relative to, and where that number came from."""

    value: Decimal
    source: str  # e.g. "outcome 2022" or "baseline 2022-10"


@dataclass(frozen=True)
class Explanation:
    rule: str
    summary: str
    actual: Decimal | None = None
    expected: Decimal | None = None
    target: TargetSpec | None = None
    share_of_year: Decimal | None = None
    reference: Reference | None = None
    green_from: Decimal | None = None
    green_to: Decimal | None = None
    tolerance: Decimal | None = None
    gap: Decimal | None = None
    measurements: tuple[str, ...] = ()
    # The latest period with data in the year up to the period asked for (None: no data).
    data_through: Period | None = None


@dataclass(frozen=True)
class IndicatorResult:
    status: Status
    explanation: Explanation
    trend: Trend | None = None
    details: dict[str, str] = field(default_factory=dict)
    # What the rest of the year needs (app.rules.outlook), where the caller asked for it.
    outlook: Outlook | None = None


def periods_with_data(spec: IndicatorSpec, observations: Sequence[Observation]) -> list[Period]:
    """The periods whose observations count in the actual (for ``ratio``: with both parts)."""
    if spec.aggregation == Aggregation.RATIO:
        return [
            o.period for o in observations if o.numerator is not None and o.denominator is not None
        ]
    return [o.period for o in observations if o.value is not None]


def data_through(observations: Sequence[Period]) -> Period | None:
    """The latest period with data (by its end, then the longest: 2023-T2 over 2023-08)."""
    if not observations:
        return None
    return max(observations, key=lambda p: (p.end, -p.start.toordinal()))


def actual_to_date(spec: IndicatorSpec, observations: Sequence[Observation]) -> Decimal | None:
    """The year's value so far by the indicator's aggregation; None without usable data."""
    if spec.aggregation == Aggregation.RATIO:
        pairs = [
            (o.numerator, o.denominator)
            for o in observations
            if o.numerator is not None and o.denominator is not None
        ]
        denominator = sum((d for _, d in pairs), ZERO)
        if not pairs or denominator == ZERO:
            return None
        return sum((n for n, _ in pairs), ZERO) / denominator * spec.ratio_scale
    values = [(o.period, o.value) for o in observations if o.value is not None]
    if not values:
        return None
    if spec.aggregation == Aggregation.SUM:
        return sum((v for _, v in values), ZERO)
    if spec.aggregation == Aggregation.MEAN:
        return sum((v for _, v in values), ZERO) / len(values)
    return max(values, key=lambda pv: pv[0])[1]


def share_of_year(spec: IndicatorSpec, as_of: Period) -> Decimal:
    """How much of the year's total a ``sum`` indicator should have reached by ``as_of``."""
    months = as_of.months_elapsed
    if spec.seasonal_profile:
        return sum(spec.seasonal_profile[:months], ZERO)
    return Decimal(months) / TWELVE


def default_tolerance(level: Decimal) -> Decimal:
    """The one rule for a target without a stated tolerance (DOMAIN §4, README): 10 % of the
    magnitude of the level the target asks for (after pro-rating), whatever the target's kind."""
    return abs(level) * DEFAULT_RELATIVE_TOLERANCE


def tolerance_for(target: TargetSpec, magnitude: Decimal) -> Decimal:
    tol = target.tolerance
    if tol is None:
        return default_tolerance(magnitude)
    if tol.kind == ToleranceKind.ABSOLUTE:
        return tol.value
    return abs(magnitude) * tol.value


def green_band(
    target: TargetSpec, polarity: Polarity, reference: Decimal | None, scale: Decimal
) -> tuple[Decimal | None, Decimal | None, Decimal, str]:
    """(green from, green to, the target's level — what a relative tolerance is a share of —, the
    rule in words)."""
    kind = target.kind
    if kind == TargetKind.AT_LEAST:
        assert target.value is not None
        v = target.value * scale
        return v, None, v, f"at least {_fmt(v)}"
    if kind == TargetKind.AT_MOST:
        assert target.value is not None
        v = target.value * scale
        return None, v, v, f"at most {_fmt(v)}"
    if kind == TargetKind.BETWEEN:
        assert target.low is not None
        assert target.high is not None
        lo, hi = target.low * scale, target.high * scale
        return lo, hi, max(abs(lo), abs(hi)), f"between {_fmt(lo)} and {_fmt(hi)}"
    assert reference is not None
    ref = reference * scale
    change = target.min_change
    if kind == TargetKind.INCREASE:
        need = ref * (1 + change) if change else ref
        words = f"increase by {_pct(change)} from {_fmt(ref)}" if change else f"above {_fmt(ref)}"
        return need, None, need, words
    if kind == TargetKind.DECREASE:
        need = ref * (1 - change) if change else ref
        words = f"decrease by {_pct(change)} from {_fmt(ref)}" if change else f"below {_fmt(ref)}"
        return None, need, need, words
    # unchanged
    if polarity == Polarity.HIGHER_IS_BETTER:
        return ref, None, ref, f"not below {_fmt(ref)} (unchanged)"
    if polarity == Polarity.LOWER_IS_BETTER:
        return None, ref, ref, f"not above {_fmt(ref)} (unchanged)"
    return ref, ref, ref, f"equal to {_fmt(ref)} (unchanged)"


def _colour(
    actual: Decimal,
    lo: Decimal | None,
    hi: Decimal | None,
    tolerance: Decimal,
    strict: bool,
) -> tuple[Status, Decimal]:
    """Status and gap (how far outside the green band; 0 inside). ``strict``: the bound is not
    green itself (increase/decrease without a stated change)."""
    below = lo is not None and (actual < lo or (strict and actual == lo))
    above = hi is not None and (actual > hi or (strict and actual == hi))
    if not below and not above:
        return Status.GREEN, ZERO
    gap = (lo - actual) if below and lo is not None else (actual - hi if hi is not None else ZERO)
    return (Status.YELLOW if gap <= tolerance else Status.RED), gap


def evaluate_indicator(
    spec: IndicatorSpec,
    target: TargetSpec | None,
    observations: Sequence[Observation],
    as_of: Period,
    reference: Reference | None = None,
    previous: Sequence[Observation] | None = None,
) -> IndicatorResult:
    """The status of an indicator for ``as_of``'s year, from that year's observations up to it.

    ``previous`` are the observations up to the previous period, for the trend.
    """
    used = [o for o in observations if o.period.year == as_of.year and o.period.end <= as_of.end]
    keys = tuple(o.key for o in used)
    actual = actual_to_date(spec, used)
    through = data_through(periods_with_data(spec, used))
    trend = _trend(spec, used, as_of, previous)
    if actual is None:
        return IndicatorResult(
            Status.NO_DATA,
            Explanation(rule="no_data", summary=f"No measurements in {as_of.year} up to {as_of}."),
        )
    if target is None:
        return IndicatorResult(
            Status.NO_DATA,
            Explanation(
                rule="no_target",
                summary=f"No target for {as_of.year}; actual {_fmt(actual)}.",
                actual=actual,
                measurements=keys,
                data_through=through,
            ),
            trend,
        )
    if target.kind in RELATIVE_KINDS and reference is None:
        return IndicatorResult(
            Status.NO_DATA,
            Explanation(
                rule=target.kind.value,
                summary="No reference: neither last year's outcome nor a baseline.",
                actual=actual,
                target=target,
                measurements=keys,
                data_through=through,
            ),
            trend,
        )
    pro_rated = spec.aggregation == Aggregation.SUM
    share = share_of_year(spec, as_of) if pro_rated else Decimal(1)
    lo, hi, magnitude, words = green_band(
        target, spec.polarity, reference.value if reference else None, share
    )
    tolerance = tolerance_for(target, magnitude)
    strict = target.kind in {TargetKind.INCREASE, TargetKind.DECREASE} and not target.min_change
    status, gap = _colour(actual, lo, hi, tolerance, strict)
    expected = lo if lo is not None else hi
    pace = f" ({_pct(share)} of the year)" if pro_rated else ""
    side = "short by" if lo is not None and actual < lo else "over by"
    summary = f"{status.value.capitalize()}: actual {_fmt(actual)}; expected {words}{pace}" + (
        f"; {side} {_fmt(gap)}, tolerance {_fmt(tolerance)}." if gap else "."
    )
    return IndicatorResult(
        status,
        Explanation(
            rule=target.kind.value,
            summary=summary,
            actual=actual,
            expected=expected,
            target=target,
            share_of_year=share if pro_rated else None,
            reference=reference,
            green_from=lo,
            green_to=hi,
            tolerance=tolerance,
            gap=gap,
            measurements=keys,
            data_through=through,
        ),
        trend,
    )


def _trend(
    spec: IndicatorSpec,
    used: Sequence[Observation],
    as_of: Period,
    previous: Sequence[Observation] | None,
) -> Trend | None:
    if previous is None:
        return None
    try:
        before = as_of.previous()
    except InvalidPeriod:  # the first period there is (1900) has none before it
        return None
    earlier = [o for o in previous if o.period.end <= before.end and o.period.year == before.year]
    now, then = actual_to_date(spec, used), actual_to_date(spec, earlier)
    if now is None or then is None:
        return None
    if spec.aggregation == Aggregation.SUM:
        now, then = now / as_of.months_elapsed, then / before.months_elapsed
    if now == then:
        return Trend.UNCHANGED
    better = now > then if spec.polarity != Polarity.LOWER_IS_BETTER else now < then
    if spec.polarity == Polarity.TARGET_IS_BEST:
        return None  # direction alone says nothing; the colour does
    return Trend.IMPROVING if better else Trend.WORSENING


def _fmt(value: Decimal) -> str:
    rounded = value.quantize(Decimal("0.01")).normalize()
    return f"{rounded:f}"


def _pct(fraction: Decimal | None) -> str:
    return f"{_fmt((fraction or ZERO) * 100)} %"
