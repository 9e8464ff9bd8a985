"""Budget frames, adjustments, categories and budget lines.

Amounts are integer öre (BIGINT): exact on PostgreSQL and on SQLite alike.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-23 13:10:00+00:00
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

LINE_KEY = ["org_unit_id", "category_id", "account_code", "year", "month"]


def _tenant(table: str) -> list[Any]:
    return [
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("municipality_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["municipality_id"],
            ["municipality.id"],
            name=op.f(f"fk_{table}_municipality_id_municipality"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{table}")),
    ]


def _timestamps() -> list[Any]:
    return [
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "budget_category",
        sa.Column("code", sa.String(length=50), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("is_allocation", sa.Boolean(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("monthly_profile", sa.JSON(), nullable=True),
        *_tenant("budget_category"),
        *_timestamps(),
        sa.CheckConstraint(
            "kind IN ('revenue', 'cost')", name=op.f("ck_budget_category_kind_known")
        ),
        sa.CheckConstraint(
            "NOT is_allocation OR kind = 'revenue'",
            name=op.f("ck_budget_category_allocation_is_revenue"),
        ),
        sa.UniqueConstraint(
            "municipality_id", "code", name=op.f("uq_budget_category_municipality_id_code")
        ),
    )
    with op.batch_alter_table("budget_category", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_budget_category_municipality_id"), ["municipality_id"], unique=False
        )

    op.create_table(
        "budget_account",
        sa.Column("code", sa.String(length=50), nullable=False),
        sa.Column("category_id", sa.Uuid(), nullable=False),
        *_tenant("budget_account"),
        sa.ForeignKeyConstraint(
            ["category_id"],
            ["budget_category.id"],
            name=op.f("fk_budget_account_category_id_budget_category"),
            ondelete="RESTRICT",
        ),
        sa.UniqueConstraint(
            "municipality_id", "code", name=op.f("uq_budget_account_municipality_id_code")
        ),
    )
    with op.batch_alter_table("budget_account", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_budget_account_category_id"), ["category_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_budget_account_municipality_id"), ["municipality_id"], unique=False
        )

    op.create_table(
        "budget_frame",
        sa.Column("org_unit_id", sa.Uuid(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("amount_ore", sa.BigInteger(), nullable=False),
        sa.Column("previous_amount_ore", sa.BigInteger(), nullable=True),
        sa.Column("decision_ref", sa.String(length=200), nullable=True),
        sa.Column("decided_on", sa.Date(), nullable=True),
        sa.Column("comment", sa.Text(), nullable=True),
        *_tenant("budget_frame"),
        *_timestamps(),
        sa.CheckConstraint("amount_ore >= 0", name=op.f("ck_budget_frame_amount_not_negative")),
        sa.CheckConstraint(
            "previous_amount_ore IS NULL OR previous_amount_ore >= 0",
            name=op.f("ck_budget_frame_previous_not_negative"),
        ),
        sa.ForeignKeyConstraint(
            ["org_unit_id"],
            ["org_unit.id"],
            name=op.f("fk_budget_frame_org_unit_id_org_unit"),
            ondelete="RESTRICT",
        ),
        sa.UniqueConstraint(
            "municipality_id",
            "org_unit_id",
            "year",
            name=op.f("uq_budget_frame_municipality_id_org_unit_id_year"),
        ),
    )
    with op.batch_alter_table("budget_frame", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_budget_frame_municipality_id"), ["municipality_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_budget_frame_org_unit_id"), ["org_unit_id"], unique=False
        )

    op.create_table(
        "budget_frame_adjustment",
        sa.Column("frame_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("description", sa.String(length=500), nullable=False),
        sa.Column("amount_ore", sa.BigInteger(), nullable=False),
        *_tenant("budget_frame_adjustment"),
        sa.CheckConstraint(
            "kind IN ('index', 'pension', 'efficiency', 'volume', 'other')",
            name=op.f("ck_budget_frame_adjustment_kind_known"),
        ),
        sa.ForeignKeyConstraint(
            ["frame_id"],
            ["budget_frame.id"],
            name=op.f("fk_budget_frame_adjustment_frame_id_budget_frame"),
            ondelete="RESTRICT",
        ),
    )
    with op.batch_alter_table("budget_frame_adjustment", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_budget_frame_adjustment_frame_id"), ["frame_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_budget_frame_adjustment_municipality_id"),
            ["municipality_id"],
            unique=False,
        )

    op.create_table(
        "budget_line",
        sa.Column("org_unit_id", sa.Uuid(), nullable=False),
        sa.Column("category_id", sa.Uuid(), nullable=False),
        sa.Column("account_code", sa.String(length=50), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("month", sa.SmallInteger(), nullable=False),
        sa.Column("scenario", sa.String(length=10), nullable=False),
        sa.Column("forecast_date", sa.Date(), nullable=True),
        sa.Column("amount_ore", sa.BigInteger(), nullable=False),
        sa.Column("source_system", sa.String(length=100), nullable=True),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("recorded_by", sa.String(length=200), nullable=False),
        sa.Column("batch_id", sa.Uuid(), nullable=True),
        *_tenant("budget_line"),
        *_timestamps(),
        sa.CheckConstraint(
            "scenario IN ('budget', 'plan', 'forecast', 'outcome')",
            name=op.f("ck_budget_line_scenario_known"),
        ),
        sa.CheckConstraint("month BETWEEN 0 AND 12", name=op.f("ck_budget_line_month_range")),
        sa.CheckConstraint("amount_ore >= 0", name=op.f("ck_budget_line_amount_not_negative")),
        sa.CheckConstraint(
            "(scenario = 'forecast' AND forecast_date IS NOT NULL)"
            " OR (scenario <> 'forecast' AND forecast_date IS NULL)",
            name=op.f("ck_budget_line_forecast_dated"),
        ),
        sa.ForeignKeyConstraint(
            ["category_id"],
            ["budget_category.id"],
            name=op.f("fk_budget_line_category_id_budget_category"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["org_unit_id"],
            ["org_unit.id"],
            name=op.f("fk_budget_line_org_unit_id_org_unit"),
            ondelete="RESTRICT",
        ),
    )
    with op.batch_alter_table("budget_line", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_budget_line_municipality_id"), ["municipality_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_budget_line_category_id"), ["category_id"], unique=False
        )
        batch_op.create_index("ix_budget_line_unit_year", ["org_unit_id", "year"], unique=False)
        batch_op.create_index("ix_budget_line_batch", ["batch_id"], unique=False)
        batch_op.create_index(
            "uq_budget_line_key",
            [*LINE_KEY, "scenario"],
            unique=True,
            sqlite_where=sa.text("forecast_date IS NULL"),
            postgresql_where=sa.text("forecast_date IS NULL"),
        )
        batch_op.create_index(
            "uq_budget_line_forecast_key",
            [*LINE_KEY, "forecast_date"],
            unique=True,
            sqlite_where=sa.text("forecast_date IS NOT NULL"),
            postgresql_where=sa.text("forecast_date IS NOT NULL"),
        )


def downgrade() -> None:
    with op.batch_alter_table("budget_line", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_budget_line_forecast_key",
            sqlite_where=sa.text("forecast_date IS NOT NULL"),
            postgresql_where=sa.text("forecast_date IS NOT NULL"),
        )
        batch_op.drop_index(
            "uq_budget_line_key",
            sqlite_where=sa.text("forecast_date IS NULL"),
            postgresql_where=sa.text("forecast_date IS NULL"),
        )
        batch_op.drop_index("ix_budget_line_batch")
        batch_op.drop_index("ix_budget_line_unit_year")
        batch_op.drop_index(batch_op.f("ix_budget_line_category_id"))
        batch_op.drop_index(batch_op.f("ix_budget_line_municipality_id"))
    op.drop_table("budget_line")
    with op.batch_alter_table("budget_frame_adjustment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_budget_frame_adjustment_municipality_id"))
        batch_op.drop_index(batch_op.f("ix_budget_frame_adjustment_frame_id"))
    op.drop_table("budget_frame_adjustment")
    with op.batch_alter_table("budget_frame", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_budget_frame_org_unit_id"))
        batch_op.drop_index(batch_op.f("ix_budget_frame_municipality_id"))
    op.drop_table("budget_frame")
    with op.batch_alter_table("budget_account", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_budget_account_municipality_id"))
        batch_op.drop_index(batch_op.f("ix_budget_account_category_id"))
    op.drop_table("budget_account")
    with op.batch_alter_table("budget_category", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_budget_category_municipality_id"))
    op.drop_table("budget_category")
