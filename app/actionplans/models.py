"""Action plans (handlingsplaner): items with a follow-up month and dated follow-up notes (§10)."""

import uuid
from datetime import date
from enum import StrEnum

from sqlalchemy import (
    CheckConstraint,
    Date,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    Uuid,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, IdMixin, TenantScoped, TimestampMixin, one_of


class ItemStatus(StrEnum):
    NOT_STARTED = "not_started"
    ONGOING = "ongoing"
    DONE = "done"
    CANCELLED = "cancelled"


class ActionPlan(IdMixin, TenantScoped, TimestampMixin, Base):
    """E.g. Strömsund's "Handlingsplan mot våld i nära relation 2023" (seed 002 §21)."""

    __tablename__ = "action_plan"
    __audit_entity__ = "action_plan"
    __table_args__ = (UniqueConstraint("municipality_id", "owner_id", "year", "title"),)

    owner_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("org_unit.id", ondelete="RESTRICT"), index=True
    )
    year: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(300))
    reference: Mapped[str | None] = mapped_column(String(100))
    adopted_on: Mapped[date | None] = mapped_column(Date)
    decision_ref: Mapped[str | None] = mapped_column(String(200))
    background: Mapped[str | None] = mapped_column(Text)


class ActionPlanItem(IdMixin, TenantScoped, TimestampMixin, Base):
    """One row of the plan: area, what is to be achieved and how, for whom, by whom, when."""

    __tablename__ = "action_plan_item"
    __audit_entity__ = "action_plan_item"
    __table_args__ = (
        UniqueConstraint("plan_id", "number"),
        CheckConstraint("number >= 1", name="number_positive"),
        one_of("status", ItemStatus),
    )

    plan_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("action_plan.id", ondelete="RESTRICT"), index=True
    )
    number: Mapped[int] = mapped_column(Integer)
    area: Mapped[str] = mapped_column(String(300))
    objective: Mapped[str] = mapped_column(Text)
    approach: Mapped[str | None] = mapped_column(Text)
    target_group: Mapped[str] = mapped_column(String(500))
    responsible_role: Mapped[str] = mapped_column(String(300))
    # The month the committee follows the item up, "2023-12" (Uppföljning i SN, månad och år).
    follow_up_month: Mapped[str] = mapped_column(String(7))
    status: Mapped[str] = mapped_column(String(20), default=ItemStatus.NOT_STARTED.value)


class ActionPlanFollowUp(IdMixin, TenantScoped, TimestampMixin, Base):
    """A dated follow-up note; the item's status is the latest note's."""

    __tablename__ = "action_plan_follow_up"
    __audit_entity__ = "action_plan_follow_up"
    __table_args__ = (one_of("status", ItemStatus),)

    item_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("action_plan_item.id", ondelete="CASCADE"), index=True
    )
    noted_on: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20))
    comment: Mapped[str] = mapped_column(Text)
    noted_by: Mapped[str] = mapped_column(String(200))
