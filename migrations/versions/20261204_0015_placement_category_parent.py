"""Placement categories with a parent: a reporting total computed from its children (seed 003).

SQLite gets the column by ``ALTER TABLE … ADD COLUMN`` with the foreign key inline, not by a
batch (a batch would copy the table and drop the old one, which foreign keys from episodes,
aggregates and budgets refuse on a database with data), as in 0010. The downgrade on SQLite uses
a batch, so there it works on a database without placements only.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-04 17:00:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FK = "fk_placement_category_parent_id_placement_category"


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            f"ALTER TABLE placement_category ADD COLUMN parent_id CHAR(32) CONSTRAINT {FK} "
            "REFERENCES placement_category (id)"
        )
    else:
        op.add_column("placement_category", sa.Column("parent_id", sa.Uuid(), nullable=True))
        op.create_foreign_key(
            op.f(FK),
            "placement_category",
            "placement_category",
            ["parent_id"],
            ["id"],
        )
    op.create_index(
        op.f("ix_placement_category_parent_id"),
        "placement_category",
        ["parent_id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_placement_category_parent_id"), table_name="placement_category")
    if op.get_bind().dialect.name != "sqlite":
        op.drop_constraint(op.f(FK), "placement_category", type_="foreignkey")
    with op.batch_alter_table("placement_category") as batch:
        batch.drop_column("parent_id")
