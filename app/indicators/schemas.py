import uuid
from datetime import datetime
from decimal import Decimal
from typing import Annotated, Self

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator
from pydantic_core import InitErrorDetails, PydanticCustomError

from app.fields import Number, PeriodText
from app.indicators.models import (
    Aggregation,
    ColourMode,
    Periodicity,
    Polarity,
    TargetKind,
    ToleranceKind,
    Unit,
)
from app.orgunits.schemas import Code
from app.personnummer import FreeText
from app.rules.reporting import DEFAULT_DUE_DAY, DEFAULT_DUE_MONTHS

Year = Annotated[int, Field(ge=1900, le=2999, examples=[2023])]
Title = Annotated[FreeText, Field(min_length=1, max_length=300)]
ShortText = Annotated[FreeText, Field(min_length=1, max_length=100)]
DueDay = Annotated[
    int,
    Field(
        ge=1,
        le=31,
        description="A period's value is due on this day of the month `report_due_months` after "
        "the period ends (a day past the month's end means its last day). Default 10.",
        examples=[10],
    ),
]
DueMonths = Annotated[
    int,
    Field(
        ge=0,
        le=24,
        description="How many months after the period's last month the value is due. Default 1: "
        "the 10th of the next month with the default day.",
        examples=[1],
    ),
]
KoladaKpi = Annotated[str, Field(pattern=r"^[A-Z][0-9]{5}$", examples=["N00945"])]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


def field_errors(title: str, *errors: tuple[str, str, str, object]) -> ValidationError:
    """Cross-field rules raise this from a model validator so that the 422 names the field
    (``body.high``), not the whole body. Each error is (field, code, message, value)."""
    return ValidationError.from_exception_data(
        title,
        [
            InitErrorDetails(type=PydanticCustomError(code, message), loc=(name,), input=value)
            for name, code, message, value in errors
        ],
    )


class _IndicatorFields(_Strict):
    title: Title | None = None
    description: Annotated[FreeText, Field(max_length=5000)] | None = None
    source: ShortText | None = Field(default=None, examples=["Egen-kontroll", "Kolada", "HR"])
    kolada_kpi: KoladaKpi | None = None
    benchmark_group_id: uuid.UUID | None = Field(
        default=None,
        description="The benchmark group a `quartile` indicator is coloured among.",
    )
    baseline_value: Number | None = Field(default=None, examples=[75])
    baseline_period: PeriodText | None = Field(default=None, examples=["2022-10"])
    baseline_text: ShortText | None = Field(
        default=None, description="The baseline as the plan wrote it.", examples=["75 (okt 2022)"]
    )
    seasonal_profile: list[Number] | None = Field(
        default=None,
        description="Twelve monthly weights summing to 1, for pro-rating annual `sum` targets.",
    )
    valid_to_year: Year | None = None

    @field_validator("seasonal_profile")
    @classmethod
    def _twelve_weights_summing_to_one(cls, value: list[Decimal] | None) -> list[Decimal] | None:
        if value is None:
            return None
        if len(value) != 12:
            raise ValueError("give exactly 12 monthly weights")
        if any(w < Decimal(0) for w in value):
            raise ValueError("weights must not be negative")
        if abs(sum(value, Decimal(0)) - 1) > Decimal("0.0001"):
            raise ValueError("the 12 weights must sum to 1")
        return value


class IndicatorCreate(_IndicatorFields):
    code: Code
    title: Title
    unit: Unit
    polarity: Polarity
    periodicity: Periodicity
    aggregation: Aggregation
    gender_split: bool = False
    colour_mode: ColourMode = Field(
        default=ColourMode.TARGET,
        description="`target`: green/yellow/red against the year's target (DOMAIN §5). "
        "`quartile`: by quartile among `benchmark_group_id` on Kolada's values for `kolada_kpi` "
        "(best quarter green, middle half yellow, worst quarter red), as Kommunens kvalitet i "
        "korthet shows it. Needs both `kolada_kpi` and `benchmark_group_id`.",
    )
    ratio_scale: Number | None = Field(
        default=None,
        gt=0,
        description="value = numerator / denominator × ratio_scale. Default: 100 for percent.",
    )
    valid_from_year: Year
    report_due_day: DueDay = DEFAULT_DUE_DAY
    report_due_months: DueMonths = DEFAULT_DUE_MONTHS

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if self.valid_to_year is not None and self.valid_to_year < self.valid_from_year:
            raise field_errors(
                "IndicatorCreate",
                (
                    "valid_to_year",
                    "before_valid_from",
                    "valid_to_year must not be before valid_from_year",
                    self.valid_to_year,
                ),
            )
        if (self.baseline_value is None) != (self.baseline_period is None):
            missing = "baseline_value" if self.baseline_value is None else "baseline_period"
            raise field_errors(
                "IndicatorCreate",
                (
                    missing,
                    "baseline_pair",
                    "give baseline_value and baseline_period together",
                    None,
                ),
            )
        return self


