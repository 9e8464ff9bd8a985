"""The org-unit tree: committee → office → area → unit, each valid between two dates."""

import uuid
from datetime import date
from enum import StrEnum

from sqlalchemy import CheckConstraint, Date, ForeignKey, String, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, IdMixin, TenantScoped, TimestampMixin


class OrgUnitKind(StrEnum):
    COMMITTEE = "committee"
    OFFICE = "office"
    AREA = "area"
    UNIT = "unit"


class OrgUnit(IdMixin, TenantScoped, TimestampMixin, Base):
    __tablename__ = "org_unit"
    __audit_entity__ = "org_unit"
    __table_args__ = (
        UniqueConstraint("municipality_id", "code"),
        CheckConstraint("valid_to IS NULL OR valid_to >= valid_from", name="valid_range"),
        CheckConstraint("kind IN ('committee', 'office', 'area', 'unit')", name="kind_known"),
    )

    parent_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("org_unit.id", ondelete="RESTRICT"), index=True
    )
    kind: Mapped[str] = mapped_column(String(20))
    code: Mapped[str] = mapped_column(String(50))
    name: Mapped[str] = mapped_column(String(200))
    valid_from: Mapped[date] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)

    def is_valid_on(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)
