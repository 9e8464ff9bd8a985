"""Placement categories, providers, episodes, monthly aggregates and budgets.

Money is integer öre (BIGINT): exact on both engines (see app/placements/models.py).

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-23 13:10:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "placement_category",
        sa.Column("code", sa.String(length=50), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("legal_basis", sa.JSON(), nullable=False),
        sa.Column("target_group", sa.String(length=20), nullable=False),
        sa.Column("regime", sa.String(length=20), nullable=False),
        sa.Column("standard", sa.Boolean(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("municipality_id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "regime IN ('own', 'external', 'mixed')",
            name=op.f("ck_placement_category_regime_known"),
        ),
        sa.CheckConstraint(
            "target_group IN ('children', 'adults')",
            name=op.f("ck_placement_category_target_group_known"),
        ),
        sa.ForeignKeyConstraint(
            ["municipality_id"],
            ["municipality.id"],
            name=op.f("fk_placement_category_municipality_id_municipality"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_placement_category")),
        sa.UniqueConstraint(
            "municipality_id", "code", name=op.f("uq_placement_category_municipality_id_code")
        ),
    )
    with op.batch_alter_table("placement_category", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_placement_category_municipality_id"), ["municipality_id"], unique=False
        )

    op.create_table(
        "placement_provider",
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("organisation_number", sa.String(length=11), nullable=True),
        sa.Column("ivo_permit_checked_on", sa.Date(), nullable=True),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("municipality_id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["municipality_id"],
            ["municipality.id"],
            name=op.f("fk_placement_provider_municipality_id_municipality"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_placement_provider")),
        sa.UniqueConstraint(
            "municipality_id",
            "organisation_number",
            name=op.f("uq_placement_provider_municipality_id_organisation_number"),
        ),
    )
    with op.batch_alter_table("placement_provider", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_placement_provider_municipality_id"), ["municipality_id"], unique=False
        )

    op.create_table(
        "placement",
        sa.Column("case_ref", sa.String(length=100), nullable=False),
        sa.Column("category_id", sa.Uuid(), nullable=False),
        sa.Column("org_unit_id", sa.Uuid(), nullable=False),
        sa.Column("provider_id", sa.Uuid(), nullable=True),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("gender", sa.String(length=10), nullable=True),
        sa.Column("age_band", sa.String(length=10), nullable=True),
        sa.Column("source_system", sa.String(length=100), nullable=True),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("batch_id", sa.Uuid(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("municipality_id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "age_band IN ('0-12', '13-17', '18-20', '21+')",
            name=op.f("ck_placement_age_band_known"),
        ),
        sa.CheckConstraint("gender IN ('women', 'men')", name=op.f("ck_placement_gender_known")),
        sa.CheckConstraint(
            "end_date IS NULL OR end_date >= start_date", name=op.f("ck_placement_date_range")
        ),
        sa.ForeignKeyConstraint(
            ["category_id"],
            ["placement_category.id"],
            name=op.f("fk_placement_category_id_placement_category"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["municipality_id"],
            ["municipality.id"],
            name=op.f("fk_placement_municipality_id_municipality"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["org_unit_id"],
            ["org_unit.id"],
            name=op.f("fk_placement_org_unit_id_org_unit"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["provider_id"],
            ["placement_provider.id"],
            name=op.f("fk_placement_provider_id_placement_provider"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_placement")),
        sa.UniqueConstraint(
            "municipality_id",
            "case_ref",
            "start_date",
            name=op.f("uq_placement_municipality_id_case_ref_start_date"),
        ),
    )
    with op.batch_alter_table("placement", schema=None) as batch_op:
        batch_op.create_index("ix_placement_batch", ["batch_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_placement_category_id"), ["category_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_placement_municipality_id"), ["municipality_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_placement_provider_id"), ["provider_id"], unique=False)
        batch_op.create_index(
            "ix_placement_unit_category", ["org_unit_id", "category_id"], unique=False
        )

    op.create_table(
        "placement_rate",
        sa.Column("placement_id", sa.Uuid(), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_to", sa.Date(), nullable=True),
        sa.Column("daily_rate_ore", sa.BigInteger(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("municipality_id", sa.Uuid(), nullable=False),
        sa.CheckConstraint("daily_rate_ore >= 0", name=op.f("ck_placement_rate_rate_not_negative")),
        sa.CheckConstraint(
            "valid_to IS NULL OR valid_to >= valid_from",
            name=op.f("ck_placement_rate_valid_range"),
        ),
        sa.ForeignKeyConstraint(
            ["municipality_id"],
            ["municipality.id"],
            name=op.f("fk_placement_rate_municipality_id_municipality"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["placement_id"],
            ["placement.id"],
            name=op.f("fk_placement_rate_placement_id_placement"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_placement_rate")),
        sa.UniqueConstraint(
            "placement_id", "valid_from", name=op.f("uq_placement_rate_placement_id_valid_from")
        ),
    )
    with op.batch_alter_table("placement_rate", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_placement_rate_municipality_id"), ["municipality_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_placement_rate_placement_id"), ["placement_id"], unique=False
        )

    op.create_table(
        "placement_aggregate",
        sa.Column("category_id", sa.Uuid(), nullable=False),
        sa.Column("org_unit_id", sa.Uuid(), nullable=False),
        sa.Column("period", sa.String(length=7), nullable=False),
        sa.Column("care_days", sa.Integer(), nullable=False),
        sa.Column("net_cost_ore", sa.BigInteger(), nullable=False),
        sa.Column("source_system", sa.String(length=100), nullable=True),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("batch_id", sa.Uuid(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("municipality_id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "care_days >= 0", name=op.f("ck_placement_aggregate_care_days_not_negative")
        ),
        sa.ForeignKeyConstraint(
            ["category_id"],
            ["placement_category.id"],
            name=op.f("fk_placement_aggregate_category_id_placement_category"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["municipality_id"],
            ["municipality.id"],
            name=op.f("fk_placement_aggregate_municipality_id_municipality"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["org_unit_id"],
            ["org_unit.id"],
            name=op.f("fk_placement_aggregate_org_unit_id_org_unit"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_placement_aggregate")),
        sa.UniqueConstraint(
            "category_id",
            "org_unit_id",
            "period",
            name=op.f("uq_placement_aggregate_category_id_org_unit_id_period"),
        ),
    )
    with op.batch_alter_table("placement_aggregate", schema=None) as batch_op:
        batch_op.create_index("ix_placement_aggregate_batch", ["batch_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_placement_aggregate_municipality_id"), ["municipality_id"], unique=False
        )
        batch_op.create_index(
            "ix_placement_aggregate_unit_period", ["org_unit_id", "period"], unique=False
        )

    op.create_table(
        "placement_budget",
        sa.Column("category_id", sa.Uuid(), nullable=False),
        sa.Column("org_unit_id", sa.Uuid(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("care_days", sa.Integer(), nullable=True),
        sa.Column("amount_ore", sa.BigInteger(), nullable=False),
        sa.Column("expected_inflow_ore", sa.BigInteger(), nullable=True),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("municipality_id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("amount_ore >= 0", name=op.f("ck_placement_budget_amount_not_negative")),
        sa.CheckConstraint(
            "care_days IS NULL OR care_days >= 0",
            name=op.f("ck_placement_budget_care_days_not_negative"),
        ),
        sa.CheckConstraint(
            "expected_inflow_ore IS NULL OR expected_inflow_ore >= 0",
            name=op.f("ck_placement_budget_inflow_not_negative"),
        ),
        sa.ForeignKeyConstraint(
            ["category_id"],
            ["placement_category.id"],
            name=op.f("fk_placement_budget_category_id_placement_category"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["municipality_id"],
            ["municipality.id"],
            name=op.f("fk_placement_budget_municipality_id_municipality"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["org_unit_id"],
            ["org_unit.id"],
            name=op.f("fk_placement_budget_org_unit_id_org_unit"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_placement_budget")),
        sa.UniqueConstraint(
            "category_id",
            "org_unit_id",
            "year",
            name=op.f("uq_placement_budget_category_id_org_unit_id_year"),
        ),
    )
    with op.batch_alter_table("placement_budget", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_placement_budget_municipality_id"), ["municipality_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_placement_budget_org_unit_id"), ["org_unit_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("placement_budget", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_placement_budget_org_unit_id"))
        batch_op.drop_index(batch_op.f("ix_placement_budget_municipality_id"))
    op.drop_table("placement_budget")
    with op.batch_alter_table("placement_aggregate", schema=None) as batch_op:
        batch_op.drop_index("ix_placement_aggregate_unit_period")
        batch_op.drop_index(batch_op.f("ix_placement_aggregate_municipality_id"))
        batch_op.drop_index("ix_placement_aggregate_batch")
    op.drop_table("placement_aggregate")
    with op.batch_alter_table("placement_rate", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_placement_rate_placement_id"))
        batch_op.drop_index(batch_op.f("ix_placement_rate_municipality_id"))
    op.drop_table("placement_rate")
    with op.batch_alter_table("placement", schema=None) as batch_op:
        batch_op.drop_index("ix_placement_unit_category")
        batch_op.drop_index(batch_op.f("ix_placement_provider_id"))
        batch_op.drop_index(batch_op.f("ix_placement_municipality_id"))
        batch_op.drop_index(batch_op.f("ix_placement_category_id"))
        batch_op.drop_index("ix_placement_batch")
    op.drop_table("placement")
    with op.batch_alter_table("placement_provider", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_placement_provider_municipality_id"))
    op.drop_table("placement_provider")
    with op.batch_alter_table("placement_category", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_placement_category_municipality_id"))
    op.drop_table("placement_category")