class IndicatorUpdate(_IndicatorFields):
    """Fields to change. Unit, aggregation and periodicity are fixed once data may exist."""

    polarity: Polarity | None = None
    gender_split: bool | None = None
    colour_mode: ColourMode | None = None
    valid_from_year: Year | None = None
    report_due_day: DueDay | None = None
    report_due_months: DueMonths | None = None


class IndicatorRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    code: str
    title: str
    description: str | None
    unit: Unit
    polarity: Polarity
    periodicity: Periodicity
    aggregation: Aggregation
    gender_split: bool
    source: str | None
    kolada_kpi: str | None
    colour_mode: ColourMode
    benchmark_group_id: uuid.UUID | None
    baseline_value: Number | None
    baseline_period: str | None
    baseline_text: str | None
    seasonal_profile: list[Number] | None
    ratio_scale: Number
    valid_from_year: int
    valid_to_year: int | None
    report_due_day: int
    report_due_months: int
    created_at: datetime
    updated_at: datetime


class Tolerance(_Strict):
    """How far short of the target still counts as yellow."""

    kind: ToleranceKind
    value: Number = Field(ge=0, description="Absolute, or a fraction of the target (0.1 = 10 %).")

    @model_validator(mode="after")
    def _relative_at_most_one(self) -> Self:
        if self.kind == ToleranceKind.RELATIVE and self.value > 1:
            raise field_errors(
                "Tolerance",
                (
                    "value",
                    "relative_above_one",
                    "a relative tolerance is a fraction between 0 and 1",
                    self.value,
                ),
            )
        return self


class TargetWrite(_Strict):
    """A target for one year. Which fields apply depends on ``kind``:

    * ``at_least`` / ``at_most``: ``value`` (the bound itself is met: "at least 80" is met by 80);
    * ``between``: ``low`` ≤ ``high`` (a band; "+/- 0" is ``between 0 0`` with a tolerance);
    * ``increase`` / ``decrease``: optional ``min_change`` (0.10 = by 10 %) relative to the previous
      year's outcome, or the baseline where there is none;
    * ``unchanged``: nothing.
    """

    kind: TargetKind
    value: Number | None = None
    low: Number | None = None
    high: Number | None = None
    min_change: Number | None = Field(default=None, gt=0, le=10)
    yellow_tolerance: Tolerance | None = None
    text: ShortText | None = Field(default=None, examples=["minska med 10 %", "80", "+/- 0"])

    @model_validator(mode="after")
    def _fields_fit_the_kind(self) -> Self:
        given = {
            name
            for name in ("value", "low", "high", "min_change")
            if getattr(self, name) is not None
        }
        needed = {
            TargetKind.AT_LEAST: {"value"},
            TargetKind.AT_MOST: {"value"},
            TargetKind.BETWEEN: {"low", "high"},
            TargetKind.INCREASE: set(),
            TargetKind.DECREASE: set(),
            TargetKind.UNCHANGED: set(),
        }[self.kind]
        allowed = needed | (
            {"min_change"} if self.kind in {TargetKind.INCREASE, TargetKind.DECREASE} else set()
        )
        errors = [
            (name, "missing_for_kind", f"'{self.kind}' needs {name}", None)
            for name in sorted(needed - given)
        ] + [
            (name, "not_for_kind", f"'{self.kind}' takes no {name}", getattr(self, name))
            for name in sorted(given - allowed)
        ]
        if self.low is not None and self.high is not None and self.low > self.high:
            errors.append(("high", "below_low", "low must not be greater than high", self.high))
        if errors:
            raise field_errors("TargetWrite", *errors)
        return self


class TargetRead(BaseModel):
    id: uuid.UUID
    indicator_id: uuid.UUID
    year: int
    kind: TargetKind
    value: Number | None
    low: Number | None
    high: Number | None
    min_change: Number | None
    yellow_tolerance: Tolerance | None
    text: str | None
    updated_at: datetime
