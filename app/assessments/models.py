"""Manual assessments: an editor's judgement of an indicator or goal for a period (DOMAIN §6.1.4).

Shown beside the computed status, never instead of it. Every assessment is kept: the latest for
(subject, org unit, period) is the current one, the earlier ones are its history.
"""

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, IdMixin, TenantScoped, one_of, utcnow
from app.rules.definitions import Status


class SubjectType(StrEnum):
    INDICATOR = "indicator"
    GOAL = "goal"


class Assessment(IdMixin, TenantScoped, Base):
    __tablename__ = "assessment"
    __audit_entity__ = "assessment"
    __table_args__ = (
        one_of("subject_type", SubjectType),
        one_of("status", Status),
        Index("ix_assessment_subject", "subject_id", "org_unit_id", "period"),
    )

    subject_type: Mapped[str] = mapped_column(String(20))
    subject_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    org_unit_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("org_unit.id", ondelete="RESTRICT")
    )
    period: Mapped[str] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(String(20))
    comment: Mapped[str] = mapped_column(Text)
    assessed_by: Mapped[str] = mapped_column(String(200))
    assessed_at: Mapped[datetime] = mapped_column(default=utcnow)
