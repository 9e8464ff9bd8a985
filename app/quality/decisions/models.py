"""Granted decisions whose execution is followed up, and interruptions of their execution.

A decision (gynnande beslut, SoL 4 kap. 1 § or LSS 9 §) is registered when granted; it is
executed on ``executed_on``, may cease without execution on ``ended_on``, and an executed one may
be interrupted (``DecisionInterruption``: from ``interrupted_on`` until ``resumed_on``). What is
reportable to IVO at a quarter's end is computed from these dates (``app.quality.decisions.ivo``).
"""

import uuid
from datetime import date
from enum import StrEnum

from sqlalchemy import CheckConstraint, Date, ForeignKey, String, Text, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, IdMixin, TenantScoped, TimestampMixin, one_of


class InterventionType(StrEnum):
    CONTACT_PERSON_FAMILY = "contact_person_family"  # kontaktperson/-familj
    FAMILY_TREATMENT = "family_treatment"  # familjebehandling
    FAMILY_HOME = "family_home"  # familjehem
    RESIDENTIAL_CARE = "residential_care"  # HVB
    SUPPORTED_HOUSING = "supported_housing"  # stödboende
    OUTPATIENT_TREATMENT = "outpatient_treatment"  # öppenvårdsbehandling
    PERSONAL_ASSISTANCE = "personal_assistance"  # LSS personlig assistans
    COMPANION_SERVICE = "companion_service"  # ledsagarservice
    SHORT_TERM_STAY = "short_term_stay"  # korttidsvistelse
    SPECIAL_HOUSING = "special_housing"  # bostad med särskild service
    DAILY_ACTIVITY = "daily_activity"  # daglig verksamhet
    OTHER = "other"


class LegalBasis(StrEnum):
    SOL_4_1 = "sol_4_1"  # socialtjänstlagen 4 kap. 1 §
    LSS_9 = "lss_9"  # lagen om stöd och service 9 §
    OTHER = "other"


class DecisionGender(StrEnum):
    WOMEN = "women"
    MEN = "men"


class UnexecutedDecision(IdMixin, TenantScoped, TimestampMixin, Base):
    __tablename__ = "unexecuted_decision"
    __audit_entity__ = "unexecuted_decision"
    __table_args__ = (
        UniqueConstraint("municipality_id", "source", "reference"),
        one_of("intervention_type", InterventionType),
        one_of("legal_basis", LegalBasis),
        one_of("gender", DecisionGender),
        CheckConstraint(
            "executed_on IS NULL OR executed_on >= decision_on", name="executed_after_decision"
        ),
        CheckConstraint("ended_on IS NULL OR ended_on >= decision_on", name="ended_after_decision"),
    )

    org_unit_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("org_unit.id", ondelete="RESTRICT"), index=True
    )
    decision_on: Mapped[date] = mapped_column(Date, index=True)
    intervention_type: Mapped[str] = mapped_column(String(30))
    legal_basis: Mapped[str] = mapped_column(String(20))
    gender: Mapped[str] = mapped_column(String(10))
    executed_on: Mapped[date | None] = mapped_column(Date)
    ended_on: Mapped[date | None] = mapped_column(Date)
    reason: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str | None] = mapped_column(String(100))
    reference: Mapped[str | None] = mapped_column(String(100))


class DecisionInterruption(IdMixin, TenantScoped, TimestampMixin, Base):
    __tablename__ = "decision_interruption"
    __audit_entity__ = "decision_interruption"
    __table_args__ = (
        CheckConstraint(
            "resumed_on IS NULL OR resumed_on >= interrupted_on", name="resumed_after_interrupted"
        ),
    )

    decision_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("unexecuted_decision.id", ondelete="CASCADE"), index=True
    )
    interrupted_on: Mapped[date] = mapped_column(Date)
    resumed_on: Mapped[date | None] = mapped_column(Date)
    reason: Mapped[str | None] = mapped_column(Text)
