"""What it takes to turn green: the value the rest of the year needs to reach an indicator's
annual target, and to stay out of red. Pure functions, no I/O.

For ``sum``, ``mean`` and ``ratio`` indicators with a target, as of the latest period with data
(``data_through``, not the period asked for: a month without data is still to come):

* **The rest of the year** is the periods after ``data_through`` to the year's end, in the kind
  of that latest period (data through 2023-08, monthly: four months; through 2023-T2: one
  tertial). With ``data_through`` at the year's end nothing remains and there is no outlook.
* **The year's levels** are the target's green band for the whole year (no pro-rating) and the
  red edge beyond it by the tolerance (:func:`app.rules.indicator.default_tolerance` unless the
  target states one), exactly as :func:`evaluate_indicator` colours the year at its end.
* ``sum``: the rest of the year's **total** is the level − the total so far (and per period:
  that total ÷ the periods remaining). A lower-is-better target gives an allowance: at most
  that much more.
* ``mean``: the year's mean counts every period alike, so the **mean over the remaining
  periods** is (level × (n + r) − mean so far × n) ÷ r, with n periods with data and r remaining.
* ``ratio``: Σnumerators ÷ Σdenominators. The stated rule: the remaining periods are assumed to
  have the same denominator per period as those so far (scheduled hours do not swing much), so
  the **ratio over the remaining periods** follows the ``mean`` formula with the ratio so far.
* Values needed upward are rounded up, allowances down, to 0.01: meeting the stated figure is
  enough, never short by a rounding.
* A level already secured (a lower bound the total so far has reached) says so; one out of reach
  for a ``sum`` (an allowance below 0: the total so far is already over) says that instead.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

from app.periods import Period
from app.rules.definitions import (
    RELATIVE_KINDS,
    Aggregation,
    IndicatorSpec,
    TargetKind,
    TargetSpec,
)
from app.rules.indicator import (
    Observation,
    Reference,
    actual_to_date,
    data_through,
    green_band,
    periods_with_data,
    tolerance_for,
)

ZERO = Decimal(0)
CENT = Decimal("0.01")
OUTLOOK_AGGREGATIONS = frozenset({Aggregation.SUM, Aggregation.MEAN, Aggregation.RATIO})


@dataclass(frozen=True)
class Bound:
    """What the rest of the year needs for one level: at least ``at_least`` and/or at most
    ``at_most`` (a total for ``sum``, a mean or ratio over the remaining periods otherwise)."""

    at_least: Decimal | None = None
    at_most: Decimal | None = None


@dataclass(frozen=True)
class Outlook:
    data_through: Period
    remaining_periods: int
    measure: str  # "total" for sum, "mean" or "ratio" over the remaining periods
    green: Bound
    not_red: Bound
    summary: str


def remaining_periods(through: Period) -> int:
    """Periods of ``through``'s kind after it to the end of its year."""
    return through.kind.per_year - through.index


def _needed(
    level: Decimal, actual: Decimal, spec: IndicatorSpec, n: int, r: int, upward: bool
) -> Decimal:
    if spec.aggregation == Aggregation.SUM:
        exact = level - actual
    else:
        exact = (level * (n + r) - actual * n) / r
    return exact.quantize(CENT, rounding=ROUND_CEILING if upward else ROUND_FLOOR)


def outlook(
    spec: IndicatorSpec,
    target: TargetSpec | None,
    actual: Decimal | None,
    periods_with_data: Sequence[Period],
    green_from: Decimal | None,
    green_to: Decimal | None,
    tolerance: Decimal | None,
    year: int,
) -> Outlook | None:
    """What the rest of ``year`` needs, given the year's green band (``green_from`` …
    ``green_to``, for the whole year) and the tolerance; None where there is nothing to say
    (another aggregation, no target, no data, or nothing of the year left)."""
    if (
        spec.aggregation not in OUTLOOK_AGGREGATIONS
        or target is None
        or actual is None
        or tolerance is None
    ):
        return None
    in_year = [p for p in periods_with_data if p.year == year]
    through = data_through(in_year)
    if through is None:
        return None
    r = remaining_periods(through)
    if r <= 0:
        return None
    n = len({p for p in in_year if p.kind == through.kind}) or 1
    green = Bound(
        None if green_from is None else _needed(green_from, actual, spec, n, r, True),
        None if green_to is None else _needed(green_to, actual, spec, n, r, False),
    )
    not_red = Bound(
        None if green_from is None else _needed(green_from - tolerance, actual, spec, n, r, True),
        None if green_to is None else _needed(green_to + tolerance, actual, spec, n, r, False),
    )
    measure = {Aggregation.SUM: "total", Aggregation.MEAN: "mean", Aggregation.RATIO: "ratio"}[
        spec.aggregation
    ]
    strict = target.kind in {TargetKind.INCREASE, TargetKind.DECREASE} and not target.min_change
    return Outlook(
        through,
        r,
        measure,
        green,
        not_red,
        _summary(spec, through, r, measure, green, not_red, strict),
    )


def _summary(
    spec: IndicatorSpec,
    through: Period,
    r: int,
    measure: str,
    green: Bound,
    not_red: Bound,
    strict: bool,
) -> str:
    rest = f"{r} {through.kind.value}{'' if r == 1 else 's'} after {through}"
    what = "in total" if measure == "total" else f"as the {measure} of those periods"

    def phrase(bound: Bound, green_level: bool) -> str:
        parts = []
        if bound.at_least is not None:
            if spec.aggregation == Aggregation.SUM and bound.at_least <= 0:
                parts.append("nothing more (already reached)")
            else:
                more = "more than" if strict and green_level else "at least"
                parts.append(f"{more} {_fmt(bound.at_least)}")
        if bound.at_most is not None:
            if spec.aggregation == Aggregation.SUM and bound.at_most < 0:
                parts.append(f"out of reach (already {_fmt(-bound.at_most)} over)")
            else:
                less = "less than" if strict and green_level else "at most"
                parts.append(f"{less} {_fmt(bound.at_most)}")
        return " and ".join(parts)

    per_period = ""
    if measure == "total" and r > 1:
        each = green.at_least if green.at_least is not None else green.at_most
        if each is not None and each > 0:
            per_period = f" ({_fmt(each / r)} a {through.kind.value})"
    return (
        f"To reach the year's target, the rest of the year ({rest}) needs "
        f"{phrase(green, True)} {what}{per_period}; to stay out of red, "
        f"{phrase(not_red, False)}."
    )


def year_outlook(
    spec: IndicatorSpec,
    target: TargetSpec | None,
    observations: Sequence[Observation],
    as_of: Period,
    reference: Reference | None,
) -> Outlook | None:
    """The outlook for ``as_of``'s year from its observations up to ``as_of``, against the
    target's green band for the whole year, as :func:`evaluate_indicator` would colour it."""
    if target is None or (target.kind in RELATIVE_KINDS and reference is None):
        return None
    used = [o for o in observations if o.period.year == as_of.year and o.period.end <= as_of.end]
    lo, hi, level, _ = green_band(
        target, spec.polarity, reference.value if reference else None, Decimal(1)
    )
    return outlook(
        spec,
        target,
        actual_to_date(spec, used),
        periods_with_data(spec, used),
        lo,
        hi,
        tolerance_for(target, level),
        as_of.year,
    )


def _fmt(value: Decimal) -> str:
    rounded = value.quantize(CENT).normalize()
    return f"{rounded:f}"
