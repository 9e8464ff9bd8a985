import uuid
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class AuditEventRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    occurred_at: datetime
    actor: str = Field(examples=["api_key:sk_1a2b3c4d", "user:anna.svensson"])
    actor_name: str | None
    entity_type: str = Field(examples=["org_unit"])
    entity_id: str
    action: str = Field(examples=["create", "update", "delete"])
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    request_id: str | None
    batch_id: uuid.UUID | None
