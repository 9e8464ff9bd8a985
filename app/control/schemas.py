import uuid
from datetime import date, datetime
from typing import Annotated, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from app.control.models import ControlMethod, ControlTargetKind
from app.control.schedule import CheckState
from app.fields import IsoDate, Number, NumberOut
from app.indicators.schemas import Tolerance, Year, field_errors
from app.personnummer import FreeText
from app.rules.control import Compared, RiskLevel
from app.rules.definitions import Status

Title = Annotated[FreeText, Field(min_length=1, max_length=300)]
ShortText = Annotated[FreeText, Field(min_length=1, max_length=200)]
LongText = Annotated[FreeText, Field(min_length=1, max_length=10000)]
Month = Annotated[int, Field(ge=1, le=12, examples=[4])]
PointNumber = Annotated[int, Field(ge=1, le=999, description="Its number in the plan, e.g. 3.")]
Scale = Annotated[int, Field(ge=1, le=4, description="1 (lowest) to 4 (highest).")]
Count = Annotated[int, Field(ge=0, le=100_000_000)]
OCCASION_PATTERN = r"^(?:19|2[0-9])[0-9]{2}-(?:0[1-9]|1[0-2])$"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


# Frequency ---------------------------------------------------------------------------------------


class Monthly(_Strict):
    """Every month ("månadsvis")."""

    kind: Literal["monthly"] = "monthly"


class GivenMonths(_Strict):
    """In the months listed ("3 gånger/år (april, aug, dec)" is `[4, 8, 12]`)."""

    kind: Literal["given_months"] = "given_months"
    months: list[Month] = Field(min_length=1, max_length=12, examples=[[4, 8, 12]])

    @field_validator("months")
    @classmethod
    def _distinct_and_sorted(cls, value: list[int]) -> list[int]:
        if len(value) != len(set(value)):
            raise ValueError("a month is listed twice")
        return sorted(value)


class Yearly(_Strict):
    """Once a year, in `month` ("1 gång/år (nov)"); without a month it is due in December."""

    kind: Literal["yearly"] = "yearly"
    month: Month | None = Field(default=None, examples=[11])


Frequency = Annotated[Monthly | GivenMonths | Yearly, Field(discriminator="kind")]


# Risk and objective -------------------------------------------------------------------------------


class RiskAssessment(_Strict):
    """Probability × consequence on the 4-grade scales, as assessed on a date, with the reason."""

    probability: Scale
    consequence: Scale
    assessed_on: IsoDate = Field(examples=["2022-10-15"])
    rationale: LongText


class RiskRead(BaseModel):
    probability: int
    consequence: int
    value: int = Field(description="probability × consequence, 1–16.")
    level: RiskLevel = Field(description="1–3 low, 4–8 medium, 9–16 high.")
    assessed_on: date
    rationale: str | None


class ControlTarget(_Strict):
    """A quantitative control objective, e.g. at least 100 (% within 122 days).

    Compared with the result's `measured_value`, or else with the share of checked cases without
    deviation, in percent. Without a target a point has the implied objective: all checked cases
    without deviation (at least 100 %, default tolerance 10 points).
    """

    kind: ControlTargetKind
    value: Number | None = None
    low: Number | None = None
    high: Number | None = None
    yellow_tolerance: Tolerance | None = Field(
        default=None, description="Default: 10 % of the target's magnitude."
    )
    text: ShortText | None = Field(default=None, examples=["100 % inom fyra månader"])

    @model_validator(mode="after")
    def _fields_fit_the_kind(self) -> Self:
        needed = {"value"} if self.kind != ControlTargetKind.BETWEEN else {"low", "high"}
        given = {name for name in ("value", "low", "high") if getattr(self, name) is not None}
        errors = [
            (name, "missing_for_kind", f"'{self.kind}' needs {name}", None)
            for name in sorted(needed - given)
        ] + [
            (name, "not_for_kind", f"'{self.kind}' takes no {name}", getattr(self, name))
            for name in sorted(given - needed)
        ]
        if self.low is not None and self.high is not None and self.low > self.high:
            errors.append(("high", "below_low", "low must not be greater than high", self.high))
        if errors:
            raise field_errors("ControlTarget", *errors)
        return self


