"""Kolada benchmark values, KPI metadata and municipality groups.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-23 13:05:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "benchmark_value",
        sa.Column("kpi", sa.String(length=20), nullable=False),
        sa.Column("municipality_code", sa.String(length=4), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("gender", sa.String(length=10), nullable=False),
        sa.Column("value", sa.Numeric(precision=20, scale=6), nullable=True),
        sa.Column("count", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=200), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("municipality_id", sa.Uuid(), nullable=False),
        sa.CheckConstraint(
            "gender IN ('total', 'women', 'men')", name=op.f("ck_benchmark_value_gender_known")
        ),
        sa.ForeignKeyConstraint(
            ["municipality_id"],
            ["municipality.id"],
            name=op.f("fk_benchmark_value_municipality_id_municipality"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_benchmark_value")),
        sa.UniqueConstraint(
            "municipality_id",
            "kpi",
            "year",
            "municipality_code",
            "gender",
            name=op.f("uq_benchmark_value_key"),
        ),
    )
    with op.batch_alter_table("benchmark_value", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_benchmark_value_municipality_id"), ["municipality_id"], unique=False
        )
    op.create_table(
        "kolada_kpi",
        sa.Column("kpi", sa.String(length=20), nullable=False),
        sa.Column("title", sa.String(length=500), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("is_divided_by_gender", sa.Boolean(), nullable=False),
        sa.Column("municipality_type", sa.String(length=10), nullable=True),
        sa.Column("operating_area", sa.String(length=500), nullable=True),
        sa.Column("has_ou_data", sa.Boolean(), nullable=True),
        sa.Column("publication_date", sa.String(length=30), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("municipality_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["municipality_id"],
            ["municipality.id"],
            name=op.f("fk_kolada_kpi_municipality_id_municipality"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_kolada_kpi")),
        sa.UniqueConstraint(
            "municipality_id", "kpi", name=op.f("uq_kolada_kpi_municipality_id_kpi")
        ),
    )
    with op.batch_alter_table("kolada_kpi", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_kolada_kpi_municipality_id"), ["municipality_id"], unique=False
        )
    op.create_table(
        "benchmark_group",
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("members", sa.JSON(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("municipality_id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["municipality_id"],
            ["municipality.id"],
            name=op.f("fk_benchmark_group_municipality_id_municipality"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_benchmark_group")),
        sa.UniqueConstraint(
            "municipality_id", "name", name=op.f("uq_benchmark_group_municipality_id_name")
        ),
    )
    with op.batch_alter_table("benchmark_group", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_benchmark_group_municipality_id"), ["municipality_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("benchmark_group", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_benchmark_group_municipality_id"))
    op.drop_table("benchmark_group")
    with op.batch_alter_table("kolada_kpi", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_kolada_kpi_municipality_id"))
    op.drop_table("kolada_kpi")
    with op.batch_alter_table("benchmark_value", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_benchmark_value_municipality_id"))
    op.drop_table("benchmark_value")
