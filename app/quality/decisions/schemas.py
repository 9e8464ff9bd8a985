import uuid
from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from app.fields import IsoDate
from app.indicators.schemas import field_errors
from app.personnummer import FreeText
from app.quality.common import Reference, Source
from app.quality.decisions.models import DecisionGender, InterventionType, LegalBasis

Reason = Annotated[
    FreeText,
    Field(
        min_length=1,
        max_length=5000,
        description="Why it is not executed (or interrupted). Never a personal identity number.",
        examples=["Ingen lämplig kontaktfamilj tillgänglig."],
    ),
]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class DecisionCreate(_Strict):
    org_unit_id: uuid.UUID = Field(description="The unit responsible for executing it.")
    decision_on: IsoDate = Field(description="The day the decision was granted.")
    intervention_type: InterventionType
    legal_basis: LegalBasis = LegalBasis.SOL_4_1
    gender: DecisionGender
    executed_on: IsoDate | None = Field(default=None, description="The day it was carried out.")
    ended_on: IsoDate | None = Field(
        default=None, description="The day the decision ceased (e.g. withdrawn) unexecuted."
    )
    reason: Reason | None = None
    source: Source | None = Field(default=None, examples=["Procapita"])
    reference: Reference | None = None

    @model_validator(mode="after")
    def _dates(self) -> Self:
        for name in ("executed_on", "ended_on"):
            value = getattr(self, name)
            if value is not None and value < self.decision_on:
                raise field_errors(
                    "DecisionCreate",
                    (name, "before_decision_on", f"{name} is before decision_on", None),
                )
        return self


class DecisionUpdate(_Strict):
    """Fields to change; absent fields stay, null clears an optional one."""

    org_unit_id: uuid.UUID | None = None
    decision_on: IsoDate | None = None
    intervention_type: InterventionType | None = None
    legal_basis: LegalBasis | None = None
    gender: DecisionGender | None = None
    executed_on: IsoDate | None = None
    ended_on: IsoDate | None = None
    reason: Reason | None = None
    source: Source | None = None
    reference: Reference | None = None


class InterruptionCreate(_Strict):
    interrupted_on: IsoDate = Field(description="The day execution stopped.")
    resumed_on: IsoDate | None = Field(default=None, description="The day it started again.")
    reason: Reason | None = None

    @model_validator(mode="after")
    def _dates(self) -> Self:
        if self.resumed_on is not None and self.resumed_on < self.interrupted_on:
            raise field_errors(
                "InterruptionCreate",
                (
                    "resumed_on",
                    "before_interrupted_on",
                    "resumed_on is before interrupted_on",
                    None,
                ),
            )
        return self


class InterruptionUpdate(_Strict):
    interrupted_on: IsoDate | None = None
    resumed_on: IsoDate | None = None
    reason: Reason | None = None


class InterruptionRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    interrupted_on: date
    resumed_on: date | None
    reason: str | None


class DecisionState(StrEnum):
    WAITING = "waiting"
    EXECUTED = "executed"
    INTERRUPTED = "interrupted"
    ENDED = "ended"


class DecisionRead(BaseModel):
    id: uuid.UUID
    org_unit_id: uuid.UUID
    decision_on: date
    intervention_type: InterventionType
    legal_basis: LegalBasis
    gender: DecisionGender
    executed_on: date | None
    ended_on: date | None
    reason: str | None
    source: str | None
    reference: str | None
    state: DecisionState = Field(description="As of today: waiting, executed, interrupted, ended.")
    interruptions: list[InterruptionRead]
    created_at: datetime
    updated_at: datetime


# -- the IVO report -----------------------------------------------------------------------------


class IvoKind(StrEnum):
    NOT_EXECUTED = "not_executed"  # never executed: counted from the decision
    INTERRUPTED = "interrupted"  # interrupted, not resumed: counted from the interruption


class IvoBucket(BaseModel):
    name: str = Field(examples=["months_3_6"])
    label: str = Field(examples=["more than 3, at most 6 months"])
    waiting_since_from: date | None = Field(
        description="Decided (or interrupted) on or after this day…"
    )
    waiting_since_to: date = Field(description="…and on or before this day.")


class IvoCounts(BaseModel):
    months_3_6: int = Field(description="More than 3, at most 6 months.")
    months_6_9: int = Field(description="More than 6, at most 9 months.")
    months_9_12: int = Field(description="More than 9, at most 12 months.")
    months_over_12: int = Field(description="More than 12 months.")
    total: int


class IvoRow(IvoCounts):
    kind: IvoKind | None = Field(description="Null in the total over both kinds.")
    intervention_type: InterventionType | None = Field(description="Null in a subtotal.")
    gender: DecisionGender | None = Field(description="Null in a subtotal.")


class IvoDecision(BaseModel):
    id: uuid.UUID
    reference: str | None
    org_unit_id: uuid.UUID
    kind: IvoKind
    intervention_type: InterventionType
    legal_basis: LegalBasis
    gender: DecisionGender
    decision_on: date
    interrupted_on: date | None
    waiting_since: date = Field(description="decision_on, or interrupted_on when interrupted.")
    days_waiting: int = Field(description="Days from waiting_since to the quarter's end.")
    bucket: str
    reason: str | None


class IvoReport(BaseModel):
    """Granted decisions not executed within three months as of the quarter's end, and executed
    ones interrupted and not resumed within three months (SoL 16 kap. 6 f §, LSS 28 f §)."""

    quarter: str = Field(examples=["2019-Q4"])
    quarter_end: date
    buckets: list[IvoBucket]
    rows: list[IvoRow] = Field(description="Per kind × intervention type × gender.")
    by_type: list[IvoRow] = Field(description="Per kind × intervention type (gender null).")
    totals: list[IvoRow] = Field(
        description="Per kind, then over both kinds (kind null); type and gender null."
    )
    decisions: list[IvoDecision] = Field(description="Every reportable decision, longest first.")
