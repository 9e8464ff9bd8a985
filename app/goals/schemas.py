import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, PlainSerializer, model_validator

from app.fields import IsoDate, Number
from app.goals.models import AssignmentOrigin, AssignmentStatus, GoalLevel, ReportAt
from app.indicators.schemas import Year, field_errors
from app.personnummer import FreeText

GoalCode = Annotated[
    str,
    Field(min_length=1, max_length=50, pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$", examples=["3.1"]),
]
LongText = Annotated[FreeText, Field(max_length=10000)]
Fraction = Annotated[
    Decimal,
    Field(gt=0, le=1, max_digits=5, decimal_places=4),
    PlainSerializer(float, return_type=float, when_used="json"),
]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


# The goal assessment rules (DOMAIN §6.2). Adding a kind: a model here, in GoalRule, and its
# evaluation in app/rules.
class ShareOfIndicators(_Strict):
    """Green when the weighted share of green indicators reaches ``threshold`` and none is red."""

    kind: Literal["share_of_indicators"] = "share_of_indicators"
    threshold: Fraction = Field(default=Decimal("0.70"), examples=[0.7])
    min_coverage: Fraction = Field(
        default=Decimal("0.5"), description="Share of the weight that must have data."
    )


class AllChildren(_Strict):
    """Green only when every child goal is green; red when any is red."""

    kind: Literal["all_children"] = "all_children"


GoalRule = Annotated[ShareOfIndicators | AllChildren, Field(discriminator="kind")]


class GoalIndicatorLink(_Strict):
    indicator_id: uuid.UUID
    weight: Number = Field(default=Decimal(1), gt=0)


class _GoalFields(_Strict):
    title: Annotated[FreeText, Field(min_length=1, max_length=500)] | None = None
    description: LongText | None = None
    direction: LongText | None = Field(default=None, description="Nämndens inriktning.")
    goal_area: Annotated[FreeText, Field(max_length=300)] | None = Field(
        default=None, examples=["Kunskapskommunen Södertälje"]
    )
    related_plans: list[Annotated[FreeText, Field(max_length=300)]] | None = None
    rule: GoalRule | None = None


class GoalCreate(_GoalFields):
    level: GoalLevel
    code: GoalCode
    title: Annotated[FreeText, Field(min_length=1, max_length=500)]
    owner_id: uuid.UUID = Field(description="The org unit that owns the goal (the committee).")
    parent_id: uuid.UUID | None = Field(default=None, description="E.g. the council goal.")
    valid_from_year: Year
    valid_to_year: Year
    rule: GoalRule = Field(default_factory=ShareOfIndicators)
    indicators: list[GoalIndicatorLink] = Field(default_factory=list)

    @model_validator(mode="after")
    def _years(self) -> Self:
        if self.valid_to_year < self.valid_from_year:
            raise field_errors(
                "GoalCreate",
                (
                    "valid_to_year",
                    "before_valid_from",
                    "valid_to_year must not be before valid_from_year",
                    self.valid_to_year,
                ),
            )
        ids = [link.indicator_id for link in self.indicators]
        if len(ids) != len(set(ids)):
            raise field_errors(
                "GoalCreate", ("indicators", "duplicate", "an indicator is linked twice", None)
            )
        return self


class GoalUpdate(_GoalFields):
    code: GoalCode | None = None
    owner_id: uuid.UUID | None = None
    valid_from_year: Year | None = None
    valid_to_year: Year | None = None


class GoalRead(BaseModel):
    id: uuid.UUID
    level: GoalLevel
    code: str
    title: str
    description: str | None
    direction: str | None
    goal_area: str | None
    owner_id: uuid.UUID
    parent_id: uuid.UUID | None
    valid_from_year: int
    valid_to_year: int
    related_plans: list[str]
    rule: GoalRule
    indicators: list[GoalIndicatorLink]
    created_at: datetime
    updated_at: datetime


class GoalNode(GoalRead):
    children: list["GoalNode"] = Field(default_factory=list)


class AssignmentCreate(_Strict):
    goal_id: uuid.UUID
    origin: AssignmentOrigin
    text: Annotated[FreeText, Field(min_length=1, max_length=10000)]
    report_at: ReportAt
    report_to_council: bool = False


class AssignmentUpdate(_Strict):
    origin: AssignmentOrigin | None = None
    text: Annotated[FreeText, Field(min_length=1, max_length=10000)] | None = None
    report_at: ReportAt | None = None
    report_to_council: bool | None = None


class ProgressCreate(_Strict):
    noted_on: IsoDate = Field(examples=["2023-08-31"])
    status: AssignmentStatus
    comment: Annotated[FreeText, Field(min_length=1, max_length=5000)]


class ProgressRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    noted_on: date
    status: AssignmentStatus
    comment: str
    noted_by: str
    created_at: datetime


class AssignmentRead(BaseModel):
    id: uuid.UUID
    goal_id: uuid.UUID
    origin: AssignmentOrigin
    text: str
    report_at: ReportAt
    report_to_council: bool
    status: AssignmentStatus
    progress: list[ProgressRead]
    created_at: datetime
    updated_at: datetime
