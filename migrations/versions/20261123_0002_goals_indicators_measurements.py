"""Goals, indicators, targets, assignments, and measurements versioned in system time.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 12:41:56.074361+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "indicator",
        sa.Column("code", sa.String(length=50), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("unit", sa.String(length=20), nullable=False),
        sa.Column("polarity", sa.String(length=20), nullable=False),
        sa.Column("periodicity", sa.String(length=20), nullable=False),
        sa.Column("aggregation", sa.String(length=20), nullable=False),
        sa.Column("gender_split", sa.Boolean(), nullable=False),
        sa.Column("source", sa.String(length=100), nullable=True),
        sa.Column("kolada_kpi", sa.String(length=20), nullable=True),
        sa.Column("baseline_value", sa.Numeric(precision=20, scale=6), nullable=True),
        sa.Column("baseline_period", sa.String(length=10), nullable=True),
        sa.Column("baseline_text", sa.String(length=100), nullable=True),
        sa.Column("seasonal_profile", sa.JSON(), nullable=True),
        sa.Column("ratio_scale", sa.Numeric(precision=20, scale=6), nullable=False),
        sa.Column("valid_from_year", sa.Integer(), nullable=False),
        sa.Column("valid_to_year", sa.Integer(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("municipality_id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "aggregation IN ('sum', 'mean', 'last', 'ratio')",
            name=op.f("ck_indicator_aggregation_known"),
        ),
        sa.CheckConstraint(
            "periodicity IN ('month', 'quarter', 'tertial', 'half', 'year')",
            name=op.f("ck_indicator_periodicity_known"),
        ),
        sa.CheckConstraint(
            "polarity IN ('higher_is_better', 'lower_is_better', 'target_is_best')",
            name=op.f("ck_indicator_polarity_known"),
        ),
        sa.CheckConstraint(
            "unit IN ('percent', 'count', 'sek', 'days', 'index', 'litres', 'hours', 'ratio', 'other')",
            name=op.f("ck_indicator_unit_known"),
        ),
        sa.ForeignKeyConstraint(
            ["municipality_id"],
            ["municipality.id"],
            name=op.f("fk_indicator_municipality_id_municipality"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_indicator")),
        sa.UniqueConstraint(
            "municipality_id", "code", name=op.f("uq_indicator_municipality_id_code")
        ),
    )
    with op.batch_alter_table("indicator", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_indicator_municipality_id"), ["municipality_id"], unique=False
        )

    op.create_table(
        "goal",
        sa.Column("level", sa.String(length=20), nullable=False),
        sa.Column("code", sa.String(length=50), nullable=False),
        sa.Column("title", sa.String(length=500), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("direction", sa.Text(), nullable=True),
        sa.Column("goal_area", sa.String(length=300), nullable=True),
        sa.Column("owner_id", sa.Uuid(), nullable=False),
        sa.Column("parent_id", sa.Uuid(), nullable=True),
        sa.Column("valid_from_year", sa.Integer(), nullable=False),
        sa.Column("valid_to_year", sa.Integer(), nullable=False),
        sa.Column("related_plans", sa.JSON(), nullable=False),
        sa.Column("rule", sa.JSON(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("municipality_id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "level IN ('council', 'committee', 'unit')", name=op.f("ck_goal_level_known")
        ),
        sa.ForeignKeyConstraint(
            ["municipality_id"],
            ["municipality.id"],
            name=op.f("fk_goal_municipality_id_municipality"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["owner_id"],
            ["org_unit.id"],
            name=op.f("fk_goal_owner_id_org_unit"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["parent_id"], ["goal.id"], name=op.f("fk_goal_parent_id_goal"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_goal")),
        sa.UniqueConstraint(
            "municipality_id",
            "code",
            "valid_from_year",
            name=op.f("uq_goal_municipality_id_code_valid_from_year"),
        ),
    )
    with op.batch_alter_table("goal", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_goal_municipality_id"), ["municipality_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_goal_owner_id"), ["owner_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_goal_parent_id"), ["parent_id"], unique=False)

    op.create_table(
        "measurement",
        sa.Column("indicator_id", sa.Uuid(), nullable=False),
        sa.Column("org_unit_id", sa.Uuid(), nullable=False),
        sa.Column("period", sa.String(length=10), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("gender", sa.String(length=10), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("municipality_id", sa.Uuid(), nullable=False),
        sa.CheckConstraint(
            "gender IN ('total', 'women', 'men')", name=op.f("ck_measurement_gender_known")
        ),
        sa.ForeignKeyConstraint(
            ["indicator_id"],
            ["indicator.id"],
            name=op.f("fk_measurement_indicator_id_indicator"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["municipality_id"],
            ["municipality.id"],
            name=op.f("fk_measurement_municipality_id_municipality"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["org_unit_id"],
            ["org_unit.id"],
            name=op.f("fk_measurement_org_unit_id_org_unit"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_measurement")),
        sa.UniqueConstraint(
            "indicator_id",
            "org_unit_id",
            "period",
            "gender",
            name=op.f("uq_measurement_indicator_id_org_unit_id_period_gender"),
        ),
    )
    with op.batch_alter_table("measurement", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_measurement_indicator_id"), ["indicator_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_measurement_municipality_id"), ["municipality_id"], unique=False
        )
        batch_op.create_index(
            "ix_measurement_org_unit_period", ["org_unit_id", "period_start"], unique=False
        )

    op.create_table(
        "target",
        sa.Column("indicator_id", sa.Uuid(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("value", sa.Numeric(precision=20, scale=6), nullable=True),
        sa.Column("low", sa.Numeric(precision=20, scale=6), nullable=True),
        sa.Column("high", sa.Numeric(precision=20, scale=6), nullable=True),
        sa.Column("min_change", sa.Numeric(precision=20, scale=6), nullable=True),
        sa.Column("tolerance_kind", sa.String(length=20), nullable=True),
        sa.Column("tolerance_value", sa.Numeric(precision=20, scale=6), nullable=True),
        sa.Column("text", sa.String(length=200), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("municipality_id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "kind IN ('at_least', 'at_most', 'between', 'increase', 'decrease', 'unchanged')",
            name=op.f("ck_target_kind_known"),
        ),
        sa.CheckConstraint(
            "tolerance_kind IN ('absolute', 'relative')",
            name=op.f("ck_target_tolerance_kind_known"),
        ),
        sa.ForeignKeyConstraint(
            ["indicator_id"],
            ["indicator.id"],
            name=op.f("fk_target_indicator_id_indicator"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["municipality_id"],
            ["municipality.id"],
            name=op.f("fk_target_municipality_id_municipality"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_target")),
        sa.UniqueConstraint("indicator_id", "year", name=op.f("uq_target_indicator_id_year")),
    )
    with op.batch_alter_table("target", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_target_indicator_id"), ["indicator_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_target_municipality_id"), ["municipality_id"], unique=False
        )

    op.create_table(
        "assignment",
        sa.Column("goal_id", sa.Uuid(), nullable=False),
        sa.Column("origin", sa.String(length=20), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("report_at", sa.String(length=20), nullable=False),
        sa.Column("report_to_council", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("municipality_id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "origin IN ('council', 'committee', 'management_group')",
            name=op.f("ck_assignment_origin_known"),
        ),
        sa.CheckConstraint(
            "report_at IN ('year_end', 'interim', 'tertial')",
            name=op.f("ck_assignment_report_at_known"),
        ),
        sa.CheckConstraint(
            "status IN ('not_started', 'ongoing', 'done', 'cancelled')",
            name=op.f("ck_assignment_status_known"),
        ),
        sa.ForeignKeyConstraint(
            ["goal_id"], ["goal.id"], name=op.f("fk_assignment_goal_id_goal"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["municipality_id"],
            ["municipality.id"],
            name=op.f("fk_assignment_municipality_id_municipality"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assignment")),
    )
    with op.batch_alter_table("assignment", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_assignment_goal_id"), ["goal_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_assignment_municipality_id"), ["municipality_id"], unique=False
        )

    op.create_table(
        "goal_indicator",
        sa.Column("goal_id", sa.Uuid(), nullable=False),
        sa.Column("indicator_id", sa.Uuid(), nullable=False),
        sa.Column("weight", sa.Numeric(precision=20, scale=6), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("municipality_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["goal_id"],
            ["goal.id"],
            name=op.f("fk_goal_indicator_goal_id_goal"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["indicator_id"],
            ["indicator.id"],
            name=op.f("fk_goal_indicator_indicator_id_indicator"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["municipality_id"],
            ["municipality.id"],
            name=op.f("fk_goal_indicator_municipality_id_municipality"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_goal_indicator")),
        sa.UniqueConstraint(
            "goal_id", "indicator_id", name=op.f("uq_goal_indicator_goal_id_indicator_id")
        ),
    )
    with op.batch_alter_table("goal_indicator", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_goal_indicator_goal_id"), ["goal_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_goal_indicator_indicator_id"), ["indicator_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_goal_indicator_municipality_id"), ["municipality_id"], unique=False
        )

    op.create_table(
        "measurement_version",
        sa.Column("measurement_id", sa.Uuid(), nullable=False),
        sa.Column("value", sa.Numeric(precision=20, scale=6), nullable=True),
        sa.Column("numerator", sa.Numeric(precision=20, scale=6), nullable=True),
        sa.Column("denominator", sa.Numeric(precision=20, scale=6), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("source_system", sa.String(length=100), nullable=True),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.Column("recorded_by", sa.String(length=200), nullable=False),
        sa.Column("batch_id", sa.Uuid(), nullable=True),
        sa.Column("sys_from", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sys_to", sa.DateTime(timezone=True), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("municipality_id", sa.Uuid(), nullable=False),
        sa.CheckConstraint(
            "status IN ('final', 'preliminary')", name=op.f("ck_measurement_version_status_known")
        ),
        sa.ForeignKeyConstraint(
            ["measurement_id"],
            ["measurement.id"],
            name=op.f("fk_measurement_version_measurement_id_measurement"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["municipality_id"],
            ["municipality.id"],
            name=op.f("fk_measurement_version_municipality_id_municipality"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_measurement_version")),
    )
    with op.batch_alter_table("measurement_version", schema=None) as batch_op:
        batch_op.create_index(
            "ix_measurement_version_history", ["measurement_id", "sys_from"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_measurement_version_municipality_id"), ["municipality_id"], unique=False
        )
        batch_op.create_index(
            "uq_measurement_version_current",
            ["measurement_id"],
            unique=True,
            sqlite_where=sa.text("sys_to IS NULL"),
            postgresql_where=sa.text("sys_to IS NULL"),
        )

    op.create_table(
        "assignment_progress",
        sa.Column("assignment_id", sa.Uuid(), nullable=False),
        sa.Column("noted_on", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("noted_by", sa.String(length=200), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("municipality_id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "status IN ('not_started', 'ongoing', 'done', 'cancelled')",
            name=op.f("ck_assignment_progress_status_known"),
        ),
        sa.ForeignKeyConstraint(
            ["assignment_id"],
            ["assignment.id"],
            name=op.f("fk_assignment_progress_assignment_id_assignment"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["municipality_id"],
            ["municipality.id"],
            name=op.f("fk_assignment_progress_municipality_id_municipality"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assignment_progress")),
    )
    with op.batch_alter_table("assignment_progress", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_assignment_progress_assignment_id"), ["assignment_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_assignment_progress_municipality_id"), ["municipality_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("assignment_progress", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_assignment_progress_municipality_id"))
        batch_op.drop_index(batch_op.f("ix_assignment_progress_assignment_id"))

    op.drop_table("assignment_progress")
    with op.batch_alter_table("measurement_version", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_measurement_version_current",
            sqlite_where=sa.text("sys_to IS NULL"),
            postgresql_where=sa.text("sys_to IS NULL"),
        )
        batch_op.drop_index(batch_op.f("ix_measurement_version_municipality_id"))
        batch_op.drop_index("ix_measurement_version_history")

    op.drop_table("measurement_version")
    with op.batch_alter_table("goal_indicator", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_goal_indicator_municipality_id"))
        batch_op.drop_index(batch_op.f("ix_goal_indicator_indicator_id"))
        batch_op.drop_index(batch_op.f("ix_goal_indicator_goal_id"))

    op.drop_table("goal_indicator")
    with op.batch_alter_table("assignment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_assignment_municipality_id"))
        batch_op.drop_index(batch_op.f("ix_assignment_goal_id"))

    op.drop_table("assignment")
    with op.batch_alter_table("target", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_target_municipality_id"))
        batch_op.drop_index(batch_op.f("ix_target_indicator_id"))

    op.drop_table("target")
    with op.batch_alter_table("measurement", schema=None) as batch_op:
        batch_op.drop_index("ix_measurement_org_unit_period")
        batch_op.drop_index(batch_op.f("ix_measurement_municipality_id"))
        batch_op.drop_index(batch_op.f("ix_measurement_indicator_id"))

    op.drop_table("measurement")
    with op.batch_alter_table("goal", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_goal_parent_id"))
        batch_op.drop_index(batch_op.f("ix_goal_owner_id"))
        batch_op.drop_index(batch_op.f("ix_goal_municipality_id"))

    op.drop_table("goal")
    with op.batch_alter_table("indicator", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_indicator_municipality_id"))

    op.drop_table("indicator")
