"""The per-municipality change counter that validates each worker's rendered reads.

Issue 17: ``app.readcache`` keeps rendered answers of reads per worker and serves one again only
while its municipality's counter has not moved. Every write transaction bumps the counter in the
same transaction; a municipality without a row counts as 0, so existing data needs no backfill
(the first write after this revision inserts the row at 1). The service's role gets the ordinary
grants by default (app.dbroles): the counter is bookkeeping, not a record.

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-05 05:30:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0020"
down_revision: str | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "data_version",
        sa.Column("municipality_id", sa.Uuid(), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["municipality_id"],
            ["municipality.id"],
            name=op.f("fk_data_version_municipality_id_municipality"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("municipality_id", name=op.f("pk_data_version")),
    )


def downgrade() -> None:
    op.drop_table("data_version")
