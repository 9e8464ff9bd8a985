import uuid
from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from app.assessments.models import SubjectType
from app.fields import PeriodText
from app.personnummer import FreeText
from app.rules.definitions import Status


class AssessmentCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    subject_type: SubjectType
    subject_id: uuid.UUID = Field(description="The indicator's or goal's id.")
    org_unit_id: uuid.UUID
    period: PeriodText
    status: Status
    comment: Annotated[FreeText, Field(min_length=1, max_length=5000)] = Field(
        description="Why: mandatory, e.g. which measures are planned.",
        examples=["Åtgärder är planerade: ny rutin för uppföljning från september."],
    )


class AssessmentRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    subject_type: SubjectType
    subject_id: uuid.UUID
    org_unit_id: uuid.UUID
    period: str
    status: Status
    comment: str
    assessed_by: str
    assessed_at: datetime
