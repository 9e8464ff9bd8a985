import uuid
from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from app.auth.permissions import Permission, Role
from app.fields import IsoDateTime
from app.personnummer import FreeText


class ApiKeyCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Annotated[FreeText, Field(min_length=1, max_length=200, examples=["HR-integration"])]
    role: Role = Field(examples=["integration"])
    scopes: list[Permission] = Field(
        default_factory=list,
        description="Narrow the role to these permissions. Empty: everything the role allows.",
        examples=[["org_units:read"]],
    )
    expires_at: IsoDateTime | None = Field(default=None, description="Optional expiry.")
    org_unit_id: uuid.UUID | None = Field(
        default=None, description="Limit a reporter's key to this org unit's subtree."
    )


class ApiKeyRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    name: str
    role: Role
    prefix: str = Field(description="The visible start of the key, `sk_<prefix>_…`.")
    scopes: list[str]
    org_unit_id: uuid.UUID | None
    created_at: datetime
    created_by: str | None
    expires_at: datetime | None
    revoked_at: datetime | None
    last_used_at: datetime | None


class ApiKeyCreated(ApiKeyRead):
    key: str = Field(
        description="The key itself. Shown once; store it now, it cannot be read again."
    )


class MeRead(BaseModel):
    municipality_code: str
    municipality_name: str
    role: Role
    actor: str
    actor_name: str
    permissions: list[Permission]
