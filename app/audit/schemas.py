import uuid
from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import Query
from pydantic import BaseModel, ConfigDict, Field

from app.fields import IsoDateTime

# The audit trail's filters as query parameters: the list and its export declare them alike.
EntityTypeParam = Annotated[str | None, Query(max_length=50, examples=["org_unit"])]
EntityIdParam = Annotated[str | None, Query(max_length=100)]
ActionParam = Literal["create", "update", "delete", "export", "import"] | None
ActorParam = Annotated[str | None, Query(max_length=200)]
RequestIdParam = Annotated[str | None, Query(max_length=100)]
SinceParam = Annotated[IsoDateTime | None, Query(description="From this time, inclusive.")]
UntilParam = Annotated[IsoDateTime | None, Query(description="Before this time.")]


class AuditEventRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    occurred_at: datetime
    actor: str = Field(examples=["api_key:sk_1a2b3c4d", "user:anna.svensson"])
    actor_name: str | None
    entity_type: str = Field(examples=["org_unit"])
    entity_id: str
    action: str = Field(examples=["create", "update", "delete", "import"])
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    request_id: str | None
    batch_id: uuid.UUID | None
