import uuid
from datetime import date, datetime
from typing import Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from app.fields import IsoDate
from app.indicators.schemas import field_errors
from app.quality.common import LongText, Reference, Source
from app.quality.feedback.models import FeedbackKind, FeedbackTopic
from app.quality.stats import DurationStats


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class FeedbackCreate(_Strict):
    org_unit_id: uuid.UUID = Field(description="The unit the feedback concerns.")
    kind: FeedbackKind
    topic: FeedbackTopic | None = Field(
        default=None, description="What it is about; null when not categorised."
    )
    received_on: IsoDate = Field(examples=["2019-03-12"])
    answered_on: IsoDate | None = Field(default=None, examples=["2019-03-20"])
    summary: LongText | None = Field(
        default=None, description="Short summary. Never a personal identity number."
    )
    source: Source | None = Field(default=None, examples=["Flexite"])
    reference: Reference | None = None

    @model_validator(mode="after")
    def _dates(self) -> Self:
        if self.answered_on is not None and self.answered_on < self.received_on:
            raise field_errors(
                "FeedbackCreate",
                ("answered_on", "before_received_on", "answered_on is before received_on", None),
            )
        return self


class FeedbackUpdate(_Strict):
    """Fields to change; absent fields stay, null clears an optional one."""

    org_unit_id: uuid.UUID | None = None
    kind: FeedbackKind | None = None
    topic: FeedbackTopic | None = None
    received_on: IsoDate | None = None
    answered_on: IsoDate | None = None
    summary: LongText | None = None
    source: Source | None = None
    reference: Reference | None = None


class FeedbackRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    org_unit_id: uuid.UUID
    kind: FeedbackKind
    topic: FeedbackTopic | None
    received_on: date
    answered_on: date | None
    summary: str | None
    source: str | None
    reference: str | None
    created_at: datetime
    updated_at: datetime


class FeedbackStatsRow(BaseModel):
    """One group; only the keys grouped by are present (``topic`` null: not categorised)."""

    period: str | None = Field(default=None, description="By received_on: 2019, 2020-T1, …")
    org_unit_id: uuid.UUID | None = None
    org_unit_code: str | None = None
    kind: FeedbackKind | None = None
    topic: FeedbackTopic | None = None
    count: int
    answered: int
    unanswered: int = Field(
        description="Complaints and suggestions without an answer date; praise expects no answer."
    )
    days_to_answer: DurationStats


class FeedbackStatistics(BaseModel):
    group_by: list[str]
    total: FeedbackStatsRow
    groups: list[FeedbackStatsRow]
