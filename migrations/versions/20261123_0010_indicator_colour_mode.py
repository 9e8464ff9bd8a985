"""Indicators coloured by quartile among a benchmark group (DOMAIN §11).

Existing indicators keep their target colouring: ``colour_mode`` defaults to ``target`` on the
server, so the column can be added NOT NULL to a table with rows.

SQLite gets the columns by ``ALTER TABLE … ADD COLUMN`` with the constraints inline, not by a
batch: a batch copies the table and drops the old one, and with foreign keys on that drop would
cascade into the targets (or be refused for the measurements) of a database that has data. The
downgrade on SQLite does use a batch, so there it works on a database without indicators only.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-23 15:10:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CHECK = "colour_mode IN ('target', 'quartile')"


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            "ALTER TABLE indicator ADD COLUMN colour_mode VARCHAR(20) DEFAULT 'target' NOT NULL "
            f"CONSTRAINT ck_indicator_colour_mode_known CHECK ({CHECK})"
        )
        op.execute(
            "ALTER TABLE indicator ADD COLUMN benchmark_group_id CHAR(32) "
            "CONSTRAINT fk_indicator_benchmark_group_id_benchmark_group "
            "REFERENCES benchmark_group (id)"
        )
    else:
        op.add_column(
            "indicator",
            sa.Column("colour_mode", sa.String(length=20), server_default="target", nullable=False),
        )
        op.add_column("indicator", sa.Column("benchmark_group_id", sa.Uuid(), nullable=True))
        op.create_check_constraint(op.f("ck_indicator_colour_mode_known"), "indicator", CHECK)
        op.create_foreign_key(
            op.f("fk_indicator_benchmark_group_id_benchmark_group"),
            "indicator",
            "benchmark_group",
            ["benchmark_group_id"],
            ["id"],
        )
    op.create_index(
        op.f("ix_indicator_benchmark_group_id"), "indicator", ["benchmark_group_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_indicator_benchmark_group_id"), table_name="indicator")
    sqlite = op.get_bind().dialect.name == "sqlite"
    if not sqlite:
        op.drop_constraint(
            op.f("fk_indicator_benchmark_group_id_benchmark_group"), "indicator", type_="foreignkey"
        )
    # SQLite reflects the inline CHECK by name but the inline foreign key without one; the batch
    # copy leaves out the foreign key with its column.
    with op.batch_alter_table("indicator") as batch:
        batch.drop_constraint(op.f("ck_indicator_colour_mode_known"), type_="check")
        batch.drop_column("benchmark_group_id")
        batch.drop_column("colour_mode")
