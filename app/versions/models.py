"""Versions of budget lines, placement episodes and placement aggregates (DOMAIN §3, §11).

Issue 18's rule for every kind of value a batch writes: the before and after of each value are
its version rows, which carry the batch id and which the database refuses to update or delete,
as it refuses on the audit trail (migration 0019: triggers on both engines, and on PostgreSQL
the service's role holds only INSERT and SELECT). Measurements have their own typed versions
(:class:`app.measurements.models.MeasurementVersion`); the three kinds here share this one table.

An :class:`EntityVersion` is one value of one row as the audit trail showed it (``content``: the
same JSON an audit event's ``after`` held for that row before issue 18, so the events of older
batches carry over unchanged), or a tombstone (``content`` null) when the row was deleted. It is
valid in system time from its ``sys_from`` until the ``sys_from`` of the row's next version
(ties by id, which is time-ordered), exactly as a measurement version is.

Unlike a measurement, the row itself (``budget_line``, ``placement`` with its rates,
``placement_aggregate``) keeps its current content: every read of "now" (lists, follow-ups,
classify) reads it as before, and no read searches the log for the current value, so the row
needs no pointer to its current version. Every write of such a row — single or batch, create,
update or delete — appends a version in the same transaction (:mod:`app.versions.service`), so
the latest version is always the row as it is.
"""

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, IdMixin, TenantScoped, utcnow

VERSIONED = ("budget_line", "placement", "placement_aggregate")
"""The entity types kept here (an audit event's ``entity_type`` for the same row)."""


class EntityVersion(IdMixin, TenantScoped, Base):
    __tablename__ = "entity_version"
    __table_args__ = (
        Index("ix_entity_version_history", "entity_id", "sys_from"),
        Index("ix_entity_version_batch", "batch_id"),
        # "Did anything behind this export change after as_of?" (app.exports.snapshots)
        Index("ix_entity_version_type_time", "municipality_id", "entity_type", "sys_from"),
    )

    # Indexed only as the first column of the type-and-time index above.
    municipality_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("municipality.id", ondelete="RESTRICT"), nullable=False
    )
    entity_type: Mapped[str] = mapped_column(String(50))
    # No foreign key: a deleted row keeps its versions (the last one a tombstone).
    entity_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    content: Mapped[dict[str, Any] | None] = mapped_column(JSON(none_as_null=True))
    recorded_by: Mapped[str] = mapped_column(String(200))
    batch_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    sys_from: Mapped[datetime] = mapped_column(default=utcnow)
