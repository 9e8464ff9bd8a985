"""Internal-control plans, their control points and the results of each check (DOMAIN §10)."""

import uuid
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
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

from app.db import Amount, Base, IdMixin, TenantScoped, TimestampMixin, one_of
from app.rules.definitions import ToleranceKind


class ControlMethod(StrEnum):
    SAMPLE = "sample"  # stickprov
    FULL_REVIEW = "full_review"  # totalundersökning
    DOCUMENT_CHECK = "document_check"  # dokumentkontroll


class ControlTargetKind(StrEnum):
    """The objective kinds a control point takes (``app.rules.control.CONTROL_TARGET_KINDS``)."""

    AT_LEAST = "at_least"
    AT_MOST = "at_most"
    BETWEEN = "between"


class ControlPlan(IdMixin, TenantScoped, TimestampMixin, Base):
    """A committee's internal-control plan for one year."""

    __tablename__ = "control_plan"
    __audit_entity__ = "control_plan"
    __table_args__ = (UniqueConstraint("municipality_id", "committee_id", "year"),)

    committee_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("org_unit.id", ondelete="RESTRICT"), index=True
    )
    year: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(300))
    adopted_on: Mapped[date | None] = mapped_column(Date)
    decision_ref: Mapped[str | None] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)


class ControlPoint(IdMixin, TenantScoped, TimestampMixin, Base):
    """A control point (kontrollmoment): what is checked, how often, by whom, and its risk."""

    __tablename__ = "control_point"
    __audit_entity__ = "control_point"
    __table_args__ = (
        UniqueConstraint("plan_id", "number"),
        UniqueConstraint("carried_from_id"),
        CheckConstraint("number >= 1", name="number_positive"),
        one_of("method", ControlMethod),
        CheckConstraint("probability BETWEEN 1 AND 4", name="probability_range"),
        CheckConstraint("consequence BETWEEN 1 AND 4", name="consequence_range"),
        CheckConstraint(
            "(probability IS NULL AND consequence IS NULL AND risk_assessed_on IS NULL)"
            " OR (probability IS NOT NULL AND consequence IS NOT NULL"
            " AND risk_assessed_on IS NOT NULL)",
            name="risk_complete",
        ),
        one_of("target_kind", ControlTargetKind),
        one_of("tolerance_kind", ToleranceKind),
    )

    plan_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("control_plan.id", ondelete="RESTRICT"), index=True
    )
    number: Mapped[int] = mapped_column(Integer)
    area: Mapped[str | None] = mapped_column(String(200))
    process: Mapped[str] = mapped_column(String(500))
    objective: Mapped[str] = mapped_column(Text)
    responsible_role: Mapped[str] = mapped_column(String(200))
    # The unit that performs the check; a reporter limited to a subtree records results there.
    org_unit_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("org_unit.id", ondelete="RESTRICT"), index=True
    )
    method: Mapped[str | None] = mapped_column(String(20))
    method_description: Mapped[str | None] = mapped_column(Text)
    # {"kind": "monthly"} | {"kind": "given_months", "months": [4, 8, 12]} |
    # {"kind": "yearly", "month": 11}; see app.control.schedule.
    frequency: Mapped[dict[str, Any]] = mapped_column(JSON)
    report_to: Mapped[str | None] = mapped_column(String(200))
    report_when: Mapped[str | None] = mapped_column(String(200))
    # The risk assessment; the risk value is probability × consequence (app.rules.control).
    probability: Mapped[int | None] = mapped_column(Integer)
    consequence: Mapped[int | None] = mapped_column(Integer)
    risk_assessed_on: Mapped[date | None] = mapped_column(Date)
    risk_rationale: Mapped[str | None] = mapped_column(Text)
    # A quantitative control objective; without one, "all checked cases without deviation".
    target_kind: Mapped[str | None] = mapped_column(String(20))
    target_value: Mapped[Decimal | None] = mapped_column(Amount)
    target_low: Mapped[Decimal | None] = mapped_column(Amount)
    target_high: Mapped[Decimal | None] = mapped_column(Amount)
    tolerance_kind: Mapped[str | None] = mapped_column(String(20))
    tolerance_value: Mapped[Decimal | None] = mapped_column(Amount)
    target_text: Mapped[str | None] = mapped_column(String(200))
    # The point in an earlier year's plan this one continues (överföring till nästa års plan).
    carried_from_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("control_point.id", ondelete="RESTRICT")
    )


class ControlResult(IdMixin, TenantScoped, TimestampMixin, Base):
    """The result of one check of a control point, on one occasion (a month of the plan's year)."""

    __tablename__ = "control_result"
    __audit_entity__ = "control_result"
    __table_args__ = (
        UniqueConstraint("point_id", "occasion"),
        CheckConstraint("checked_count >= 0", name="checked_count_non_negative"),
        CheckConstraint("deviation_count >= 0", name="deviation_count_non_negative"),
        CheckConstraint(
            "deviation_count IS NULL OR checked_count IS NULL OR deviation_count <= checked_count",
            name="deviations_within_checked",
        ),
    )

    point_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("control_point.id", ondelete="RESTRICT"), index=True
    )
    occasion: Mapped[str] = mapped_column(String(7))
    checked_on: Mapped[date | None] = mapped_column(Date)
    checked_count: Mapped[int | None] = mapped_column(Integer)
    deviation_count: Mapped[int | None] = mapped_column(Integer)
    measured_value: Mapped[Decimal | None] = mapped_column(Amount)
    comment: Mapped[str | None] = mapped_column(Text)
    measures: Mapped[str | None] = mapped_column(Text)
    recorded_by: Mapped[str] = mapped_column(String(200))
