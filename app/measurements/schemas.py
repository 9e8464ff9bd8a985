import uuid
from datetime import datetime
from typing import Annotated, Literal, Self

from fastapi import Query
from pydantic import BaseModel, ConfigDict, Field, model_validator

from app.fields import Number, ReportedPeriod
from app.measurements.models import Gender, MeasurementStatus
from app.orgunits.schemas import Code
from app.personnummer import FreeText

# A filter on the measurements' source system: the list and its export declare it alike.
SourceSystemParam = Annotated[str | None, Query(max_length=100)]
IndicatorCodeParam = Annotated[
    str | None,
    Query(min_length=1, max_length=50, description="The indicator by its code, e.g. SN-8.1.4."),
]
OrgUnitCodeParam = Annotated[
    str | None,
    Query(min_length=1, max_length=50, description="The org unit by its code, e.g. AF."),
]


class MeasurementKey(BaseModel):
    """Which measurement: the indicator and the org unit by id or by code, period and gender."""

    model_config = ConfigDict(extra="forbid")

    indicator_id: uuid.UUID | None = None
    indicator_code: Code | None = Field(default=None, examples=["SN-8.1.4"])
    org_unit_id: uuid.UUID | None = None
    org_unit_code: Code | None = Field(default=None, examples=["AF"])
    period: ReportedPeriod
    gender: Gender = Gender.TOTAL

    @model_validator(mode="after")
    def _one_reference_each(self) -> Self:
        for what in ("indicator", "org_unit"):
            by_id, by_code = getattr(self, f"{what}_id"), getattr(self, f"{what}_code")
            if (by_id is None) == (by_code is None):
                raise ValueError(f"give exactly one of {what}_id and {what}_code")
        return self


class MeasurementWrite(MeasurementKey):
    value: Number | None = Field(default=None, examples=[1173])
    numerator: Number | None = Field(default=None, ge=0, examples=[412.5])
    denominator: Number | None = Field(default=None, gt=0, examples=[8250])
    status: MeasurementStatus = MeasurementStatus.FINAL
    source_system: Annotated[FreeText, Field(min_length=1, max_length=100)] | None = Field(
        default=None, examples=["Procapita"]
    )
    comment: Annotated[FreeText, Field(max_length=2000)] | None = None

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "indicator_code": "SN-8.1.4",
                    "org_unit_code": "AF",
                    "period": "2023-03",
                    "value": 1182,
                    "source_system": "Procapita",
                },
                {
                    "indicator_code": "HR-SJUK",
                    "org_unit_code": "BOU",
                    "period": "2023-03",
                    "gender": "women",
                    "numerator": 412.5,
                    "denominator": 8250,
                    "source_system": "HR",
                },
            ]
        },
    )


class MeasurementRead(BaseModel):
    id: uuid.UUID
    indicator_id: uuid.UUID
    indicator_code: str
    org_unit_id: uuid.UUID
    org_unit_code: str
    period: str
    gender: Gender
    value: Number | None
    numerator: Number | None
    denominator: Number | None
    status: MeasurementStatus
    source_system: str | None
    comment: str | None
    recorded_by: str
    recorded_at: datetime = Field(description="When this value became known (system time).")
    version_id: uuid.UUID
    batch_id: uuid.UUID | None


class MeasurementWritten(MeasurementRead):
    result: Literal["created", "updated", "unchanged"]


class MeasurementVersionRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    version_id: uuid.UUID
    value: Number | None
    numerator: Number | None
    denominator: Number | None
    status: MeasurementStatus
    source_system: str | None
    comment: str | None
    deleted: bool
    recorded_by: str
    batch_id: uuid.UUID | None
    valid_from: datetime = Field(description="System time this version became current.")
    valid_to: datetime | None = Field(description="System time it was replaced; null if current.")


class MeasurementHistory(BaseModel):
    id: uuid.UUID
    indicator_id: uuid.UUID
    org_unit_id: uuid.UUID
    period: str
    gender: Gender
    versions: list[MeasurementVersionRead]