class ControlTargetRead(BaseModel):
    kind: ControlTargetKind
    value: NumberOut | None
    low: NumberOut | None
    high: NumberOut | None
    yellow_tolerance: Tolerance | None
    text: str | None


# Plans ------------------------------------------------------------------------------------------


class ControlPlanCreate(_Strict):
    committee_id: uuid.UUID = Field(description="The committee (an org unit of kind committee).")
    year: Year
    title: Title = Field(examples=["Internkontrollplan 2023"])
    adopted_on: IsoDate | None = Field(default=None, examples=["2022-12-14"])
    decision_ref: ShortText | None = Field(default=None, examples=["SN 2022-12-14 § 168"])
    description: LongText | None = None


class ControlPlanUpdate(_Strict):
    """Fields to change; `null` clears `adopted_on`, `decision_ref` and `description`."""

    title: Title | None = None
    adopted_on: IsoDate | None = None
    decision_ref: ShortText | None = None
    description: LongText | None = None


class ControlPlanRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    committee_id: uuid.UUID
    year: int
    title: str
    adopted_on: date | None
    decision_ref: str | None
    description: str | None
    created_at: datetime
    updated_at: datetime


# Points -----------------------------------------------------------------------------------------


class _PointFields(_Strict):
    area: ShortText | None = Field(default=None, examples=["Huvudprocesser"])
    org_unit_id: uuid.UUID | None = Field(
        default=None,
        description="The unit that performs the check; a reporter limited to an org subtree "
        "records results for points in it.",
    )
    method: ControlMethod | None = Field(
        default=None, description="sample (stickprov), full_review (totalundersökning), …"
    )
    method_description: LongText | None = Field(
        default=None, examples=["Sökverktyg i Procapita, utredningar avseende barn 0–18 år"]
    )
    report_to: ShortText | None = Field(default=None, examples=["Socialnämnd"])
    report_when: ShortText | None = Field(default=None, examples=["Årsbokslut"])
    risk: RiskAssessment | None = None
    target: ControlTarget | None = None


class ControlPointCreate(_PointFields):
    number: PointNumber | None = Field(default=None, description="Default: the next free number.")
    process: Title = Field(examples=["Utredningsprocess"], description="Process or routine.")
    objective: LongText = Field(examples=["Att utredningar färdigställs inom 122 dagar"])
    responsible_role: ShortText = Field(examples=["ROCH BoU"])
    frequency: Frequency


class ControlPointUpdate(_PointFields):
    """Fields to change. `null` clears the optional ones (area, risk, target, …)."""

    number: PointNumber | None = None
    process: Title | None = None
    objective: LongText | None = None
    responsible_role: ShortText | None = None
    frequency: Frequency | None = None


class ControlPointRead(BaseModel):
    id: uuid.UUID
    plan_id: uuid.UUID
    number: int
    area: str | None
    process: str
    objective: str
    responsible_role: str
    org_unit_id: uuid.UUID | None
    method: ControlMethod | None
    method_description: str | None
    frequency: Frequency
    due_months: list[int] = Field(description="The months of the year the check is due.")
    report_to: str | None
    report_when: str | None
    risk: RiskRead | None
    target: ControlTargetRead | None
    carried_from_id: uuid.UUID | None = Field(description="The point in last year's plan.")
    carried_to_id: uuid.UUID | None = Field(description="The point in next year's plan.")
    created_at: datetime
    updated_at: datetime


class CarryOver(_Strict):
    to_plan_id: uuid.UUID = Field(description="The same committee's plan for a later year.")
    number: PointNumber | None = Field(default=None, description="Default: the next free number.")
    risk: RiskAssessment | None = Field(
        default=None, description="The new year's risk assessment. Default: the point's own."
    )


# Results ----------------------------------------------------------------------------------------


