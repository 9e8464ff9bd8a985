import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from app.budget.models import AdjustmentKind, CategoryKind, Scenario
from app.fields import IsoDate, Number, NumberOut, ReportedPeriod
from app.indicators.schemas import Year
from app.orgunits.schemas import Code, Name
from app.personnummer import FreeText
from app.rules.definitions import Status

_SEK = Field(max_digits=15, decimal_places=2)

Sek = Annotated[Number, _SEK, Field(ge=0, examples=[5538000])]
"""An amount in SEK: at most two decimals (öre), never negative; the category says revenue/cost."""
SignedSek = Annotated[Number, _SEK, Field(examples=[-12000000])]
"""A change in SEK, e.g. a frame adjustment: positive raises the frame, negative lowers it."""
Weight = Annotated[Decimal, Field(ge=0, max_digits=12, decimal_places=6, allow_inf_nan=False)]
SourceSystem = Annotated[FreeText, Field(min_length=1, max_length=100, examples=["Raindance"])]
Comment = Annotated[FreeText, Field(max_length=2000)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


# Categories -------------------------------------------------------------------------------------


def _check_profile(profile: list[Decimal] | None) -> None:
    if profile is not None and sum(profile, Decimal(0)) <= 0:
        raise ValueError("a monthly profile needs a positive sum")


class BudgetCategoryCreate(_Strict):
    code: Code = Field(examples=["COST-ASSISTANCE"])
    name: Name = Field(examples=["Utbetalt ekonomiskt bistånd"])
    kind: CategoryKind
    is_allocation: bool = Field(
        default=False,
        description="The municipal allocation (kommunbidrag): its budget lines are what a "
        "committee's frame is allocated as. Revenue only.",
    )
    position: int = Field(default=0, ge=0, le=100_000, description="Order in reports.")
    monthly_profile: list[Weight] | None = Field(
        default=None,
        min_length=12,
        max_length=12,
        description="Twelve weights (any scale) for pro-rating annual budget lines by month; "
        "omit for an even spread.",
        examples=[[1, 1, 1, 1, 1, 1, Decimal("0.5"), 1, 1, 1, 1, Decimal("1.5")]],
    )
    erp_accounts: list[Code] = Field(
        default_factory=list,
        max_length=500,
        description="ERP account codes whose amounts belong to this category.",
        examples=[["4610", "4611"]],
    )

    @model_validator(mode="after")
    def _valid(self) -> Self:
        _check_profile(self.monthly_profile)
        if self.is_allocation and self.kind != CategoryKind.REVENUE:
            raise ValueError("an allocation category is a revenue category")
        return self


class BudgetCategoryUpdate(_Strict):
    """Fields to change; absent fields stay. Code and kind are fixed once lines may use them."""

    name: Name | None = None
    is_allocation: bool | None = None
    position: int | None = Field(default=None, ge=0, le=100_000)
    monthly_profile: list[Weight] | None = Field(
        default=None, min_length=12, max_length=12, description="null clears the profile."
    )
    erp_accounts: list[Code] | None = Field(
        default=None, max_length=500, description="Replaces the list."
    )

    @model_validator(mode="after")
    def _valid(self) -> Self:
        _check_profile(self.monthly_profile)
        return self


class BudgetCategoryRead(BaseModel):
    id: uuid.UUID
    code: str
    name: str
    kind: CategoryKind
    is_allocation: bool
    position: int
    monthly_profile: list[NumberOut] | None
    erp_accounts: list[str]
    created_at: datetime
    updated_at: datetime


# Lines ------------------------------------------------------------------------------------------


class BudgetLineWrite(_Strict):
    """One budget line by its natural key: org unit, category (or ERP account), period, scenario
    (and forecast date). Send the same key again to replace the amount."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "org_unit_code": "AF",
                    "category_code": "COST-ASSISTANCE",
                    "period": "2022-03",
                    "scenario": "outcome",
                    "amount": 12979000,
                    "source_system": "Raindance",
                },
                {
                    "org_unit_code": "IFO-EKO",
                    "account_code": "4610",
                    "period": "2023",
                    "scenario": "forecast",
                    "forecast_date": "2023-04-30",
                    "amount": 16400000,
                },
            ]
        },
    )

    org_unit_id: uuid.UUID | None = Field(
        default=None, description="Give exactly one of org_unit_id and org_unit_code."
    )
    org_unit_code: Code | None = Field(default=None, examples=["AF"])
    category_id: uuid.UUID | None = Field(
        default=None,
        description="Give exactly one of category_id, category_code and account_code.",
    )
    category_code: Code | None = Field(default=None, examples=["COST-STAFF"])
    account_code: Code | None = Field(
        default=None,
        description="An ERP account mapped to a category; the line keeps the account.",
        examples=["4610"],
    )
    period: ReportedPeriod = Field(
        description="A year (`2023`) or a month (`2023-03`), in the years 1900–2100; a tertial, "
        "quarter or half is refused.",
        examples=["2023-03", "2023"],
    )
    scenario: Scenario
    forecast_date: IsoDate | None = Field(
        default=None, description="Required for `forecast`, refused otherwise."
    )
    amount: Sek
    source_system: SourceSystem | None = None
    comment: Comment | None = None


class BudgetLineRead(BaseModel):
    id: uuid.UUID
    org_unit_id: uuid.UUID
    org_unit_code: str
    category_id: uuid.UUID
    category_code: str
    kind: CategoryKind
    account_code: str | None
    period: str = Field(examples=["2022-03", "2023"])
    year: int
    month: int | None = Field(description="1–12, or null for a line for the whole year.")
    scenario: Scenario
    forecast_date: date | None
    amount: NumberOut
    source_system: str | None
    comment: str | None
    recorded_by: str
    batch_id: uuid.UUID | None
    created_at: datetime
    updated_at: datetime


class BudgetLineWritten(BudgetLineRead):
    result: Literal["created", "updated", "unchanged"]


# Frames -----------------------------------------------------------------------------------------


class AdjustmentWrite(_Strict):
    kind: AdjustmentKind
    description: Annotated[FreeText, Field(min_length=1, max_length=500)] = Field(
        examples=["Effektiviseringskrav 1,53 procent"]
    )
    amount: SignedSek


class BudgetFrameReplace(_Strict):
    amount: Sek = Field(examples=[823329000])
    previous_amount: Sek | None = Field(
        default=None,
        description="The frame the change is measured from. Default: the previous year's frame.",
        examples=[788215000],
    )
    decision_ref: Annotated[FreeText, Field(min_length=1, max_length=200)] | None = Field(
        default=None, examples=["KF Mål och budget 2023–2025"]
    )
    decided_on: IsoDate | None = None
    comment: Comment | None = None
    adjustments: list[AdjustmentWrite] = Field(
        default_factory=list,
        max_length=200,
        description="Causes of the change from the previous frame (index, pensions, efficiency "
        "requirement, volume, other).",
    )


class BudgetFrameCreate(BudgetFrameReplace):
    org_unit_id: uuid.UUID = Field(description="The committee.")
    year: Year


class AdjustmentRead(BaseModel):
    id: uuid.UUID
    kind: AdjustmentKind
    description: str
    amount: NumberOut


class BudgetFrameRead(BaseModel):
    id: uuid.UUID
    org_unit_id: uuid.UUID
    org_unit_code: str
    year: int
    amount: NumberOut
    previous_amount: NumberOut | None = Field(
        description="As stated, else the previous year's frame; null when neither exists."
    )
    previous_source: Literal["stated", "previous_frame"] | None
    change: NumberOut | None = Field(description="amount − previous_amount.")
    explained: NumberOut = Field(description="The sum of the adjustments.")
    unexplained: NumberOut | None = Field(
        description="change − explained: 0 when the adjustments explain the whole change."
    )
    decision_ref: str | None
    decided_on: date | None
    comment: str | None
    adjustments: list[AdjustmentRead]
    created_at: datetime
    updated_at: datetime


class Allocation(BaseModel):
    org_unit_id: uuid.UUID
    org_unit_code: str
    org_unit_name: str
    amount: NumberOut


class FrameBalance(BaseModel):
    """Budget i balans: the allocations to the committee's units against its frame."""

    frame_id: uuid.UUID
    org_unit_id: uuid.UUID
    year: int
    frame: NumberOut
    scenario: Scenario | None = Field(
        description="Whose lines were counted: `budget`, else `plan` for a plan year; null "
        "when there are no allocation lines."
    )
    allocated: NumberOut
    difference: NumberOut = Field(description="allocated − frame; 0 when balanced.")
    balanced: bool
    allocations: list[Allocation] = Field(description="Per org unit with allocation lines.")


# Follow-up --------------------------------------------------------------------------------------


class OrgUnitRef(BaseModel):
    id: uuid.UUID
    code: str
    name: str


class Figures(BaseModel):
    """Budget against outcome for one category or a total. Deviations are favourable when
    positive: revenue outcome − budget; cost budget − outcome; net = revenue − cost."""

    budget: NumberOut = Field(description="The whole year.")
    budget_to_date: NumberOut = Field(
        description="Monthly lines up to the month, plus annual lines pro-rated (even or by the "
        "category's monthly profile)."
    )
    outcome_to_date: NumberOut | None = Field(description="null when no outcome is reported.")
    deviation: NumberOut | None
    deviation_percent: NumberOut | None = Field(
        description="Of the budget to date; for net, of the net cost budget to date (costs "
        "less revenue other than the allocation)."
    )
    forecast: NumberOut | None = Field(
        description="The latest forecast dated by the end of the month; units and categories "
        "without one count with their budget. null when there is no forecast at all."
    )
    forecast_deviation: NumberOut | None


class Adherence(BaseModel):
    """Budget adherence (budgetföljsamhet) coloured by the rules module against ±0."""

    basis: Literal["outcome_to_date", "forecast"]
    percent: NumberOut | None
    status: Status
    summary: str


class CategoryFollowUp(Figures):
    category_id: uuid.UUID
    code: str
    name: str
    kind: CategoryKind
    is_allocation: bool
    status: Status = Field(
        description="The deviation percent against the adherence target; an unfavourable "
        "outcome against no budget to date (unbudgeted spending) is red."
    )
    explanation: str = Field(description="Why the status.")


class GroupFollowUp(BaseModel):
    """One row of the year-end table: a child unit rolled up over its subtree, or the unit's own
    lines (``own``)."""

    org_unit: OrgUnitRef
    own: bool = Field(description="The unit's own lines only, not its subtree.")
    path: list[str] = Field(
        description="Org-unit codes from the followed-up unit down to this row's unit.",
        examples=[["VSF", "IFO", "IFO-BIST"]],
    )
    depth: int = Field(
        description="Levels below the followed-up unit: 1 for its children (and its own "
        "lines), 2 for theirs (and a child's own lines), …; the rows one level below a unit "
        "add up to it.",
        examples=[2],
    )
    revenue: Figures
    cost: Figures
    net: Figures = Field(description="`net.deviation` is the table's result (resultat).")
    adherence: Adherence


class BudgetFollowUp(BaseModel):
    org_unit: OrgUnitRef
    year: int
    month: str = Field(description="The month followed up to, `YYYY-MM`.", examples=["2022-12"])
    budget_scenario: Scenario | None = Field(
        description="`budget`, or `plan` for a year with plan lines only."
    )
    tolerance: NumberOut = Field(description="Yellow band below ±0, in percentage points.")
    categories: list[CategoryFollowUp]
    revenue: Figures
    cost: Figures
    net: Figures
    adherence: Adherence
    forecast_adherence: Adherence | None
    groups: list[GroupFollowUp] | None = Field(
        default=None,
        description="With `group_by=org_unit`: the unit's own lines and each child's subtree, "
        "`depth` levels down, in tree order.",
    )


class MonthFigures(BaseModel):
    period: str = Field(examples=["2022-01"])
    budget: NumberOut
    outcome: NumberOut | None
    deviation: NumberOut | None


class BudgetMonths(BaseModel):
    """One category month by month (seed 004 table 1), with the year's sums and means."""

    org_unit: OrgUnitRef
    year: int
    category_id: uuid.UUID
    category_code: str
    kind: CategoryKind
    months: list[MonthFigures]
    budget: NumberOut
    outcome: NumberOut | None
    deviation: NumberOut | None
    mean_budget: NumberOut = Field(description="Budget per month (÷ 12).")
    mean_outcome: NumberOut | None = Field(description="Outcome per month with outcome.")
    months_with_outcome: int


class YearColumn(BaseModel):
    year: int
    scenario: Scenario | None = Field(
        description="The scenario shown: outcome where there is any, else budget, else plan."
    )
    through_month: int | None = Field(
        default=None,
        description="Of an outcome column: the last month with outcome lines (12 for a closed "
        "year); the outcome is the year's to that month, the allocation paid as budgeted to it.",
    )
    revenue: NumberOut | None
    cost: NumberOut | None
    result: NumberOut | None = Field(description="revenue − cost.")


class CategoryYears(BaseModel):
    category_id: uuid.UUID
    code: str
    name: str
    kind: CategoryKind
    amounts: list[NumberOut | None] = Field(description="One per year, as `years`.")


class BudgetYears(BaseModel):
    """Categories × years (seed 000's operating budget table)."""

    org_unit: OrgUnitRef
    years: list[YearColumn]
    categories: list[CategoryYears]
