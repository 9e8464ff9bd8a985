import uuid
from datetime import date, datetime
from typing import Annotated, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from app.fields import IsoDate
from app.indicators.schemas import field_errors
from app.personnummer import FreeText
from app.quality.common import LongText, Reference, ShortText, Source
from app.quality.deviations.models import (
    DeviationCategory,
    DeviationStatus,
    LexSarahOutcome,
    Severity,
)
from app.quality.stats import DurationStats

Description = Annotated[
    FreeText,
    Field(
        min_length=1,
        max_length=10000,
        description="What happened. Never a personal identity number: refused with 422.",
        examples=["Rutinen för hantering av inkommen anmälan följdes inte."],
    ),
]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class LexSarah(_Strict):
    """The Lex Sarah part of a report. Before closing: ``outcome``; when the outcome is
    maltreatment or a risk of it, whether it is ``serious``; and for a serious one the IVO
    notification (``ivo_notified_on`` and ``ivo_reference``)."""

    outcome: LexSarahOutcome | None = Field(
        default=None, description="The investigation's outcome; required before closing."
    )
    serious: bool | None = Field(
        default=None,
        description="Allvarligt missförhållande (or a risk of one): must be notified to IVO.",
    )
    ivo_notified_on: IsoDate | None = Field(default=None, examples=["2019-10-14"])
    ivo_reference: Reference | None = Field(
        default=None, description="IVO's case number.", examples=["3.5.1-41231/2019"]
    )

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if self.serious and self.outcome is LexSarahOutcome.NEITHER:
            raise field_errors(
                "LexSarah",
                (
                    "serious",
                    "neither_is_not_serious",
                    "an outcome of 'neither' is not serious",
                    self.serious,
                ),
            )
        notified = self.ivo_notified_on is not None or self.ivo_reference is not None
        if notified and not self.serious:
            raise field_errors(
                "LexSarah",
                ("ivo_notified_on", "not_serious", "only a serious case is notified to IVO", None),
            )
        return self


class DeviationReportCreate(_Strict):
    org_unit_id: uuid.UUID = Field(description="The unit where it happened, responsible for it.")
    category: DeviationCategory
    severity: Severity
    description: Description
    occurred_on: IsoDate | None = Field(default=None, examples=["2019-05-02"])
    reported_on: IsoDate = Field(examples=["2019-05-03"])
    lex_sarah: LexSarah | None = Field(
        default=None, description="Present for a Lex Sarah report; null or absent otherwise."
    )
    source: Source | None = None
    reference: Reference | None = None

    @model_validator(mode="after")
    def _dates(self) -> Self:
        if self.occurred_on is not None and self.occurred_on > self.reported_on:
            raise field_errors(
                "DeviationReportCreate",
                (
                    "occurred_on",
                    "after_reported_on",
                    "occurred_on must not be after reported_on",
                    None,
                ),
            )
        return self


class DeviationReportUpdate(_Strict):
    """Fields to change; absent fields stay. ``lex_sarah`` replaces the whole Lex Sarah part
    (null: not a Lex Sarah report). The status changes only through transitions."""

    org_unit_id: uuid.UUID | None = None
    category: DeviationCategory | None = None
    severity: Severity | None = None
    description: Description | None = None
    occurred_on: IsoDate | None = None
    reported_on: IsoDate | None = None
    lex_sarah: LexSarah | None = None
    source: Source | None = None
    reference: Reference | None = None


class TransitionCreate(_Strict):
    to: DeviationStatus = Field(description="The status to move to.")
    moved_on: IsoDate | None = Field(
        default=None,
        description="The day of the move; default today. Not before the previous move.",
    )
    comment: Annotated[FreeText, Field(min_length=1, max_length=5000)] | None = Field(
        default=None, description="Required when reopening a closed report."
    )


class TransitionRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    from_status: DeviationStatus | None = Field(description="Null for the filing itself.")
    to_status: DeviationStatus
    moved_on: date
    comment: str | None
    actor: str = Field(description="Who moved it, as the audit trail names them.")
    actor_name: str | None
    created_at: datetime


class MeasureCreate(_Strict):
    description: LongText
    responsible: ShortText | None = Field(default=None, examples=["Enhetschef"])
    decided_on: IsoDate | None = Field(default=None, description="Default today.")
    due_on: IsoDate = Field(examples=["2019-09-30"])
    done_on: IsoDate | None = None


class MeasureUpdate(_Strict):
    description: LongText | None = None
    responsible: ShortText | None = None
    due_on: IsoDate | None = None
    done_on: IsoDate | None = Field(default=None, description="Null clears it (not done).")


class MeasureRead(BaseModel):
    id: uuid.UUID
    description: str
    responsible: str | None
    decided_on: date
    due_on: date
    done_on: date | None
    overdue: bool = Field(description="Not done and the due date has passed.")


class LexSarahRead(BaseModel):
    outcome: LexSarahOutcome | None
    serious: bool | None
    ivo_notified_on: date | None
    ivo_reference: str | None


class DeviationReportRead(BaseModel):
    id: uuid.UUID
    org_unit_id: uuid.UUID
    category: DeviationCategory
    severity: Severity
    description: str
    occurred_on: date | None
    reported_on: date
    status: DeviationStatus
    closed_on: date | None
    days_to_close: int | None = Field(description="Days from reported_on to closed_on.")
    lex_sarah: LexSarahRead | None
    source: str | None
    reference: str | None
    measures: list[MeasureRead]
    overdue_measures: int
    transitions: list[TransitionRead]
    created_at: datetime
    updated_at: datetime


class DeviationStatsRow(BaseModel):
    """One group; only the keys grouped by are present."""

    period: str | None = Field(default=None, description="By reported_on: 2019, 2020-T1, …")
    org_unit_id: uuid.UUID | None = None
    org_unit_code: str | None = None
    category: DeviationCategory | None = None
    severity: Severity | None = None
    status: DeviationStatus | None = None
    lex_sarah: bool | None = None
    ivo_notified: bool | None = None
    count: int
    open: int = Field(description="Not closed.")
    closed: int
    lex_sarah_reports: int
    ivo_notifications: int
    days_to_close: DurationStats


class DeviationStatistics(BaseModel):
    group_by: list[str]
    total: DeviationStatsRow
    groups: list[DeviationStatsRow]
