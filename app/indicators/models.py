"""Indicators (indikatorer, nyckeltal) and their yearly targets (DOMAIN §4)."""

import uuid
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String, Text, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Amount, Base, IdMixin, TenantScoped, TimestampMixin, one_of
from app.rules.definitions import Aggregation, ColourMode, Polarity, TargetKind, ToleranceKind
from app.rules.reporting import DEFAULT_DUE_DAY, DEFAULT_DUE_MONTHS


class Unit(StrEnum):
    PERCENT = "percent"
    COUNT = "count"
    SEK = "sek"
    DAYS = "days"
    INDEX = "index"
    LITRES = "litres"
    HOURS = "hours"
    RATIO = "ratio"
    OTHER = "other"


class Periodicity(StrEnum):
    MONTH = "month"
    QUARTER = "quarter"
    TERTIAL = "tertial"
    HALF = "half"
    YEAR = "year"


class Indicator(IdMixin, TenantScoped, TimestampMixin, Base):
    __tablename__ = "indicator"
    __audit_entity__ = "indicator"
    __table_args__ = (
        UniqueConstraint("municipality_id", "code"),
        one_of("unit", Unit),
        one_of("polarity", Polarity),
        one_of("periodicity", Periodicity),
        one_of("aggregation", Aggregation),
        one_of("colour_mode", ColourMode),
    )

    code: Mapped[str] = mapped_column(String(50))
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str | None] = mapped_column(Text)
    unit: Mapped[str] = mapped_column(String(20))
    polarity: Mapped[str] = mapped_column(String(20))
    periodicity: Mapped[str] = mapped_column(String(20))
    aggregation: Mapped[str] = mapped_column(String(20))
    gender_split: Mapped[bool] = mapped_column(default=False)
    source: Mapped[str | None] = mapped_column(String(100))
    kolada_kpi: Mapped[str | None] = mapped_column(String(20))
    colour_mode: Mapped[str] = mapped_column(
        String(20), default=ColourMode.TARGET.value, server_default=ColourMode.TARGET.value
    )
    # The group a `quartile` indicator is coloured among; a group in use cannot be deleted.
    benchmark_group_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("benchmark_group.id"), index=True
    )
    baseline_value: Mapped[Decimal | None] = mapped_column(Amount)
    baseline_period: Mapped[str | None] = mapped_column(String(10))
    baseline_text: Mapped[str | None] = mapped_column(String(100))
    # Twelve monthly weights summing to 1, for pro-rating annual targets of `sum` indicators.
    seasonal_profile: Mapped[list[Any] | None] = mapped_column(JSON)
    # value = numerator / denominator × ratio_scale (100 for percentages).
    ratio_scale: Mapped[Decimal] = mapped_column(Amount, default=Decimal(1))
    valid_from_year: Mapped[int] = mapped_column(Integer)
    valid_to_year: Mapped[int | None] = mapped_column(Integer)
    # A period's value is due on this day of the month `report_due_months` after the period ends
    # (default: the 10th of the next month), see app.rules.reporting.
    report_due_day: Mapped[int] = mapped_column(
        Integer, default=DEFAULT_DUE_DAY, server_default=str(DEFAULT_DUE_DAY)
    )
    report_due_months: Mapped[int] = mapped_column(
        Integer, default=DEFAULT_DUE_MONTHS, server_default=str(DEFAULT_DUE_MONTHS)
    )


class Target(IdMixin, TenantScoped, TimestampMixin, Base):
    __tablename__ = "target"
    __audit_entity__ = "target"
    __table_args__ = (
        UniqueConstraint("indicator_id", "year"),
        one_of("kind", TargetKind),
        one_of("tolerance_kind", ToleranceKind),
    )

    indicator_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("indicator.id", ondelete="CASCADE"), index=True
    )
    year: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(20))
    value: Mapped[Decimal | None] = mapped_column(Amount)
    low: Mapped[Decimal | None] = mapped_column(Amount)
    high: Mapped[Decimal | None] = mapped_column(Amount)
    # For increase/decrease: the relative change required, as a fraction (0.10 = 10 %).
    min_change: Mapped[Decimal | None] = mapped_column(Amount)
    tolerance_kind: Mapped[str | None] = mapped_column(String(20))
    tolerance_value: Mapped[Decimal | None] = mapped_column(Amount)
    # The target as the plan wrote it, e.g. "minska med 10 %".
    text: Mapped[str | None] = mapped_column(String(200))


__all__ = [
    "Aggregation",
    "ColourMode",
    "Indicator",
    "Periodicity",
    "Polarity",
    "Target",
    "TargetKind",
    "ToleranceKind",
    "Unit",
]
