"""API keys for machine clients: stored hashed, shown once, revocable, scoped."""

import uuid
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, IdMixin, TenantScoped, utcnow


class ApiKey(IdMixin, TenantScoped, Base):
    __tablename__ = "api_key"
    __audit_entity__ = "api_key"
    __audit_redact__ = frozenset({"key_hash"})

    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    # The visible part of the key ("sk_<prefix>_…"), for identifying it in lists and logs.
    prefix: Mapped[str] = mapped_column(String(16), unique=True)
    # SHA-256 of the whole key. Keys carry 256 random bits, so a slow password hash adds nothing.
    key_hash: Mapped[str] = mapped_column(String(64))
    scopes: Mapped[list[str]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by: Mapped[str | None] = mapped_column(String(200))
    expires_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]
    last_used_at: Mapped[datetime | None]
    # A reporter's key may be limited to one org unit's subtree.
    org_unit_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("org_unit.id", ondelete="RESTRICT"), default=None
    )
