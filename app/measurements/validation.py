"""Checks one measurement against its indicator and org unit, without I/O.

The single write (``PUT /measurements``) and the batch ingest run every row through
:func:`check_measurement`, so both refuse exactly the same things with the same codes.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from app.errors import FieldError
from app.indicators.models import Aggregation, Periodicity
from app.measurements.models import Gender
from app.periods import Period, PeriodKind

PERIOD_KIND = {
    Periodicity.MONTH: PeriodKind.MONTH,
    Periodicity.QUARTER: PeriodKind.QUARTER,
    Periodicity.TERTIAL: PeriodKind.TERTIAL,
    Periodicity.HALF: PeriodKind.HALF,
    Periodicity.YEAR: PeriodKind.YEAR,
}
CONSISTENCY_ABSOLUTE = Decimal("0.01")
CONSISTENCY_RELATIVE = Decimal("0.001")
SIX_PLACES = Decimal("0.000001")


def _plain(number: Decimal) -> str:
    return f"{number.normalize():f}"


@dataclass(frozen=True)
class IndicatorRules:
    """What a row is checked against; built from an ``Indicator`` row."""

    periodicity: Periodicity
    aggregation: Aggregation
    gender_split: bool
    ratio_scale: Decimal


@dataclass(frozen=True)
class UnitValidity:
    code: str
    valid_from: date
    valid_to: date | None


@dataclass(frozen=True)
class Checked:
    value: Decimal | None
    errors: list[FieldError]


def check_measurement(
    rules: IndicatorRules,
    unit: UnitValidity,
    period: Period,
    gender: Gender,
    value: Decimal | None,
    numerator: Decimal | None,
    denominator: Decimal | None,
    prefix: str = "body.",
) -> Checked:
    """The row's value (computed from numerator/denominator when absent) and what is wrong."""
    errors: list[FieldError] = []

    def fail(field: str, code: str, message: str) -> None:
        errors.append(FieldError(field=prefix + field, code=code, message=message))

    wanted = PERIOD_KIND[rules.periodicity]
    if period.kind != wanted:
        fail(
            "period",
            "periodicity",
            f"the indicator is reported per {wanted.value}, not per {period.kind.value}",
        )
    if gender != Gender.TOTAL and not rules.gender_split:
        fail("gender", "gender_not_split", "the indicator is not split by gender; send 'total'")
    if period.end < unit.valid_from or (unit.valid_to is not None and period.start > unit.valid_to):
        fail("period", "org_unit_not_valid", f"org unit {unit.code} does not exist in {period}")

    if (numerator is None) != (denominator is None):
        fail("denominator", "ratio_pair", "give numerator and denominator together")
    elif numerator is not None and denominator is not None:
        computed = (numerator / denominator * rules.ratio_scale).quantize(SIX_PLACES)
        if value is None:
            value = computed
        elif abs(value - computed) > max(
            CONSISTENCY_ABSOLUTE, abs(computed) * CONSISTENCY_RELATIVE
        ):
            fail(
                "value",
                "ratio_inconsistent",
                f"value should be numerator / denominator × {_plain(rules.ratio_scale)}"
                f" = {_plain(computed)}",
            )
    elif rules.aggregation == Aggregation.RATIO:
        fail("numerator", "ratio_required", "a ratio indicator needs numerator and denominator")
    if value is None and not errors:
        fail("value", "missing", "give a value (or numerator and denominator)")
    return Checked(value=value, errors=errors)
