"""Internal-control plans, control points and results, action plans.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23 13:00:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "control_plan",
        sa.Column("committee_id", sa.Uuid(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("adopted_on", sa.Date(), nullable=True),
        sa.Column("decision_ref", sa.String(length=200), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("municipality_id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["committee_id"],
            ["org_unit.id"],
            name=op.f("fk_control_plan_committee_id_org_unit"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["municipality_id"],
            ["municipality.id"],
            name=op.f("fk_control_plan_municipality_id_municipality"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_control_plan")),
        sa.UniqueConstraint(
            "municipality_id",
            "committee_id",
            "year",
            name=op.f("uq_control_plan_municipality_id_committee_id_year"),
        ),
    )
    with op.batch_alter_table("control_plan", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_control_plan_committee_id"), ["committee_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_control_plan_municipality_id"), ["municipality_id"], unique=False
        )

    op.create_table(
        "control_point",
        sa.Column("plan_id", sa.Uuid(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("area", sa.String(length=200), nullable=True),
        sa.Column("process", sa.String(length=500), nullable=False),
        sa.Column("objective", sa.Text(), nullable=False),
        sa.Column("responsible_role", sa.String(length=200), nullable=False),
        sa.Column("org_unit_id", sa.Uuid(), nullable=True),
        sa.Column("method", sa.String(length=20), nullable=True),
        sa.Column("method_description", sa.Text(), nullable=True),
        sa.Column("frequency", sa.JSON(), nullable=False),
        sa.Column("report_to", sa.String(length=200), nullable=True),
        sa.Column("report_when", sa.String(length=200), nullable=True),
        sa.Column("probability", sa.Integer(), nullable=True),
        sa.Column("consequence", sa.Integer(), nullable=True),
        sa.Column("risk_assessed_on", sa.Date(), nullable=True),
        sa.Column("risk_rationale", sa.Text(), nullable=True),
        sa.Column("target_kind", sa.String(length=20), nullable=True),
        sa.Column("target_value", sa.Numeric(precision=20, scale=6), nullable=True),
        sa.Column("target_low", sa.Numeric(precision=20, scale=6), nullable=True),
        sa.Column("target_high", sa.Numeric(precision=20, scale=6), nullable=True),
        sa.Column("tolerance_kind", sa.String(length=20), nullable=True),
        sa.Column("tolerance_value", sa.Numeric(precision=20, scale=6), nullable=True),
        sa.Column("target_text", sa.String(length=200), nullable=True),
        sa.Column("carried_from_id", sa.Uuid(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("municipality_id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("number >= 1", name=op.f("ck_control_point_number_positive")),
        sa.CheckConstraint(
            "method IN ('sample', 'full_review', 'document_check')",
            name=op.f("ck_control_point_method_known"),
        ),
        sa.CheckConstraint(
            "probability BETWEEN 1 AND 4", name=op.f("ck_control_point_probability_range")
        ),
        sa.CheckConstraint(
            "consequence BETWEEN 1 AND 4", name=op.f("ck_control_point_consequence_range")
        ),
        sa.CheckConstraint(
            "(probability IS NULL AND consequence IS NULL AND risk_assessed_on IS NULL)"
            " OR (probability IS NOT NULL AND consequence IS NOT NULL"
            " AND risk_assessed_on IS NOT NULL)",
            name=op.f("ck_control_point_risk_complete"),
        ),
        sa.CheckConstraint(
            "target_kind IN ('at_least', 'at_most', 'between')",
            name=op.f("ck_control_point_target_kind_known"),
        ),
        sa.CheckConstraint(
            "tolerance_kind IN ('absolute', 'relative')",
            name=op.f("ck_control_point_tolerance_kind_known"),
        ),
        sa.ForeignKeyConstraint(
            ["carried_from_id"],
            ["control_point.id"],
            name=op.f("fk_control_point_carried_from_id_control_point"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["municipality_id"],
            ["municipality.id"],
            name=op.f("fk_control_point_municipality_id_municipality"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["org_unit_id"],
            ["org_unit.id"],
            name=op.f("fk_control_point_org_unit_id_org_unit"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["plan_id"],
            ["control_plan.id"],
            name=op.f("fk_control_point_plan_id_control_plan"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_control_point")),
        sa.UniqueConstraint("carried_from_id", name=op.f("uq_control_point_carried_from_id")),
        sa.UniqueConstraint("plan_id", "number", name=op.f("uq_control_point_plan_id_number")),
    )
    with op.batch_alter_table("control_point", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_control_point_municipality_id"), ["municipality_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_control_point_org_unit_id"), ["org_unit_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_control_point_plan_id"), ["plan_id"], unique=False)

    op.create_table(
        "control_result",
        sa.Column("point_id", sa.Uuid(), nullable=False),
        sa.Column("occasion", sa.String(length=7), nullable=False),
        sa.Column("checked_on", sa.Date(), nullable=True),
        sa.Column("checked_count", sa.Integer(), nullable=True),
        sa.Column("deviation_count", sa.Integer(), nullable=True),
        sa.Column("measured_value", sa.Numeric(precision=20, scale=6), nullable=True),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("measures", sa.Text(), nullable=True),
        sa.Column("recorded_by", sa.String(length=200), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("municipality_id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "checked_count >= 0", name=op.f("ck_control_result_checked_count_non_negative")
        ),
        sa.CheckConstraint(
            "deviation_count >= 0", name=op.f("ck_control_result_deviation_count_non_negative")
        ),
        sa.CheckConstraint(
            "deviation_count IS NULL OR checked_count IS NULL OR deviation_count <= checked_count",
            name=op.f("ck_control_result_deviations_within_checked"),
        ),
        sa.ForeignKeyConstraint(
            ["municipality_id"],
            ["municipality.id"],
            name=op.f("fk_control_result_municipality_id_municipality"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["point_id"],
            ["control_point.id"],
            name=op.f("fk_control_result_point_id_control_point"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_control_result")),
        sa.UniqueConstraint(
            "point_id", "occasion", name=op.f("uq_control_result_point_id_occasion")
        ),
    )
    with op.batch_alter_table("control_result", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_control_result_municipality_id"), ["municipality_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_control_result_point_id"), ["point_id"], unique=False)

    op.create_table(
        "action_plan",
        sa.Column("owner_id", sa.Uuid(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("reference", sa.String(length=100), nullable=True),
        sa.Column("adopted_on", sa.Date(), nullable=True),
        sa.Column("decision_ref", sa.String(length=200), nullable=True),
        sa.Column("background", sa.Text(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("municipality_id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["municipality_id"],
            ["municipality.id"],
            name=op.f("fk_action_plan_municipality_id_municipality"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["owner_id"],
            ["org_unit.id"],
            name=op.f("fk_action_plan_owner_id_org_unit"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_action_plan")),
        sa.UniqueConstraint(
            "municipality_id",
            "owner_id",
            "year",
            "title",
            name=op.f("uq_action_plan_municipality_id_owner_id_year_title"),
        ),
    )
    with op.batch_alter_table("action_plan", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_action_plan_municipality_id"), ["municipality_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_action_plan_owner_id"), ["owner_id"], unique=False)

    op.create_table(
        "action_plan_item",
        sa.Column("plan_id", sa.Uuid(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("area", sa.String(length=300), nullable=False),
        sa.Column("objective", sa.Text(), nullable=False),
        sa.Column("approach", sa.Text(), nullable=True),
        sa.Column("target_group", sa.String(length=500), nullable=False),
        sa.Column("responsible_role", sa.String(length=300), nullable=False),
        sa.Column("follow_up_month", sa.String(length=7), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("municipality_id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("number >= 1", name=op.f("ck_action_plan_item_number_positive")),
        sa.CheckConstraint(
            "status IN ('not_started', 'ongoing', 'done', 'cancelled')",
            name=op.f("ck_action_plan_item_status_known"),
        ),
        sa.ForeignKeyConstraint(
            ["municipality_id"],
            ["municipality.id"],
            name=op.f("fk_action_plan_item_municipality_id_municipality"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["plan_id"],
            ["action_plan.id"],
            name=op.f("fk_action_plan_item_plan_id_action_plan"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_action_plan_item")),
        sa.UniqueConstraint("plan_id", "number", name=op.f("uq_action_plan_item_plan_id_number")),
    )
    with op.batch_alter_table("action_plan_item", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_action_plan_item_municipality_id"), ["municipality_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_action_plan_item_plan_id"), ["plan_id"], unique=False)

    op.create_table(
        "action_plan_follow_up",
        sa.Column("item_id", sa.Uuid(), nullable=False),
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
            name=op.f("ck_action_plan_follow_up_status_known"),
        ),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["action_plan_item.id"],
            name=op.f("fk_action_plan_follow_up_item_id_action_plan_item"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["municipality_id"],
            ["municipality.id"],
            name=op.f("fk_action_plan_follow_up_municipality_id_municipality"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_action_plan_follow_up")),
    )
    with op.batch_alter_table("action_plan_follow_up", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_action_plan_follow_up_item_id"), ["item_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_action_plan_follow_up_municipality_id"),
            ["municipality_id"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("action_plan_follow_up", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_action_plan_follow_up_municipality_id"))
        batch_op.drop_index(batch_op.f("ix_action_plan_follow_up_item_id"))

    op.drop_table("action_plan_follow_up")
    with op.batch_alter_table("action_plan_item", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_action_plan_item_plan_id"))
        batch_op.drop_index(batch_op.f("ix_action_plan_item_municipality_id"))

    op.drop_table("action_plan_item")
    with op.batch_alter_table("action_plan", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_action_plan_owner_id"))
        batch_op.drop_index(batch_op.f("ix_action_plan_municipality_id"))

    op.drop_table("action_plan")
    with op.batch_alter_table("control_result", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_control_result_point_id"))
        batch_op.drop_index(batch_op.f("ix_control_result_municipality_id"))

    op.drop_table("control_result")
    with op.batch_alter_table("control_point", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_control_point_plan_id"))
        batch_op.drop_index(batch_op.f("ix_control_point_org_unit_id"))
        batch_op.drop_index(batch_op.f("ix_control_point_municipality_id"))

    op.drop_table("control_point")
    with op.batch_alter_table("control_plan", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_control_plan_municipality_id"))
        batch_op.drop_index(batch_op.f("ix_control_plan_committee_id"))

    op.drop_table("control_plan")
