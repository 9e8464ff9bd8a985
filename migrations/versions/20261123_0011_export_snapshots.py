"""Export snapshots: what an export of data not versioned in system time answered.

Plus an index for the question asked before one is kept: did anything of these entity types
change after as_of?

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-23 15:30:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "export_snapshot",
        sa.Column("kind", sa.String(length=50), nullable=False),
        sa.Column("query_key", sa.String(length=64), nullable=False),
        sa.Column("query", sa.JSON(), nullable=False),
        sa.Column("content", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("municipality_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["municipality_id"],
            ["municipality.id"],
            name=op.f("fk_export_snapshot_municipality_id_municipality"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_export_snapshot")),
        sa.UniqueConstraint(
            "municipality_id",
            "kind",
            "query_key",
            name=op.f("uq_export_snapshot_municipality_id_kind_query_key"),
        ),
    )
    op.create_index(
        op.f("ix_export_snapshot_municipality_id"),
        "export_snapshot",
        ["municipality_id"],
        unique=False,
    )
    op.create_index(
        "ix_audit_event_entity_time",
        "audit_event",
        ["municipality_id", "entity_type", "occurred_at"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_audit_event_entity_time", table_name="audit_event")
    op.drop_index(op.f("ix_export_snapshot_municipality_id"), table_name="export_snapshot")
    op.drop_table("export_snapshot")
