"""The audit trail: one append-only row per write.

Append-only is enforced by the database too: the migration installs triggers that refuse UPDATE
and DELETE on this table, on both engines.
"""

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Index, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, IdMixin, TenantScoped, utcnow


class AuditEvent(IdMixin, TenantScoped, Base):
    __tablename__ = "audit_event"
    __table_args__ = (
        Index("ix_audit_event_entity", "municipality_id", "entity_type", "entity_id"),
        Index("ix_audit_event_batch", "municipality_id", "batch_id"),
        # "Did anything behind this export change after as_of?" (app.exports.snapshots)
        Index("ix_audit_event_entity_time", "municipality_id", "entity_type", "occurred_at"),
    )

    occurred_at: Mapped[datetime] = mapped_column(default=utcnow)
    actor: Mapped[str] = mapped_column(String(200))
    actor_name: Mapped[str | None] = mapped_column(String(200))
    entity_type: Mapped[str] = mapped_column(String(50))
    entity_id: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(20))
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    request_id: Mapped[str | None] = mapped_column(String(100))
    batch_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
