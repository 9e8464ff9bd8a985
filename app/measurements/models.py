"""Measurements, versioned in system time (DOMAIN §5).

A :class:`Measurement` is the natural key (indicator, org unit, period, gender) with a stable id.
Its values live in :class:`MeasurementVersion` rows, an append-only log: a version is valid in
system time from its ``sys_from`` until the ``sys_from`` of the measurement's next version (ties by
id, which is time-ordered), and the database refuses UPDATE and DELETE on it, as on the audit trail
(DOMAIN §3, §5, §11: the versions are the before and after of every value a batch wrote). A change
appends a version; a delete appends a tombstone version. So any read can ask "as of T" and see
exactly what was known.

Which version is current is kept on the key row, ``Measurement.current_version_id`` (the one
mutable pointer; no foreign key, since key and version are inserted together in either order), so
a "now" read joins one version by primary key instead of searching the log.
"""

import uuid
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import Date, ForeignKey, Index, String, Text, UniqueConstraint, Uuid
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

    # No index of its own: the unique key starts with indicator_id.
    indicator_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("indicator.id", ondelete="RESTRICT")
    )
    org_unit_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("org_unit.id", ondelete="RESTRICT")
    )
    period: Mapped[str] = mapped_column(String(10))
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    gender: Mapped[str] = mapped_column(String(10))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Always set by the writers. Nullable in the schema only because SQLite cannot add a NOT NULL
    # column to a table with rows without copying it, and the versions' foreign key refuses
    # that copy (migration 0014).
    current_version_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)


class MeasurementVersion(IdMixin, TenantScoped, Base):
    __tablename__ = "measurement_version"
    __table_args__ = (
        one_of("status", MeasurementStatus),
        Index("ix_measurement_version_history", "measurement_id", "sys_from"),
        Index("ix_measurement_version_batch", "batch_id"),
    )

    # Not indexed on its own, unlike other tenant-scoped tables: versions are always reached
    # through their measurement (or batch), never by municipality alone, and every index is paid
    # for on each value a batch writes (issue 18, measured in the README).
    municipality_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("municipality.id", ondelete="RESTRICT"), nullable=False
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
