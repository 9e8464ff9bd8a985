"""A due-day rule per indicator, for the reporting status.

A period's value is due on ``report_due_day`` of the month ``report_due_months`` after the period
ends. Both columns are NOT NULL with server defaults (10 and 1: the 10th of the next month), so
they can be added to a table with rows, on SQLite by a plain ``ALTER TABLE … ADD COLUMN`` (see
0010 for why not a batch there).

Revision ID: 0018
Revises: 0011
Create Date: 2026-12-04 16:20:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "indicator",
        sa.Column("report_due_day", sa.Integer(), server_default="10", nullable=False),
    )
    op.add_column(
        "indicator",
        sa.Column("report_due_months", sa.Integer(), server_default="1", nullable=False),
    )


def downgrade() -> None:
    with op.batch_alter_table("indicator") as batch:
        batch.drop_column("report_due_months")
        batch.drop_column("report_due_day")
