"""Budget frames, budget categories (with ERP accounts) and budget lines (DOMAIN §7).

**Amounts are integer öre** (``BigInteger``, SEK × 100) in every table. PostgreSQL's NUMERIC
would be exact, but SQLite stores NUMERIC as an 8-byte float, and the suite and the embedded
installation run on SQLite: integers are exact on both engines, their SQL sums are exact, and a
follow-up adds up millions of lines. The API speaks SEK as decimals with at most two places;
``app.budget.money`` converts at the edge. A frame adjustment may be negative; every other
amount is ≥ 0 and its category says whether it is revenue or cost.

A **budget line** is keyed by org unit, category, ERP account (``""`` when sent by category),
year, month (``0`` = the whole year; the API shows ``null``), scenario and — for forecasts only —
the forecast date. A key is annual or monthly, never both (checked on write), so adding lines
never counts the same money twice.
"""

import uuid
from datetime import date
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
    Uuid,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, IdMixin, TenantScoped, TimestampMixin, one_of


class CategoryKind(StrEnum):
    REVENUE = "revenue"
    COST = "cost"


class Scenario(StrEnum):
    BUDGET = "budget"
    PLAN = "plan"  # later years of the plan
    FORECAST = "forecast"  # prognos, dated
    OUTCOME = "outcome"  # utfall


class AdjustmentKind(StrEnum):
    INDEX = "index"  # price and wage index (PKV)
    PENSION = "pension"
    EFFICIENCY = "efficiency"  # effektiviseringskrav
    VOLUME = "volume"
    OTHER = "other"


WHOLE_YEAR = 0  # ``BudgetLine.month`` of an annual line


class BudgetCategory(IdMixin, TenantScoped, TimestampMixin, Base):
    """A revenue or cost category of the municipality's chart (seed 000 by default)."""

    __tablename__ = "budget_category"
    __audit_entity__ = "budget_category"
    __table_args__ = (
        UniqueConstraint("municipality_id", "code"),
        one_of("kind", CategoryKind),
        CheckConstraint("NOT is_allocation OR kind = 'revenue'", name="allocation_is_revenue"),
    )

    code: Mapped[str] = mapped_column(String(50))
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(10))
    # The municipal allocation (kommunbidrag): its budget lines are what a frame allocates.
    is_allocation: Mapped[bool] = mapped_column(Boolean, default=False)
    position: Mapped[int] = mapped_column(Integer, default=0)
    # Twelve non-negative weights as decimal strings; None = every month the same.
    monthly_profile: Mapped[list[Any] | None] = mapped_column(JSON)


class BudgetAccount(IdMixin, TenantScoped, Base):
    """An ERP account code and the category its amounts belong to."""

    __tablename__ = "budget_account"
    __audit_entity__ = "budget_account"
    __table_args__ = (UniqueConstraint("municipality_id", "code"),)

    code: Mapped[str] = mapped_column(String(50))
    category_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("budget_category.id", ondelete="RESTRICT"), index=True
    )


class BudgetFrame(IdMixin, TenantScoped, TimestampMixin, Base):
    """A committee's budget frame (kommunbidrag) for a year, as the council decided it."""

    __tablename__ = "budget_frame"
    __audit_entity__ = "budget_frame"
    __table_args__ = (
        UniqueConstraint("municipality_id", "org_unit_id", "year"),
        CheckConstraint("amount_ore >= 0", name="amount_not_negative"),
        CheckConstraint(
            "previous_amount_ore IS NULL OR previous_amount_ore >= 0",
            name="previous_not_negative",
        ),
    )

    org_unit_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("org_unit.id", ondelete="RESTRICT"), index=True
    )
    year: Mapped[int] = mapped_column(Integer)
    amount_ore: Mapped[int] = mapped_column(BigInteger)
    # The frame the change is measured from, when stated; else the previous year's frame.
    previous_amount_ore: Mapped[int | None] = mapped_column(BigInteger)
    decision_ref: Mapped[str | None] = mapped_column(String(200))
    decided_on: Mapped[date | None] = mapped_column(Date)
    comment: Mapped[str | None] = mapped_column(Text)


class BudgetFrameAdjustment(IdMixin, TenantScoped, Base):
    """One cause of the change from the previous frame; the adjustments should add up to it."""

    __tablename__ = "budget_frame_adjustment"
    __audit_entity__ = "budget_frame_adjustment"
    __table_args__ = (one_of("kind", AdjustmentKind),)

    frame_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("budget_frame.id", ondelete="RESTRICT"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(20))
    description: Mapped[str] = mapped_column(String(500))
    amount_ore: Mapped[int] = mapped_column(BigInteger)  # signed: + raises the frame


class BudgetLine(IdMixin, TenantScoped, TimestampMixin, Base):
    """An amount for an org unit, category, year (and month) and scenario."""

    __tablename__ = "budget_line"
    __audit_entity__ = "budget_line"
    __table_args__ = (
        one_of("scenario", Scenario),
        CheckConstraint("month BETWEEN 0 AND 12", name="month_range"),
        CheckConstraint("amount_ore >= 0", name="amount_not_negative"),
        CheckConstraint(
            "(scenario = 'forecast' AND forecast_date IS NOT NULL)"
            " OR (scenario <> 'forecast' AND forecast_date IS NULL)",
            name="forecast_dated",
        ),
        # The natural key; NULL forecast dates would be distinct, hence two partial indexes.
        Index(
            "uq_budget_line_key",
            "org_unit_id",
            "category_id",
            "account_code",
            "year",
            "month",
            "scenario",
            unique=True,
            sqlite_where=text("forecast_date IS NULL"),
            postgresql_where=text("forecast_date IS NULL"),
        ),
        Index(
            "uq_budget_line_forecast_key",
            "org_unit_id",
            "category_id",
            "account_code",
            "year",
            "month",
            "forecast_date",
            unique=True,
            sqlite_where=text("forecast_date IS NOT NULL"),
            postgresql_where=text("forecast_date IS NOT NULL"),
        ),
        Index("ix_budget_line_unit_year", "org_unit_id", "year"),
        Index("ix_budget_line_batch", "batch_id"),
    )

    org_unit_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("org_unit.id", ondelete="RESTRICT")
    )
    category_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("budget_category.id", ondelete="RESTRICT"), index=True
    )
    account_code: Mapped[str] = mapped_column(String(50), default="")
    year: Mapped[int] = mapped_column(Integer)
    month: Mapped[int] = mapped_column(SmallInteger, default=WHOLE_YEAR)
    scenario: Mapped[str] = mapped_column(String(10))
    forecast_date: Mapped[date | None] = mapped_column(Date)
    amount_ore: Mapped[int] = mapped_column(BigInteger)
    source_system: Mapped[str | None] = mapped_column(String(100))
    comment: Mapped[str | None] = mapped_column(Text)
    recorded_by: Mapped[str] = mapped_column(String(200))
    batch_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
