import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from app.audit.models import AuditEvent
from app.auth.deps import Ctx
from app.pagination import Keyset, PageParams, S

# Ids are time-ordered (UUIDv7), so sorting by id is sorting by time of writing.
KEYSET = Keyset(columns={"id": AuditEvent.id}, id_column=AuditEvent.id, default="id")


@dataclass(frozen=True)
class AuditFilter:
    entity_type: str | None = None
    entity_id: str | None = None
    action: str | None = None
    actor: str | None = None
    request_id: str | None = None
    batch_id: uuid.UUID | None = None
    since: datetime | None = None
    until: datetime | None = None


def filtered(stmt: S, f: AuditFilter) -> S:
    """``stmt`` (over audit events) narrowed by ``f``: the list and the export filter alike."""
    for column, value in (
        (AuditEvent.entity_type, f.entity_type),
        (AuditEvent.entity_id, f.entity_id),
        (AuditEvent.action, f.action),
        (AuditEvent.actor, f.actor),
        (AuditEvent.request_id, f.request_id),
        (AuditEvent.batch_id, f.batch_id),
    ):
        if value is not None:
            stmt = stmt.where(column == value)
    if f.since is not None:
        stmt = stmt.where(AuditEvent.occurred_at >= f.since)
    if f.until is not None:
        stmt = stmt.where(AuditEvent.occurred_at < f.until)
    return stmt


async def list_events(
    ctx: Ctx, f: AuditFilter, page: PageParams, sort: str
) -> tuple[list[AuditEvent], str | None]:
    stmt = filtered(select(AuditEvent), f)
    rows = (await ctx.session.scalars(KEYSET.apply(stmt, sort, page.cursor, page.limit))).all()
    return KEYSET.page(rows, sort, page.limit)
