"""Out-of-home placements (placeringar, DOMAIN §8): categories, providers, episodes with their
daily-rate periods, monthly aggregates from systems that only report totals, and budgets.

Decisions, written down once:

* **Money is integer öre** (``BigInteger``): SQLite stores ``NUMERIC`` as an 8-byte float, and
  summing a year of daily costs in floats drifts by öre; integers are exact on both engines, and
  the database can add them up (care days × daily rate is an exact integer product too). The API
  speaks SEK with at most two decimals; :mod:`app.placements.money` converts at the edge.
* **Care days are whole days, both ends counted**: an episode from 1 to 3 March is 3 care days.
  A daily-rate period is clipped to the episode, and the rate periods cover the episode exactly —
  no gap, no overlap (checked on every write) — so the care days of an episode are the days of its
  rate periods, and its cost is Σ days × rate over them.
* **Episodes and aggregates are written set-based** through one write path each (the single
  routes and the batch ingest both come there) which appends a version per changed row
  (:mod:`app.versions`, the rate periods inside the episode's content) and, for a single write,
  an audit event with before and after; a batch is audited by one event (issue 18). So
  ``Placement``, ``PlacementRate`` and ``PlacementAggregate`` declare no ``__audit_entity__``.
  Categories, providers and budgets are written through the ORM and audited automatically.
* Aggregates are keyed by month as ``YYYY-MM`` text, which sorts chronologically on both engines.
"""

import uuid
from datetime import date
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    Uuid,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, IdMixin, TenantScoped, TimestampMixin, one_of


class PlacementLegalBasis(StrEnum):
    SOL = "SoL"
    LVU = "LVU"
    LVM = "LVM"


class PlacementTargetGroup(StrEnum):
    CHILDREN = "children"  # barn och unga (0–20)
    ADULTS = "adults"


class PlacementRegime(StrEnum):
    OWN = "own"  # egen regi
    EXTERNAL = "external"  # extern regi: bought from a provider
    MIXED = "mixed"  # a municipality's reporting category that bundles both (seed 004 table 2)


class EpisodeGender(StrEnum):
    WOMEN = "women"
    MEN = "men"


class PlacementAgeBand(StrEnum):
    CHILD = "0-12"
    TEEN = "13-17"
    YOUNG_ADULT = "18-20"
    ADULT = "21+"


class PlacementCategory(IdMixin, TenantScoped, TimestampMixin, Base):
    """A kind of placement. The standard set of DOMAIN §8 is materialised per municipality."""

    __tablename__ = "placement_category"
    __audit_entity__ = "placement_category"
    __table_args__ = (
        UniqueConstraint("municipality_id", "code"),
        one_of("target_group", PlacementTargetGroup),
        one_of("regime", PlacementRegime),
    )

    code: Mapped[str] = mapped_column(String(50))
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    legal_basis: Mapped[list[Any]] = mapped_column(JSON)
    target_group: Mapped[str] = mapped_column(String(20))
    regime: Mapped[str] = mapped_column(String(20))
    standard: Mapped[bool] = mapped_column(default=False)
    # A reporting total over other categories (seed 003's "Familjehemsplaceringar (totalt)" over
    # own and purchased family homes): the follow-up computes its row from its children, nothing
    # is stored twice. One level: a parent has no parent.
    parent_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("placement_category.id"), index=True
    )


class PlacementProvider(IdMixin, TenantScoped, TimestampMixin, Base):
    """A provider (utförare): HVB, consultant-supported family homes, supported housing, …"""

    __tablename__ = "placement_provider"
    __audit_entity__ = "placement_provider"
    __table_args__ = (UniqueConstraint("municipality_id", "organisation_number"),)

    name: Mapped[str] = mapped_column(String(200))
    organisation_number: Mapped[str | None] = mapped_column(String(11))
    # Seed 003: the IVO permit of every provider in use is checked yearly, in January.
    ivo_permit_checked_on: Mapped[date | None] = mapped_column(Date)
    comment: Mapped[str | None] = mapped_column(Text)


