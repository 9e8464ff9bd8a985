import uuid
from datetime import datetime

from pydantic import BaseModel, Field

from app.fields import NumberOut as Number
from app.goals.models import GoalLevel
from app.rules.definitions import Status, TargetKind, Trend


class ManualStatus(BaseModel):
    status: Status
    comment: str
    assessed_by: str
    assessed_at: datetime


class ReferenceOut(BaseModel):
    value: Number
    source: str = Field(examples=["outcome 2022", "baseline 2022-10"])


class TargetOut(BaseModel):
    kind: TargetKind
    value: Number | None = None
    low: Number | None = None
    high: Number | None = None
    min_change: Number | None = None
    text: str | None = Field(default=None, description="As the plan wrote it.")


class QuartileOut(BaseModel):
    """Where a `quartile` indicator's colour comes from (DOMAIN §11)."""

    group_id: uuid.UUID
    group: str = Field(examples=["Liknande kommuner IFO"])
    kpi: str = Field(examples=["U31402"])
    year: int | None = Field(description="The Kolada year compared: the latest with an own value.")
    rank: int | None
    ranked: int = Field(description="How many municipalities were ranked.")
    quartile: int | None = Field(description="1 is the best quarter; none below 4 ranked.")
    mean: Number | None
    median: Number | None


class NeedOut(BaseModel):
    at_least: Number | None = None
    at_most: Number | None = None


class OutlookOut(BaseModel):
    """What it takes to turn green (`app/rules/outlook.py`): what the rest of the year, after the
    latest data, needs to reach the year's target and to stay out of red."""

    data_through: str = Field(examples=["2023-08"])
    remaining_periods: int = Field(examples=[4])
    measure: str = Field(
        description="`total` (sum: the rest of the year's total), `mean` or `ratio` (over the "
        "remaining periods; a ratio assumes the same denominator per period as so far).",
        examples=["total"],
    )
    green: NeedOut = Field(description="To reach the target over the year.")
    not_red: NeedOut = Field(description="To end the year no worse than yellow.")
    summary: str = Field(
        examples=[
            "To reach the year's target, the rest of the year (4 months after 2023-08) needs "
            "at least 200 in total (50 a month); to stay out of red, at least 140."
        ]
    )


class IndicatorExplanation(BaseModel):
    rule: str = Field(
        description="The target kind that decided, no_data / no_target, or quartile for an "
        "indicator coloured by quartile among a benchmark group."
    )
    summary: str = Field(
        examples=[
            "Yellow: actual 270; expected at least 300 (50 % of the year); short by 30, "
            "tolerance 30."
        ]
    )
    actual: Number | None = None
    expected: Number | None = Field(default=None, description="The level expected to date.")
    target: TargetOut | None = None
    share_of_year: Number | None = Field(
        default=None, description="Pro-rating of an annual `sum` target."
    )
    reference: ReferenceOut | None = None
    green_from: Number | None = None
    green_to: Number | None = None
    tolerance: Number | None = None
    gap: Number | None = Field(default=None, description="How far outside green; 0 inside.")
    measurements: list[str] = Field(default_factory=list, description="Periods used.")
    rollup: str | None = Field(default=None, description="How the org tree was rolled up.")
    benchmark: QuartileOut | None = Field(
        default=None, description="The comparison behind a `quartile` indicator's colour."
    )
    data_through: str | None = Field(
        default=None,
        description="The latest period with data in the year, up to the period asked for.",
        examples=["2023-08"],
    )
    beyond_data: bool = Field(
        default=False,
        description="The period asked for runs past `data_through`: the figures are to date.",
    )
    outlook: OutlookOut | None = Field(
        default=None, description="For `sum`, `mean` and `ratio` indicators with a target."
    )


class IndicatorScore(BaseModel):
    id: uuid.UUID
    code: str
    title: str
    unit: str
    weight: Number
    status: Status
    trend: Trend | None
    manual: ManualStatus | None = None
    explanation: IndicatorExplanation


class ContributionOut(BaseModel):
    key: str
    status: Status
    weight: Number
    share: Number | None


class GoalExplanation(BaseModel):
    rule: str
    parameters: dict[str, str]
    summary: str
    green_share: Number | None = None
    red_share: Number | None = None
    coverage: Number | None = None
    missing: list[str] = Field(default_factory=list)
    contributions: list[ContributionOut]


class GoalScore(BaseModel):
    id: uuid.UUID
    code: str
    title: str
    level: GoalLevel
    owner_id: uuid.UUID
    status: Status
    manual: ManualStatus | None = None
    explanation: GoalExplanation
    indicators: list[IndicatorScore]
    children: list["GoalScore"] = Field(default_factory=list)


class StatusCounts(BaseModel):
    green: int = 0
    yellow: int = 0
    red: int = 0
    no_data: int = 0
    total: int = 0


class Scorecard(BaseModel):
    org_unit_id: uuid.UUID | None
    year: int
    period: str
    as_of: datetime | None = Field(description="System time read; null means now.")
    data_through: str | None = Field(
        default=None,
        description="The latest period with data of any indicator in the year, up to `period`.",
        examples=["2023-08"],
    )
    beyond_data: bool = Field(
        default=False,
        description="`period` runs past `data_through`: no indicator has data that late.",
    )
    indicators_beyond_data: int = Field(
        default=0, description="Indicators whose own data ends before `period` does."
    )
    goals: StatusCounts
    indicators: StatusCounts
    tree: list[GoalScore]
