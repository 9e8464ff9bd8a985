"""Goals (KF-mål, nämndmål), their indicators with weights, and assignments (DOMAIN §3)."""

import uuid
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Integer, String, Text, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Amount, Base, IdMixin, TenantScoped, TimestampMixin, one_of


class GoalLevel(StrEnum):
    COUNCIL = "council"
    COMMITTEE = "committee"
    UNIT = "unit"


class AssignmentOrigin(StrEnum):
    COUNCIL = "council"
    COMMITTEE = "committee"
    MANAGEMENT_GROUP = "management_group"


class ReportAt(StrEnum):
    YEAR_END = "year_end"
    INTERIM = "interim"
    TERTIAL = "tertial"


class AssignmentStatus(StrEnum):
    NOT_STARTED = "not_started"
    ONGOING = "ongoing"
    DONE = "done"
    CANCELLED = "cancelled"


class Goal(IdMixin, TenantScoped, TimestampMixin, Base):
    __tablename__ = "goal"
    __audit_entity__ = "goal"
    __table_args__ = (
        UniqueConstraint("municipality_id", "code", "valid_from_year"),
        one_of("level", GoalLevel),
    )

    level: Mapped[str] = mapped_column(String(20))
    code: Mapped[str] = mapped_column(String(50))
    title: Mapped[str] = mapped_column(String(500))
    description: Mapped[str | None] = mapped_column(Text)
    direction: Mapped[str | None] = mapped_column(Text)
    goal_area: Mapped[str | None] = mapped_column(String(300))
    owner_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("org_unit.id", ondelete="RESTRICT"), index=True
    )
    parent_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("goal.id", ondelete="RESTRICT"), index=True
    )
    valid_from_year: Mapped[int] = mapped_column(Integer)
    valid_to_year: Mapped[int] = mapped_column(Integer)
    related_plans: Mapped[list[Any]] = mapped_column(JSON, default=list)
    # The assessment rule as validated data, e.g. {"kind": "share_of_indicators", ...}.
    rule: Mapped[dict[str, Any]] = mapped_column(JSON)


class GoalIndicator(IdMixin, TenantScoped, Base):
    __tablename__ = "goal_indicator"
    __audit_entity__ = "goal_indicator"
    __table_args__ = (UniqueConstraint("goal_id", "indicator_id"),)

    goal_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("goal.id", ondelete="CASCADE"), index=True
    )
    indicator_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("indicator.id", ondelete="RESTRICT"), index=True
    )
    weight: Mapped[Decimal] = mapped_column(Amount, default=Decimal(1))


class Assignment(IdMixin, TenantScoped, TimestampMixin, Base):
    __tablename__ = "assignment"
    __audit_entity__ = "assignment"
    __table_args__ = (
        one_of("origin", AssignmentOrigin),
        one_of("report_at", ReportAt),
        one_of("status", AssignmentStatus),
    )

    goal_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("goal.id", ondelete="CASCADE"), index=True
    )
    origin: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(Text)
    report_at: Mapped[str] = mapped_column(String(20))
    report_to_council: Mapped[bool] = mapped_column(default=False)
    status: Mapped[str] = mapped_column(String(20), default=AssignmentStatus.NOT_STARTED.value)


class AssignmentProgress(IdMixin, TenantScoped, TimestampMixin, Base):
    """A dated progress note; the assignment's status is the latest note's."""

    __tablename__ = "assignment_progress"
    __audit_entity__ = "assignment_progress"
    __table_args__ = (one_of("status", AssignmentStatus),)

    assignment_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("assignment.id", ondelete="CASCADE"), index=True
    )
    noted_on: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20))
    comment: Mapped[str] = mapped_column(Text)
    noted_by: Mapped[str] = mapped_column(String(200))