class Placement(IdMixin, TenantScoped, TimestampMixin, Base):
    """One episode: a pseudonymised case placed in one category, from a start to an end date."""

    __tablename__ = "placement"
    __table_args__ = (
        UniqueConstraint("municipality_id", "case_ref", "start_date"),
        CheckConstraint("end_date IS NULL OR end_date >= start_date", name="date_range"),
        one_of("gender", EpisodeGender),
        one_of("age_band", PlacementAgeBand),
        Index("ix_placement_unit_category", "org_unit_id", "category_id"),
        Index("ix_placement_batch", "batch_id"),
    )

    case_ref: Mapped[str] = mapped_column(String(100))
    category_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("placement_category.id", ondelete="RESTRICT"), index=True
    )
    org_unit_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("org_unit.id", ondelete="RESTRICT")
    )
    provider_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("placement_provider.id", ondelete="RESTRICT"), index=True
    )
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    gender: Mapped[str | None] = mapped_column(String(10))
    age_band: Mapped[str | None] = mapped_column(String(10))
    source_system: Mapped[str | None] = mapped_column(String(100))
    comment: Mapped[str | None] = mapped_column(Text)
    batch_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)


class PlacementRate(IdMixin, TenantScoped, Base):
    """A daily rate valid from one day to another (open-ended while the episode is)."""

    __tablename__ = "placement_rate"
    __table_args__ = (
        UniqueConstraint("placement_id", "valid_from"),
        CheckConstraint("valid_to IS NULL OR valid_to >= valid_from", name="valid_range"),
        CheckConstraint("daily_rate_ore >= 0", name="rate_not_negative"),
    )

    placement_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("placement.id", ondelete="CASCADE"), index=True
    )
    valid_from: Mapped[date] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)
    daily_rate_ore: Mapped[int] = mapped_column(BigInteger)


class PlacementAggregate(IdMixin, TenantScoped, TimestampMixin, Base):
    """Care days and net cost of one category at one org unit in one period (a month, or the
    quarter, tertial, half or year its system reports), as a system sent it."""

    __tablename__ = "placement_aggregate"
    __table_args__ = (
        UniqueConstraint("category_id", "org_unit_id", "period"),
        CheckConstraint("care_days >= 0", name="care_days_not_negative"),
        Index("ix_placement_aggregate_unit_period", "org_unit_id", "period"),
        Index("ix_placement_aggregate_batch", "batch_id"),
    )

    category_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("placement_category.id", ondelete="RESTRICT")
    )
    org_unit_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("org_unit.id", ondelete="RESTRICT")
    )
    period: Mapped[str] = mapped_column(String(7))  # a month, quarter, tertial, half or year
    care_days: Mapped[int] = mapped_column(Integer)
    # Net: costs less revenue (e.g. the Migration Agency's flat-rate compensation), may be < 0.
    net_cost_ore: Mapped[int] = mapped_column(BigInteger)
    source_system: Mapped[str | None] = mapped_column(String(100))
    comment: Mapped[str | None] = mapped_column(Text)
    batch_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)


class PlacementBudget(IdMixin, TenantScoped, TimestampMixin, Base):
    """Budgeted care days and amount for a category at an org unit in a year (seed 004 tables
    2–5), with the expected cost of placements not yet made (the forecast's inflow)."""

    __tablename__ = "placement_budget"
    __audit_entity__ = "placement_budget"
    __table_args__ = (
        UniqueConstraint("category_id", "org_unit_id", "year"),
        CheckConstraint("care_days IS NULL OR care_days >= 0", name="care_days_not_negative"),
        CheckConstraint("amount_ore >= 0", name="amount_not_negative"),
        CheckConstraint(
            "expected_inflow_ore IS NULL OR expected_inflow_ore >= 0",
            name="inflow_not_negative",
        ),
    )

    category_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("placement_category.id", ondelete="RESTRICT")
    )
    org_unit_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("org_unit.id", ondelete="RESTRICT"), index=True
    )
    year: Mapped[int] = mapped_column(Integer)
    care_days: Mapped[int | None] = mapped_column(Integer)
    amount_ore: Mapped[int] = mapped_column(BigInteger)
    expected_inflow_ore: Mapped[int | None] = mapped_column(BigInteger)
    comment: Mapped[str | None] = mapped_column(Text)