class ControlResultWrite(_Strict):
    """One check. Give the counts, a measured value where the objective is quantitative, or both."""

    checked_on: IsoDate | None = Field(default=None, examples=["2022-12-31"])
    checked_count: Count | None = Field(default=None, examples=[68])
    deviation_count: Count | None = Field(default=None, examples=[9])
    measured_value: Number | None = Field(
        default=None, description="E.g. the share within 122 days, in percent."
    )
    comment: LongText | None = None
    measures: LongText | None = Field(default=None, description="Measures taken or planned.")

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if (
            self.checked_count is not None
            and self.deviation_count is not None
            and self.deviation_count > self.checked_count
        ):
            raise field_errors(
                "ControlResultWrite",
                (
                    "deviation_count",
                    "above_checked",
                    "deviation_count must not exceed checked_count",
                    self.deviation_count,
                ),
            )
        if all(
            getattr(self, name) is None
            for name in ("checked_count", "deviation_count", "measured_value", "comment")
        ):
            raise field_errors(
                "ControlResultWrite",
                (
                    "checked_count",
                    "empty_result",
                    "give checked_count, deviation_count, measured_value or a comment",
                    None,
                ),
            )
        return self


class ControlTargetOut(BaseModel):
    kind: ControlTargetKind
    value: NumberOut | None = None
    low: NumberOut | None = None
    high: NumberOut | None = None


class ControlExplanation(BaseModel):
    rule: str = Field(description="The objective's kind that decided, or no_data / no_target.")
    summary: str = Field(
        examples=["Red: actual 86.76; expected at least 100; short by 13.24, tolerance 10."]
    )
    compared: Compared | None = Field(
        description="What was compared: the measured value, or the share without deviation (%)."
    )
    default_objective: bool = Field(
        description="True when the point states no objective and the implied one was used: "
        "all checked cases without deviation (at least 100 %)."
    )
    objective: ControlTargetOut | None
    actual: NumberOut | None
    green_from: NumberOut | None
    green_to: NumberOut | None
    tolerance: NumberOut | None
    gap: NumberOut | None = Field(description="How far outside green; 0 inside.")


class ControlResultRead(BaseModel):
    id: uuid.UUID
    point_id: uuid.UUID
    occasion: str = Field(examples=["2022-12"])
    checked_on: date | None
    checked_count: int | None
    deviation_count: int | None
    measured_value: NumberOut | None
    share_without_deviation: NumberOut | None = Field(
        description="(checked − deviating) / checked × 100, when the counts are known."
    )
    comment: str | None
    measures: str | None
    recorded_by: str
    status: Status
    explanation: ControlExplanation
    created_at: datetime
    updated_at: datetime


class ControlResultWritten(ControlResultRead):
    result: Literal["created", "updated", "unchanged"]


# Views ------------------------------------------------------------------------------------------


class PointRef(BaseModel):
    id: uuid.UUID
    number: int
    process: str


class RiskCell(BaseModel):
    probability: int
    consequence: int
    risk_value: int
    risk_level: RiskLevel
    points: list[PointRef]


class RiskLevelCounts(BaseModel):
    low: int = 0
    medium: int = 0
    high: int = 0
    unassessed: int = 0


class RiskMatrix(BaseModel):
    plan_id: uuid.UUID
    year: int
    cells: list[RiskCell] = Field(
        description="All 16 cells, as the matrix is drawn: probability 4 → 1 (rows), "
        "consequence 1 → 4 (columns)."
    )
    unassessed: list[PointRef] = Field(description="Points without a risk assessment.")
    counts: RiskLevelCounts


class ScheduledCheck(BaseModel):
    plan_id: uuid.UUID
    point_id: uuid.UUID
    point_number: int
    process: str
    responsible_role: str
    occasion: str = Field(examples=["2023-04"])
    due_on: date = Field(description="The last day of the occasion's month.")
    state: CheckState
    result_id: uuid.UUID | None
    status: Status | None = Field(description="The result's colour, when done.")


class CheckStateCounts(BaseModel):
    done: int = 0
    due: int = 0
    overdue: int = 0
    upcoming: int = 0


class ControlSchedule(BaseModel):
    on: date = Field(description="The date the states are for.")
    counts: CheckStateCounts
    checks: list[ScheduledCheck]


class HistoryEntry(BaseModel):
    plan_id: uuid.UUID
    year: int
    point: ControlPointRead
    results: list[ControlResultRead]


class ControlPointHistory(BaseModel):
    point_id: uuid.UUID
    chain: list[HistoryEntry] = Field(
        description="The point in every year's plan it was carried through, earliest first."
    )
