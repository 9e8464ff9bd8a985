"""Deviation reports (avvikelser), their dated workflow transitions and their measures.

The workflow is ``reported → investigating → measures_decided → closed``; each move is a
:class:`DeviationTransition` row (dated, by whom) and the report carries its current ``status``
and, while closed, the ``closed_on`` date. A report may be a Lex Sarah report: then the
investigation outcome, whether it is serious, and for a serious one the IVO notification date
and reference live in the ``lex_sarah_*`` and ``ivo_*`` columns.
"""

import uuid
from datetime import date
from enum import StrEnum

from sqlalchemy import CheckConstraint, Date, ForeignKey, String, Text, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, IdMixin, TenantScoped, TimestampMixin, one_of


class DeviationCategory(StrEnum):
    ROUTINE = "routine"  # rutin saknas eller följs inte
    INFORMATION = "information"  # information/kommunikation
    COLLABORATION = "collaboration"  # samverkan internt eller externt
    LEGAL_REQUIREMENT = "legal_requirement"  # lagkrav, föreskrift eller beslut följs inte
    DOCUMENTATION = "documentation"
    IT_SYSTEM = "it_system"
    OTHER = "other"


class Severity(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


class DeviationStatus(StrEnum):
    REPORTED = "reported"
    INVESTIGATING = "investigating"
    MEASURES_DECIDED = "measures_decided"
    CLOSED = "closed"


class LexSarahOutcome(StrEnum):
    MALTREATMENT = "maltreatment"  # missförhållande
    RISK_OF_MALTREATMENT = "risk_of_maltreatment"  # påtaglig risk för missförhållande
    NEITHER = "neither"


class DeviationReport(IdMixin, TenantScoped, TimestampMixin, Base):
    __tablename__ = "deviation_report"
    __audit_entity__ = "deviation_report"
    __table_args__ = (
        UniqueConstraint("municipality_id", "source", "reference"),
        one_of("category", DeviationCategory),
        one_of("severity", Severity),
        one_of("status", DeviationStatus),
        one_of("lex_sarah_outcome", LexSarahOutcome),
        CheckConstraint("occurred_on IS NULL OR occurred_on <= reported_on", name="occurred_first"),
        CheckConstraint(
            "(status = 'closed') = (closed_on IS NOT NULL)", name="closed_on_when_closed"
        ),
        CheckConstraint(
            "lex_sarah OR (lex_sarah_outcome IS NULL AND lex_sarah_serious IS NULL"
            " AND ivo_notified_on IS NULL AND ivo_reference IS NULL)",
            name="lex_sarah_fields",
        ),
    )

    org_unit_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("org_unit.id", ondelete="RESTRICT"), index=True
    )
    category: Mapped[str] = mapped_column(String(30))
    severity: Mapped[str] = mapped_column(String(10))
    description: Mapped[str] = mapped_column(Text)
    occurred_on: Mapped[date | None] = mapped_column(Date)
    reported_on: Mapped[date] = mapped_column(Date, index=True)
    status: Mapped[str] = mapped_column(String(20), default=DeviationStatus.REPORTED.value)
    closed_on: Mapped[date | None] = mapped_column(Date)
    lex_sarah: Mapped[bool] = mapped_column(default=False)
    lex_sarah_outcome: Mapped[str | None] = mapped_column(String(30))
    lex_sarah_serious: Mapped[bool | None]
    ivo_notified_on: Mapped[date | None] = mapped_column(Date)
    ivo_reference: Mapped[str | None] = mapped_column(String(100))
    source: Mapped[str | None] = mapped_column(String(100))
    reference: Mapped[str | None] = mapped_column(String(100))


class DeviationTransition(IdMixin, TenantScoped, TimestampMixin, Base):
    """One move of the workflow; the first row of a report (``from_status`` NULL) is its filing."""

    __tablename__ = "deviation_transition"
    __audit_entity__ = "deviation_transition"
    __table_args__ = (
        one_of("from_status", DeviationStatus),
        one_of("to_status", DeviationStatus),
    )

    report_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("deviation_report.id", ondelete="CASCADE"), index=True
    )
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20))
    moved_on: Mapped[date] = mapped_column(Date)
    comment: Mapped[str | None] = mapped_column(Text)
    actor: Mapped[str] = mapped_column(String(200))
    actor_name: Mapped[str | None] = mapped_column(String(200))


class DeviationMeasure(IdMixin, TenantScoped, TimestampMixin, Base):
    """A measure (åtgärd) decided on ``decided_on``: due by ``due_on``, done on ``done_on``."""

    __tablename__ = "deviation_measure"
    __audit_entity__ = "deviation_measure"
    __table_args__ = (
        CheckConstraint("due_on >= decided_on", name="due_after_decided"),
        CheckConstraint("done_on IS NULL OR done_on >= decided_on", name="done_after_decided"),
    )

    report_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("deviation_report.id", ondelete="CASCADE"), index=True
    )
    description: Mapped[str] = mapped_column(Text)
    responsible: Mapped[str | None] = mapped_column(String(200))
    decided_on: Mapped[date] = mapped_column(Date)
    due_on: Mapped[date] = mapped_column(Date)
    done_on: Mapped[date | None] = mapped_column(Date)
