"""What an export answered, kept where the data behind it is not versioned in system time.

Measurements (an append-only log of versions, each valid until the next begins) and the audit
trail (append-only) can be read as they stood at any ``as_of``. Definitions, budgets, placements
and the quality registers are kept as they are now, with every change in the audit trail (or, for
budget lines and placements, in their versions, ``app.versions``). For an
export built from those, the rows it answered are stored under its kind and query (``as_of``
included), and the same query answers them again: byte-identical in every format, however the
data changed since. See :mod:`app.exports.snapshots`.
"""

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, IdMixin, TenantScoped, utcnow


class ExportSnapshot(IdMixin, TenantScoped, Base):
    __tablename__ = "export_snapshot"
    __table_args__ = (UniqueConstraint("municipality_id", "kind", "query_key"),)

    kind: Mapped[str] = mapped_column(String(50))
    # SHA-256 of the canonical query (as_of in UTC); the query itself is kept beside it.
    query_key: Mapped[str] = mapped_column(String(64))
    query: Mapped[dict[str, Any]] = mapped_column(JSON)
    content: Mapped[Any] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
