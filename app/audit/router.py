import uuid
from typing import Annotated, Literal

from fastapi import APIRouter, Depends

from app.audit import service
from app.audit.schemas import (
    ActionParam,
    ActorParam,
    AuditEventRead,
    EntityIdParam,
    EntityTypeParam,
    RequestIdParam,
    SinceParam,
    UntilParam,
)
from app.auth.deps import Ctx, Require
from app.auth.permissions import Permission
from app.errors import problem_responses
from app.pagination import Page, PageParams, page_params

router = APIRouter(prefix="/audit-events", tags=["audit"], responses=problem_responses(401, 403))

Auditor = Annotated[Ctx, Depends(Require(Permission.AUDIT_READ))]


@router.get(
    "",
    operation_id="audit-events:list",
    summary="Read the audit trail",
    description="Every write, oldest first by default: who, when, which entity, before and after.",
    response_model=Page[AuditEventRead],
    responses=problem_responses(422),
)
async def list_audit_events(
    ctx: Auditor,
    page: Annotated[PageParams, Depends(page_params)],
    entity_type: EntityTypeParam = None,
    entity_id: EntityIdParam = None,
    action: ActionParam = None,
    actor: ActorParam = None,
    request_id: RequestIdParam = None,
    batch_id: uuid.UUID | None = None,
    since: SinceParam = None,
    until: UntilParam = None,
    sort: Literal["id", "-id"] = "id",
) -> Page[AuditEventRead]:
    filters = service.AuditFilter(
        entity_type=entity_type,
        entity_id=entity_id,
        action=action,
        actor=actor,
        request_id=request_id,
        batch_id=batch_id,
        since=since,
        until=until,
    )
    items, next_cursor = await service.list_events(ctx, filters, page, sort)
    return Page[AuditEventRead](
        items=[AuditEventRead.model_validate(e) for e in items], next_cursor=next_cursor
    )
