"""Kolada values for any municipality, Kolada KPI metadata, and municipality groups.

Benchmark values are Kolada's numbers, not the municipality's own measurements: one row per
(kpi, municipality, year, gender), a ``value`` of ``NULL`` where Kolada has none (missing), and
Kolada's ``status`` kept verbatim as opaque text. They are written set-based by the import, which
records one audit event per import (not one per value). Groups are audited like every definition.
"""

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.sql.elements import conv

from app.db import Amount, Base, IdMixin, TenantScoped, TimestampMixin, one_of, utcnow
from app.measurements.models import Gender


class BenchmarkValue(IdMixin, TenantScoped, Base):
    __tablename__ = "benchmark_value"
    __table_args__ = (
        # The upsert key; also serves the comparison's lookup by (kpi, year).
        UniqueConstraint(
            "municipality_id",
            "kpi",
            "year",
            "municipality_code",
            "gender",
            name=conv("uq_benchmark_value_key"),
        ),
        one_of("gender", Gender),
    )

    kpi: Mapped[str] = mapped_column(String(20))
    municipality_code: Mapped[str] = mapped_column(String(4))
    year: Mapped[int] = mapped_column(Integer)
    gender: Mapped[str] = mapped_column(String(10))
    value: Mapped[Decimal | None] = mapped_column(Amount)
    count: Mapped[int | None] = mapped_column(Integer)
    status: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class KoladaKpi(IdMixin, TenantScoped, Base):
    """A Kolada KPI's metadata, to map indicators to KPIs (``kpi`` is Kolada's id, e.g. N00945)."""

    __tablename__ = "kolada_kpi"
    __table_args__ = (UniqueConstraint("municipality_id", "kpi"),)

    kpi: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(500))
    description: Mapped[str | None] = mapped_column(Text)
    is_divided_by_gender: Mapped[bool] = mapped_column(default=False)
    municipality_type: Mapped[str | None] = mapped_column(String(10))
    operating_area: Mapped[str | None] = mapped_column(String(500))
    has_ou_data: Mapped[bool | None] = mapped_column()
    publication_date: Mapped[str | None] = mapped_column(String(30))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class BenchmarkGroup(IdMixin, TenantScoped, TimestampMixin, Base):
    """A group of municipalities to compare with, e.g. "Liknande kommuner IFO" (seed 001 §7).

    ``members`` is a list of ``{"code": "0980", "name": "Gotland"}``: the names are needed to name
    the best performers. Kept as one JSON column so that each change is one whole audit event.
    """

    __tablename__ = "benchmark_group"
    __audit_entity__ = "benchmark_group"
    __table_args__ = (UniqueConstraint("municipality_id", "name"),)

    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    members: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
