"""Import batches and idempotency keys: the shared machinery of every bulk ingest (DOMAIN §11).

Both live in the database, not in process memory, so several workers agree on them.
"""

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, IdMixin, TenantScoped, one_of, utcnow

BATCH_KINDS = ("measurements", "budget_lines", "placements", "placement_aggregates")
MODES = ("atomic", "partial")


class ImportBatch(IdMixin, TenantScoped, Base):
    """One import that landed: what came in, what it did, and each rejected row."""

    __tablename__ = "import_batch"
    __table_args__ = (one_of("kind", BATCH_KINDS), one_of("mode", MODES))

    kind: Mapped[str] = mapped_column(String(30))
    mode: Mapped[str] = mapped_column(String(10))
    received: Mapped[int] = mapped_column(Integer)
    created: Mapped[int] = mapped_column(Integer)
    updated: Mapped[int] = mapped_column(Integer)
    unchanged: Mapped[int] = mapped_column(Integer)
    rejected: Mapped[int] = mapped_column(Integer)
    errors: Mapped[list[Any]] = mapped_column(JSON)
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    request_id: Mapped[str | None] = mapped_column(String(100))


class IdempotencyKey(IdMixin, TenantScoped, Base):
    """A client's ``Idempotency-Key``: the request it came with and the answer it got."""

    __tablename__ = "idempotency_key"
    __table_args__ = (UniqueConstraint("municipality_id", "key"),)

    key: Mapped[str] = mapped_column(String(200))
    request_hash: Mapped[str] = mapped_column(String(64))
    completed: Mapped[bool] = mapped_column(Boolean, default=False)
    status_code: Mapped[int | None] = mapped_column(Integer)
    response: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
