import uuid
from datetime import date, datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, model_validator

from app.fields import IsoDate
from app.orgunits.models import OrgUnitKind
from app.personnummer import FreeText

Code = Annotated[
    str,
    Field(
        min_length=1,
        max_length=50,
        pattern=r"^[A-Za-z0-9ÅÄÖåäö][A-Za-z0-9ÅÄÖåäö._-]*$",
        description="Tenant-unique code, as in the municipality's own systems.",
        examples=["SN", "BUV-FAM"],
    ),
]
Name = Annotated[FreeText, Field(min_length=1, max_length=200, examples=["Socialnämnden"])]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class OrgUnitCreate(_Strict):
    code: Code
    name: Name
    kind: OrgUnitKind
    parent_id: uuid.UUID | None = Field(default=None, description="Omit for a root (committee).")
    valid_from: IsoDate = Field(description="First day the unit exists.", examples=["2021-01-01"])
    valid_to: IsoDate | None = Field(default=None, description="Last day; omit while it exists.")

    @model_validator(mode="after")
    def _range(self) -> "OrgUnitCreate":
        if self.valid_to is not None and self.valid_to < self.valid_from:
            raise ValueError("valid_to must not be before valid_from")
        return self


class OrgUnitUpdate(_Strict):
    """Fields to change; absent fields stay as they are. Closing and moving have own endpoints."""

    code: Code | None = None
    name: Name | None = None
    kind: OrgUnitKind | None = None
    valid_from: IsoDate | None = None


class OrgUnitClose(_Strict):
    valid_to: IsoDate = Field(description="Last day the unit exists.", examples=["2020-12-31"])


class OrgUnitMove(_Strict):
    parent_id: uuid.UUID | None = Field(description="The new parent; null makes it a root.")


class OrgUnitRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    code: str
    name: str
    kind: OrgUnitKind
    parent_id: uuid.UUID | None
    valid_from: date
    valid_to: date | None
    created_at: datetime
    updated_at: datetime


class OrgUnitNode(OrgUnitRead):
    children: list["OrgUnitNode"] = Field(default_factory=list)
