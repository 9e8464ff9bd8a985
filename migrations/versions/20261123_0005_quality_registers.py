"""Deviation reports, Lex Sarah, feedback and unexecuted decisions.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23 13:00:00+00:00
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

STATUSES = "'reported', 'investigating', 'measures_decided', 'closed'"


def _tenant_columns() -> list[sa.Column[Any]]:
    return [
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("municipality_id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    ]


def _tenant_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["municipality_id"],
        ["municipality.id"],
        name=op.f(f"fk_{table}_municipality_id_municipality"),
        ondelete="RESTRICT",
    )


def _org_unit_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["org_unit_id"],
        ["org_unit.id"],
        name=op.f(f"fk_{table}_org_unit_id_org_unit"),
        ondelete="RESTRICT",
    )


def _indexes(table: str, *columns: str) -> None:
    with op.batch_alter_table(table, schema=None) as batch_op:
        for column in ("municipality_id", *columns):
            batch_op.create_index(batch_op.f(f"ix_{table}_{column}"), [column], unique=False)


def _drop_indexes(table: str, *columns: str) -> None:
    with op.batch_alter_table(table, schema=None) as batch_op:
        for column in reversed(("municipality_id", *columns)):
            batch_op.drop_index(batch_op.f(f"ix_{table}_{column}"))


def upgrade() -> None:
    op.create_table(
        "deviation_report",
        sa.Column("org_unit_id", sa.Uuid(), nullable=False),
        sa.Column("category", sa.String(length=30), nullable=False),
        sa.Column("severity", sa.String(length=10), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("occurred_on", sa.Date(), nullable=True),
        sa.Column("reported_on", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("lex_sarah", sa.Boolean(), nullable=False),
        sa.Column("lex_sarah_outcome", sa.String(length=30), nullable=True),
        sa.Column("lex_sarah_serious", sa.Boolean(), nullable=True),
        sa.Column("ivo_notified_on", sa.Date(), nullable=True),
        sa.Column("ivo_reference", sa.String(length=100), nullable=True),
        sa.Column("source", sa.String(length=100), nullable=True),
        sa.Column("reference", sa.String(length=100), nullable=True),
        *_tenant_columns(),
        sa.CheckConstraint(
            "category IN ('routine', 'information', 'collaboration', 'legal_requirement', "
            "'documentation', 'it_system', 'other')",
            name=op.f("ck_deviation_report_category_known"),
        ),
        sa.CheckConstraint(
            "severity IN ('low', 'medium', 'high')",
            name=op.f("ck_deviation_report_severity_known"),
        ),
        sa.CheckConstraint(
            f"status IN ({STATUSES})", name=op.f("ck_deviation_report_status_known")
        ),
        sa.CheckConstraint(
            "lex_sarah_outcome IN ('maltreatment', 'risk_of_maltreatment', 'neither')",
            name=op.f("ck_deviation_report_lex_sarah_outcome_known"),
        ),
        sa.CheckConstraint(
            "occurred_on IS NULL OR occurred_on <= reported_on",
            name=op.f("ck_deviation_report_occurred_first"),
        ),
        sa.CheckConstraint(
            "(status = 'closed') = (closed_on IS NOT NULL)",
            name=op.f("ck_deviation_report_closed_on_when_closed"),
        ),
        sa.CheckConstraint(
            "lex_sarah OR (lex_sarah_outcome IS NULL AND lex_sarah_serious IS NULL"
            " AND ivo_notified_on IS NULL AND ivo_reference IS NULL)",
            name=op.f("ck_deviation_report_lex_sarah_fields"),
        ),
        _tenant_fk("deviation_report"),
        _org_unit_fk("deviation_report"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deviation_report")),
        sa.UniqueConstraint(
            "municipality_id",
            "source",
            "reference",
            name=op.f("uq_deviation_report_municipality_id_source_reference"),
        ),
    )
    _indexes("deviation_report", "org_unit_id", "reported_on")

    op.create_table(
        "deviation_transition",
        sa.Column("report_id", sa.Uuid(), nullable=False),
        sa.Column("from_status", sa.String(length=20), nullable=True),
        sa.Column("to_status", sa.String(length=20), nullable=False),
        sa.Column("moved_on", sa.Date(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("actor_name", sa.String(length=200), nullable=True),
        *_tenant_columns(),
        sa.CheckConstraint(
            f"from_status IN ({STATUSES})",
            name=op.f("ck_deviation_transition_from_status_known"),
        ),
        sa.CheckConstraint(
            f"to_status IN ({STATUSES})", name=op.f("ck_deviation_transition_to_status_known")
        ),
        _tenant_fk("deviation_transition"),
        sa.ForeignKeyConstraint(
            ["report_id"],
            ["deviation_report.id"],
            name=op.f("fk_deviation_transition_report_id_deviation_report"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deviation_transition")),
    )
    _indexes("deviation_transition", "report_id")

    op.create_table(
        "deviation_measure",
        sa.Column("report_id", sa.Uuid(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("responsible", sa.String(length=200), nullable=True),
        sa.Column("decided_on", sa.Date(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("done_on", sa.Date(), nullable=True),
        *_tenant_columns(),
        sa.CheckConstraint(
            "due_on >= decided_on", name=op.f("ck_deviation_measure_due_after_decided")
        ),
        sa.CheckConstraint(
            "done_on IS NULL OR done_on >= decided_on",
            name=op.f("ck_deviation_measure_done_after_decided"),
        ),
        _tenant_fk("deviation_measure"),
        sa.ForeignKeyConstraint(
            ["report_id"],
            ["deviation_report.id"],
            name=op.f("fk_deviation_measure_report_id_deviation_report"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deviation_measure")),
    )
    _indexes("deviation_measure", "report_id")

    op.create_table(
        "feedback",
        sa.Column("org_unit_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("topic", sa.String(length=30), nullable=True),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column("answered_on", sa.Date(), nullable=True),
        sa.Column("summary", sa.Text(), nullable=True),
        sa.Column("source", sa.String(length=100), nullable=True),
        sa.Column("reference", sa.String(length=100), nullable=True),
        *_tenant_columns(),
        sa.CheckConstraint(
            "kind IN ('complaint', 'praise', 'suggestion')", name=op.f("ck_feedback_kind_known")
        ),
        sa.CheckConstraint(
            "topic IN ('accessibility', 'treatment', 'competence', 'service_not_working', 'other')",
            name=op.f("ck_feedback_topic_known"),
        ),
        sa.CheckConstraint(
            "answered_on IS NULL OR answered_on >= received_on",
            name=op.f("ck_feedback_answered_after_received"),
        ),
        _tenant_fk("feedback"),
        _org_unit_fk("feedback"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_feedback")),
        sa.UniqueConstraint(
            "municipality_id",
            "source",
            "reference",
            name=op.f("uq_feedback_municipality_id_source_reference"),
        ),
    )
    _indexes("feedback", "org_unit_id", "received_on")

    op.create_table(
        "unexecuted_decision",
        sa.Column("org_unit_id", sa.Uuid(), nullable=False),
        sa.Column("decision_on", sa.Date(), nullable=False),
        sa.Column("intervention_type", sa.String(length=30), nullable=False),
        sa.Column("legal_basis", sa.String(length=20), nullable=False),
        sa.Column("gender", sa.String(length=10), nullable=False),
        sa.Column("executed_on", sa.Date(), nullable=True),
        sa.Column("ended_on", sa.Date(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("source", sa.String(length=100), nullable=True),
        sa.Column("reference", sa.String(length=100), nullable=True),
        *_tenant_columns(),
        sa.CheckConstraint(
            "intervention_type IN ('contact_person_family', 'family_treatment', 'family_home', "
            "'residential_care', 'supported_housing', 'outpatient_treatment', "
            "'personal_assistance', 'companion_service', 'short_term_stay', 'special_housing', "
            "'daily_activity', 'other')",
            name=op.f("ck_unexecuted_decision_intervention_type_known"),
        ),
        sa.CheckConstraint(
            "legal_basis IN ('sol_4_1', 'lss_9', 'other')",
            name=op.f("ck_unexecuted_decision_legal_basis_known"),
        ),
        sa.CheckConstraint(
            "gender IN ('women', 'men')", name=op.f("ck_unexecuted_decision_gender_known")
        ),
        sa.CheckConstraint(
            "executed_on IS NULL OR executed_on >= decision_on",
            name=op.f("ck_unexecuted_decision_executed_after_decision"),
        ),
        sa.CheckConstraint(
            "ended_on IS NULL OR ended_on >= decision_on",
            name=op.f("ck_unexecuted_decision_ended_after_decision"),
        ),
        _tenant_fk("unexecuted_decision"),
        _org_unit_fk("unexecuted_decision"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_unexecuted_decision")),
        sa.UniqueConstraint(
            "municipality_id",
            "source",
            "reference",
            name=op.f("uq_unexecuted_decision_municipality_id_source_reference"),
        ),
    )
    _indexes("unexecuted_decision", "org_unit_id", "decision_on")

    op.create_table(
        "decision_interruption",
        sa.Column("decision_id", sa.Uuid(), nullable=False),
        sa.Column("interrupted_on", sa.Date(), nullable=False),
        sa.Column("resumed_on", sa.Date(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        *_tenant_columns(),
        sa.CheckConstraint(
            "resumed_on IS NULL OR resumed_on >= interrupted_on",
            name=op.f("ck_decision_interruption_resumed_after_interrupted"),
        ),
        _tenant_fk("decision_interruption"),
        sa.ForeignKeyConstraint(
            ["decision_id"],
            ["unexecuted_decision.id"],
            name=op.f("fk_decision_interruption_decision_id_unexecuted_decision"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_decision_interruption")),
    )
    _indexes("decision_interruption", "decision_id")


def downgrade() -> None:
    _drop_indexes("decision_interruption", "decision_id")
    op.drop_table("decision_interruption")
    _drop_indexes("unexecuted_decision", "org_unit_id", "decision_on")
    op.drop_table("unexecuted_decision")
    _drop_indexes("feedback", "org_unit_id", "received_on")
    op.drop_table("feedback")
    _drop_indexes("deviation_measure", "report_id")
    op.drop_table("deviation_measure")
    _drop_indexes("deviation_transition", "report_id")
    op.drop_table("deviation_transition")
    _drop_indexes("deviation_report", "org_unit_id", "reported_on")
    op.drop_table("deviation_report")
