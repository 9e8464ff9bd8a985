"""The tenant: a municipality, identified by its 4-digit SCB code."""

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, IdMixin, utcnow


class Municipality(IdMixin, Base):
    __tablename__ = "municipality"

    code: Mapped[str] = mapped_column(String(4), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    def __repr__(self) -> str:
        return f"Municipality({self.code} {self.name})"
