"""Feedback (synpunkter): complaints, praise and suggestions, with received and answered dates."""

import uuid
from datetime import date
from enum import StrEnum

from sqlalchemy import CheckConstraint, Date, ForeignKey, String, Text, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, IdMixin, TenantScoped, TimestampMixin, one_of


class FeedbackKind(StrEnum):
    COMPLAINT = "complaint"  # klagomål
    PRAISE = "praise"  # beröm
    SUGGESTION = "suggestion"  # förslag


class FeedbackTopic(StrEnum):
    ACCESSIBILITY = "accessibility"  # tillgänglighet
    TREATMENT = "treatment"  # bemötande
    COMPETENCE = "competence"  # kompetens
    SERVICE_NOT_WORKING = "service_not_working"  # tjänsten fungerar inte
    OTHER = "other"  # övrigt


class Feedback(IdMixin, TenantScoped, TimestampMixin, Base):
    __tablename__ = "feedback"
    __audit_entity__ = "feedback"
    __table_args__ = (
        UniqueConstraint("municipality_id", "source", "reference"),
        one_of("kind", FeedbackKind),
        one_of("topic", FeedbackTopic),
        CheckConstraint(
            "answered_on IS NULL OR answered_on >= received_on", name="answered_after_received"
        ),
    )

    org_unit_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("org_unit.id", ondelete="RESTRICT"), index=True
    )
    kind: Mapped[str] = mapped_column(String(20))
    # NULL: not categorised (praise usually is not; older registrations often were not).
    topic: Mapped[str | None] = mapped_column(String(30))
    received_on: Mapped[date] = mapped_column(Date, index=True)
    answered_on: Mapped[date | None] = mapped_column(Date)
    summary: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str | None] = mapped_column(String(100))
    reference: Mapped[str | None] = mapped_column(String(100))
