"""Measurements, versioned in system time (DOMAIN §5).

A :class:`Measurement` is the natural key (indicator, org unit, period, gender) with a stable id.
Its values live in :class:`MeasurementVersion` rows, each valid in system time from ``sys_from``
until ``sys_to`` (open while current). A change closes the current version and opens a new one; a
delete opens a tombstone version. So any read can ask "as of T" and see exactly what was known.
"""

import uuid
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import Date, ForeignKey, Index, String, Text, UniqueConstraint, Uuid, text
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Amount, Base, IdMixin, TenantScoped, one_of, utcnow


class Gender(StrEnum):
    TOTAL = "total"
    WOMEN = "women"
    MEN = "men"


class MeasurementStatus(StrEnum):
    FINAL = "final"
    PRELIMINARY = "preliminary"


class Measurement(IdMixin, TenantScoped, Base):
    __tablename__ = "measurement"
    __table_args__ = (
        UniqueConstraint("indicator_id", "org_unit_id", "period", "gender"),
        one_of("gender", Gender),
        Index("ix_measurement_org_unit_period", "org_unit_id", "period_start"),
    )

    indicator_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("indicator.id", ondelete="RESTRICT"), index=True
    )
    org_unit_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("org_unit.id", ondelete="RESTRICT")
    )
    period: Mapped[str] = mapped_column(String(10))
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    gender: Mapped[str] = mapped_column(String(10))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class MeasurementVersion(IdMixin, TenantScoped, Base):
    __tablename__ = "measurement_version"
    __table_args__ = (
        one_of("status", MeasurementStatus),
        Index("ix_measurement_version_history", "measurement_id", "sys_from"),
        Index("ix_measurement_version_batch", "batch_id"),
        # At most one current version per measurement.
        Index(
            "uq_measurement_version_current",
            "measurement_id",
            unique=True,
            sqlite_where=text("sys_to IS NULL"),
            postgresql_where=text("sys_to IS NULL"),
        ),
    )

    measurement_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("measurement.id", ondelete="RESTRICT")
    )
    value: Mapped[Decimal | None] = mapped_column(Amount)
    numerator: Mapped[Decimal | None] = mapped_column(Amount)
    denominator: Mapped[Decimal | None] = mapped_column(Amount)
    status: Mapped[str] = mapped_column(String(20), default=MeasurementStatus.FINAL.value)
    source_system: Mapped[str | None] = mapped_column(String(100))
    comment: Mapped[str | None] = mapped_column(Text)
    deleted: Mapped[bool] = mapped_column(default=False)
    recorded_by: Mapped[str] = mapped_column(String(200))
    batch_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    sys_from: Mapped[datetime] = mapped_column(default=utcnow)
    sys_to: Mapped[datetime | None]
